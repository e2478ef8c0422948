/**
 * Who holds an AnimeCam track: a frame of a tab (a call page) or an extension page (a preview).
 * The offscreen document lives while anyone does.
 */
import { addUser, removeUser } from './offscreen-lifecycle';

export interface Consumer {
  id: string;
  /** Tab holding the track; previews use negative pseudo-tab ids. */
  tabId: number;
  frameId: number;
  requestId: number;
}

const consumers = new Map<string, Consumer>();

export function consumerKey(tabId: number, frameId: number, requestId: number): string {
  return `${tabId}:${frameId}:${requestId}`;
}

export function addConsumer(c: Consumer): void {
  consumers.set(c.id, c);
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
  if (![...consumers.values()].some((o) => o.tabId === c.tabId)) await removeUser(c.tabId);
  return c;
}

export function consumersOfTab(tabId: number): Consumer[] {
  return [...consumers.values()].filter((c) => c.tabId === tabId);
}

export function consumerCount(): number {
  return consumers.size;
}
