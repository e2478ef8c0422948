/**
 * The bridge's decisions, apart from the browser APIs they use (so they are unit-tested):
 * which page messages reach the extension, for which site, frame and track.
 *
 * - The site switch is read from storage in this isolated world: on sites where AnimeCam is off
 *   nothing but the "off" state goes back to the page, and nothing reaches the service worker.
 * - A track is asked for only after the browser's camera permission for this frame says yes
 *   (see camera-permission.ts): the page gets nothing it could not get from getUserMedia.
 * - Answers, constraints and ends are relayed only for tracks this frame opened.
 */
import {
  dispatchMessage,
  offerResponse,
  pageToBridge,
  pingResponse,
  tryParse,
  type BridgeToPage,
  type ContentToBackground,
  type HandlerTable,
  type PageToBridge,
  type SiteState,
} from '../shared/messages';
import type { CameraPermission } from './camera-permission';

export interface BridgeDeps {
  toPage(msg: BridgeToPage): void;
  toBackground(msg: ContentToBackground): Promise<unknown>;
  /** This frame's camera permission, asked in the isolated world. */
  cameraPermission(): Promise<CameraPermission>;
  /** The site's switches, read from storage (never from the page). */
  state(): Promise<SiteState>;
  /** A malformed or refused message (rate-limited by the caller). */
  reject(reason: string): void;
}

const OFF: SiteState = { enabled: false, replaceCamera: false, deviceId: '', groupId: '' };

/** Track requests in flight per frame: a page asks for one or two at a time. */
export const MAX_PENDING_OPENS = 4;

export interface Bridge {
  /** A window message from the page (already known to carry our envelope). */
  fromPage(raw: unknown): Promise<void>;
  /** The service worker closed a track: forget it. */
  trackClosed(requestId: number): void;
  /** The service worker sends a new offer for an open track (a rebuilt connection). */
  trackOffer(requestId: number, sdp: string): void;
  /**
   * The extension went away under this bridge (reloaded, updated, disabled): every track this
   * frame holds ends, as an unplugged camera's would, and the page stops offering AnimeCam.
   */
  extensionGone(): void;
  /** Tracks this frame holds now. */
  openTracks(): number;
}

export function createBridge(d: BridgeDeps): Bridge {
  const tracks = new Set<number>(); // tracks the service worker gave this frame
  const opening = new Set<number>();
  let gone = false; // the extension went away: this bridge serves nothing more

  async function sendState(): Promise<void> {
    d.toPage({ type: 'bridge/state', ...(await d.state()) });
  }

  async function relay(msg: ContentToBackground): Promise<void> {
    await d.toBackground(msg).catch(() => undefined);
  }

  const handlers: HandlerTable<PageToBridge, SiteState, Promise<void>> = {
    'page/hello': () => sendState(),
    'page/ping': async (msg, state) => {
      if (!state.enabled) return; // off: the extension stays asleep
      try {
        const res = tryParse(pingResponse, await d.toBackground({ type: 'content/ping', target: 'background', id: msg.id }));
        if (!res.ok) throw new Error(`bad reply from background: ${res.reason}`);
        d.toPage({ type: 'bridge/pong', id: msg.id, ok: res.value.ok, path: ['bridge', ...res.value.path], ...(res.value.error ? { error: res.value.error } : {}) });
      } catch (e) {
        d.toPage({ type: 'bridge/pong', id: msg.id, ok: false, path: ['bridge'], error: String(e).slice(0, 1024) });
      }
    },
    'page/gum-called': async (msg, state) => {
      if (state.enabled) await relay({ type: 'content/gum-called', target: 'background', video: msg.video, audio: msg.audio });
    },
    'page/open-track': async (msg, state) => {
      const refuse = (name: string, message: string) => d.toPage({ type: 'bridge/track-error', requestId: msg.requestId, name, message });
      if (!state.enabled) return refuse('NotFoundError', 'AnimeCam is switched off for this site');
      if (tracks.has(msg.requestId) || opening.has(msg.requestId)) return refuse('InvalidStateError', 'This track is already open');
      if (opening.size >= MAX_PENDING_OPENS) return refuse('NotReadableError', 'Too many AnimeCam requests at once');
      opening.add(msg.requestId);
      try {
        const permission = await d.cameraPermission();
        if (!permission.ok) {
          d.reject(`track refused: no camera permission for this frame (${permission.name})`);
          return refuse(permission.name, permission.message);
        }
        const { type: _t, ...rest } = msg;
        const res = tryParse(offerResponse, await d.toBackground({ type: 'content/open-track', target: 'background', ...rest }));
        if (!res.ok) throw new Error(res.reason);
        if (res.value.ok && res.value.sdp) {
          tracks.add(msg.requestId);
          d.toPage({ type: 'bridge/track-offer', requestId: msg.requestId, sdp: res.value.sdp });
        } else refuse(res.value.error?.name ?? 'NotReadableError', res.value.error?.message ?? 'AnimeCam could not start');
      } catch (e) {
        refuse('NotReadableError', `AnimeCam is not available: ${String(e).slice(0, 512)}`);
      } finally {
        opening.delete(msg.requestId);
      }
    },
    'page/track-answer': async (msg) => {
      if (tracks.has(msg.requestId)) await relay({ type: 'content/track-answer', target: 'background', requestId: msg.requestId, sdp: msg.sdp });
    },
    'page/track-constraints': async (msg) => {
      const { type: _t, ...rest } = msg;
      if (tracks.has(msg.requestId)) await relay({ type: 'content/track-constraints', target: 'background', ...rest });
    },
    'page/track-ended': async (msg) => {
      if (!tracks.delete(msg.requestId)) return;
      await relay({ type: 'content/track-ended', target: 'background', requestId: msg.requestId });
    },
    'page/track-lost': async (msg) => {
      if (tracks.has(msg.requestId)) await relay({ type: 'content/track-lost', target: 'background', requestId: msg.requestId });
    },
  };

  return {
    async fromPage(raw) {
      let state: SiteState;
      try {
        state = gone ? OFF : await d.state();
      } catch {
        state = OFF;
      }
      const r = dispatchMessage(pageToBridge, handlers, raw, state, d.reject);
      if (r.handled) await r.result;
    },
    trackClosed(requestId) {
      tracks.delete(requestId);
    },
    trackOffer(requestId, sdp) {
      if (tracks.has(requestId)) d.toPage({ type: 'bridge/track-offer', requestId, sdp });
    },
    extensionGone() {
      if (gone) return;
      gone = true;
      const reason = 'AnimeCam was reloaded, updated or removed';
      for (const requestId of tracks) d.toPage({ type: 'bridge/track-closed', requestId, reason });
      tracks.clear();
      d.toPage({ type: 'bridge/state', ...OFF });
    },
    openTracks: () => tracks.size,
  };
}
