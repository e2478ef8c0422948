/**
 * The offscreen document's life: created on demand, closed when no tab uses it any more.
 * Chrome allows one offscreen document per extension, so creation is serialised.
 */
import { log } from './log';
import { sessionMap } from './session-state';

export const OFFSCREEN_PATH = 'src/offscreen/index.html';

// Tabs using the document, kept across service-worker restarts (the document outlives the worker).
const userState = sessionMap<true>('offscreenUsers');
export const usersRestored = userState.restored;
let creating: Promise<void> | null = null;
let readyWaiters: (() => void)[] = [];

/** Called when the document says it is listening; createDocument resolves before that. */
export function markOffscreenReady(): void {
  const waiters = readyWaiters;
  readyWaiters = [];
  waiters.forEach((w) => w());
}

function waitReady(timeoutMs: number): Promise<void> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`offscreen document not ready after ${timeoutMs} ms`)), timeoutMs);
    readyWaiters.push(() => {
      clearTimeout(timer);
      ok();
    });
  });
}

export async function offscreenExists(): Promise<boolean> {
  return exists();
}

async function exists(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [chrome.runtime.getURL(OFFSCREEN_PATH)],
  });
  return contexts.length > 0;
}

export async function ensureOffscreen(): Promise<void> {
  // A document still loading already "exists" but has no listener yet: wait for its readiness.
  if (creating) return creating;
  if (await exists()) return;
  creating ??= (async () => {
    const ready = waitReady(15_000);
    await chrome.offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.USER_MEDIA, chrome.offscreen.Reason.WORKERS],
      justification: 'Reads the camera, tracks the face and renders the character for video calls.',
    });
    await ready;
    log('info', 'offscreen created');
  })()
    .finally(() => {
      creating = null;
    });
  await creating;
}

export async function closeOffscreen(): Promise<void> {
  if (creating) await creating.catch(() => undefined);
  if (await exists()) {
    await chrome.offscreen.closeDocument();
    log('info', 'offscreen closed');
  }
}

/** A tab starts using the pipeline. */
export function addUser(tabId: number): void {
  if (userState.map.has(String(tabId))) return;
  userState.map.set(String(tabId), true);
  userState.save();
}

/** A tab stops using it; the document goes away with the last user. */
export async function removeUser(tabId: number): Promise<void> {
  if (!userState.map.delete(String(tabId))) return;
  userState.save();
  if (userState.map.size === 0) await closeOffscreen();
}

export function userCount(): number {
  return userState.map.size;
}
