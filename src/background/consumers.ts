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
  /** The page has answered the offer (until then the track expires, see armOfferExpiry). */
  answered?: boolean;
  /** Size and rate the track serves now, and the call's site: enough to open it again in a new offscreen document. */
  plan?: { width: number; height: number; frameRate: number };
  origin?: string | null;
}

// Kept across service-worker restarts: ending a call later must still release the camera.
const state = sessionMap<Consumer>('consumers');
const consumers = state.map;
export const consumersRestored = state.restored;

/**
 * Caps on live tracks. A call page holds one AnimeCam track, sometimes two for a moment while it
 * switches cameras or shows a self-view from a second getUserMedia; 4 per tab leaves room for
 * that and an embedded frame. Each track costs a peer connection, an encoder and a decoder (about
 * 34 MB measured with 20 forged tracks: 113 MB -> 795 MB), so 8 in all (two or three calls and
 * the popup's and options' previews) bounds that at about 270 MB.
 */
export const MAX_TRACKS_PER_TAB = 4;
export const MAX_TRACKS_TOTAL = 8;

const expiry = new Map<string, ReturnType<typeof setTimeout>>();

export function consumerKey(tabId: number, frameId: number, requestId: number): string {
  return `${tabId}:${frameId}:${requestId}`;
}

/** Why a new track may not be opened for this tab now, or null when it may. */
export function capRefusal(id: string, tabId: number): string | null {
  if (consumers.has(id)) return 'this track is already open';
  if (consumers.size >= MAX_TRACKS_TOTAL) return `AnimeCam serves at most ${MAX_TRACKS_TOTAL} tracks at once`;
  if (tabId >= 0 && consumersOfTab(tabId).length >= MAX_TRACKS_PER_TAB) return `AnimeCam serves at most ${MAX_TRACKS_PER_TAB} tracks per tab`;
  return null;
}

export function addConsumer(c: Consumer): void {
  consumers.set(c.id, c);
  state.save();
  addUser(c.tabId);
}

export function getConsumer(id: string): Consumer | undefined {
  return consumers.get(id);
}

/**
 * An offer the page never answers must not keep the camera on: after `ms` without an answer
 * the track is dropped and `onExpired` closes it in the pipeline.
 */
export function armOfferExpiry(id: string, ms: number, onExpired: (c: Consumer) => void): void {
  clearTimeout(expiry.get(id));
  expiry.set(
    id,
    setTimeout(() => {
      expiry.delete(id);
      const c = consumers.get(id);
      if (c && !c.answered) void dropConsumer(id).then((dropped) => dropped && onExpired(dropped));
    }, ms),
  );
}

/** The track's size or rate changed (applyConstraints): a rebuilt connection keeps it. */
export function setPlan(id: string, plan: { width: number; height: number; frameRate: number }): void {
  const c = consumers.get(id);
  if (!c) return;
  c.plan = plan;
  state.save();
}

/** A new offer went out for an open track: it waits for the page's answer again. */
export function markOffered(id: string): void {
  const c = consumers.get(id);
  if (!c) return;
  c.answered = false;
  state.save();
}

export function markAnswered(id: string): void {
  const c = consumers.get(id);
  if (c) {
    c.answered = true;
    state.save();
  }
  clearTimeout(expiry.get(id));
  expiry.delete(id);
}

/** Forgets a consumer; returns it, and releases the tab's claim when it was its last. */
export async function dropConsumer(id: string): Promise<Consumer | undefined> {
  const c = consumers.get(id);
  if (!c) return undefined;
  consumers.delete(id);
  state.save();
  clearTimeout(expiry.get(id));
  expiry.delete(id);
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
