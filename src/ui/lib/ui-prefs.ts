/**
 * Preferences only the extension's pages use (kept beside, not inside, the pipeline settings):
 * where sample characters are downloaded from, and whether the first-run page was completed.
 */
import browser from 'webextension-polyfill';
import { DEFAULT_SAMPLE_BASE_URL } from '../../core/character';

const SAMPLE_BASE_KEY = 'sampleBaseUrl';
const FIRST_RUN_KEY = 'firstRunDone';
const SETUP_STEP_KEY = 'setupStep';

/** Build-time override (VITE_SAMPLE_BASE_URL), else the pinned THA4 demo repository. */
export function defaultSampleBaseUrl(): string {
  const fromBuild = import.meta.env.VITE_SAMPLE_BASE_URL as string | undefined;
  return fromBuild || DEFAULT_SAMPLE_BASE_URL;
}

export async function loadSampleBaseUrl(): Promise<string> {
  const got = await browser.storage.local.get(SAMPLE_BASE_KEY);
  const v = got[SAMPLE_BASE_KEY];
  return typeof v === 'string' && v ? v : defaultSampleBaseUrl();
}

/** Empty resets to the default. Throws when the text is not an http(s) URL. */
export async function saveSampleBaseUrl(text: string): Promise<string> {
  const t = text.trim();
  if (!t) {
    await browser.storage.local.remove(SAMPLE_BASE_KEY);
    return defaultSampleBaseUrl();
  }
  const u = new URL(t);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('The sample source must be an http(s) address.');
  await browser.storage.local.set({ [SAMPLE_BASE_KEY]: u.toString() });
  return u.toString();
}

export async function isFirstRunDone(): Promise<boolean> {
  return (await browser.storage.local.get(FIRST_RUN_KEY))[FIRST_RUN_KEY] === true;
}

export async function markFirstRunDone(): Promise<void> {
  await browser.storage.local.set({ [FIRST_RUN_KEY]: true });
}

/** The guided setup's current step, so it resumes where it was left (0 when never started). */
export async function loadSetupStep(): Promise<number> {
  const v = (await browser.storage.local.get(SETUP_STEP_KEY))[SETUP_STEP_KEY];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 100 ? v : 0;
}

export async function saveSetupStep(step: number): Promise<void> {
  await browser.storage.local.set({ [SETUP_STEP_KEY]: step });
}

/** Starts the guided setup again from its first step. */
export async function restartSetup(): Promise<void> {
  await browser.storage.local.set({ [FIRST_RUN_KEY]: false, [SETUP_STEP_KEY]: 0 });
}
