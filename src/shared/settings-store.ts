/** Settings in chrome.storage.local (service worker and extension pages; not the offscreen document). */
import browser from 'webextension-polyfill';
import { sanitizeSettings, type Settings } from './settings';

const KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const got = await browser.storage.local.get(KEY);
  return sanitizeSettings(got[KEY]);
}

/** Applies a change to the stored settings (read, change, sanitise, write). */
export async function updateSettings(change: (s: Settings) => Settings | void): Promise<Settings> {
  const s = await loadSettings();
  const next = sanitizeSettings(change(s) ?? s);
  await browser.storage.local.set({ [KEY]: next });
  return next;
}

export function onSettingsChanged(cb: (s: Settings) => void): () => void {
  const listener = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
    if (area === 'local' && KEY in changes) cb(sanitizeSettings(changes[KEY].newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
