/**
 * Who holds an AnimeCam track: a frame of a tab (a call page) or an extension page (a preview).
 * The offscreen document lives while anyone does.
 */
import { addUser, removeUser } from './offscreen-lifecycle';
import { sessionMap } from './session-state';

export interface Consumer {
  id: string;
  /** Tab holding the track; previews use negative pseudo-tab ids. */
  tabId: number;
  frameId: number;
  requestId: number;
  /** The preview's own id (previews only). */
  previewId?: string;
}

// Kept across service-worker restarts: ending a call later must still release the camera.
const state = sessionMap<Consumer>('consumers');
const consumers = state.map;
export const consumersRestored = state.restored;

export function consumerKey(tabId: number, frameId: number, requestId: number): string {
  return `${tabId}:${frameId}:${requestId}`;
}

export function addConsumer(c: Consumer): void {
  consumers.set(c.id, c);
  state.save();
  addUser(c.tabId);
}

export function getConsumer(id: string): Consumer | undefined {
  return consumers.get(id);
}

/** Forgets a consumer; returns it, and releases the tab's claim when it was its last. */
export async function dropConsumer(id: string): Promise<Consumer | undefined> {
  const c = consumers.get(id);
  if (!c) return undefined;
  consumers.delete(id);
  state.save();
  if (![...consumers.values()].some((o) => o.tabId === c.tabId)) await removeUser(c.tabId);
  return c;
}

export function consumersOfTab(tabId: number): Consumer[] {
  return [...consumers.values()].filter((c) => c.tabId === tabId);
}

export function allConsumers(): Consumer[] {
  return [...consumers.values()];
}

export function previewConsumer(previewId: string): Consumer | undefined {
  return [...consumers.values()].find((c) => c.previewId === previewId);
}

export function consumerCount(): number {
  return consumers.size;
}
