/**
 * Content bridge (isolated world): relays between the page-world script and the extension.
 * Everything the page posts is validated; anything malformed is dropped and logged (rate-limited).
 * The decisions (site switch, this frame's camera permission, which tracks it owns) are made here
 * and in the service worker, out of the page's reach: see bridge-core.ts.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  backgroundToContent,
  dispatchMessage,
  ENVELOPE_TAG,
  logRejected,
  makeEnvelope,
  type BackgroundToContent,
  type BridgeToPage,
  type HandlerTable,
  type SiteState,
} from '../shared/messages';
import { siteSettings } from '../shared/settings';
import { loadSettings, onSettingsChanged } from '../shared/settings-store';
import { createBridge } from './bridge-core';
import { frameCameraPermission } from './camera-permission';
import { deviceIdsFor } from '../shared/device-ids';

function toPage(msg: BridgeToPage): void {
  window.postMessage(makeEnvelope('to-page', msg), location.origin === 'null' ? '*' : location.origin);
}

// The site's switches straight from storage: reading them never wakes the service worker. AnimeCam's
// device ids for this origin (a keyed hash, see device-ids.ts) are only worked out where it is on.
const origin = location.origin === 'null' ? null : location.origin;
const NO_IDS = { deviceId: '', groupId: '' };
let ids: Promise<{ deviceId: string; groupId: string }> | null = null;
const pick = async (s: Awaited<ReturnType<typeof loadSettings>>): Promise<SiteState> => {
  const site = siteSettings(s, origin);
  const own = site.enabled
    ? await (ids ??= deviceIdsFor(origin, { create: false }).catch(() => {
        ids = null; // ask again at the next change rather than keep no ids
        return NO_IDS;
      }))
    : NO_IDS;
  return { enabled: site.enabled, replaceCamera: site.replaceCamera, ...own };
};
let state: Promise<SiteState> = loadSettings().then(pick, () => ({ enabled: false, replaceCamera: false, ...NO_IDS }));
onSettingsChanged((s) => {
  state = pick(s);
  void state.then((now) => toPage({ type: 'bridge/state', ...now }));
});

const bridge = createBridge({
  toPage,
  toBackground: (msg) => browser.runtime.sendMessage(msg),
  cameraPermission: () => frameCameraPermission(navigator),
  state: () => state,
  reject: (reason) => logRejected('bridge', reason),
});

window.addEventListener('message', (ev: MessageEvent) => {
  if (ev.source !== window) return;
  let msg: unknown;
  try {
    const data: unknown = ev.data;
    if (typeof data !== 'object' || data === null) return;
    const env = data as { tag?: unknown; dir?: unknown; msg?: unknown };
    if (env.tag !== ENVELOPE_TAG || env.dir !== 'to-bridge') return;
    msg = env.msg;
  } catch {
    return; // a getter that throws: not ours
  }
  void bridge.fromPage(msg).then(watchExtension);
});

const fromBackground: HandlerTable<BackgroundToContent> = {
  // The storage listener above has the new switches too; the ids come with them.
  'background/site-state': () => void state.then((now) => toPage({ type: 'bridge/state', ...now })),
  'background/track-closed': (msg) => {
    bridge.trackClosed(msg.requestId);
    toPage({ type: 'bridge/track-closed', requestId: msg.requestId, reason: msg.reason });
  },
  'background/track-offer': (msg) => bridge.trackOffer(msg.requestId, msg.sdp),
};

// A reloaded, updated or removed extension leaves this script orphaned: its runtime has no id any
// more and no event says so. While this frame holds tracks, look once a second; then end them.
let watching: ReturnType<typeof setInterval> | null = null;
function watchExtension(): void {
  if (watching !== null || bridge.openTracks() === 0) return;
  watching = setInterval(() => {
    if (!extensionAlive()) bridge.extensionGone();
    if (bridge.openTracks() === 0 || !extensionAlive()) {
      clearInterval(watching!);
      watching = null;
    }
  }, 1000);
}
function extensionAlive(): boolean {
  try {
    return Boolean(chrome.runtime?.id);
  } catch {
    return false;
  }
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender): undefined => {
  if ((raw as { target?: unknown } | null)?.target !== 'content') return undefined;
  if (sender.id !== browser.runtime.id || sender.tab) return undefined; // only our service worker
  dispatchMessage(backgroundToContent, fromBackground, raw, undefined, (reason) => logRejected('bridge', reason));
  return undefined;
});

void state.then((s) => toPage({ type: 'bridge/state', ...s }));
