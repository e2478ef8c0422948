/**
 * Content bridge (isolated world): relays between the page-world script and the extension.
 * Everything the page posts is validated; anything malformed is dropped and logged. The page can
 * only ask for what it could do anyway (a camera track on a site where AnimeCam is on), so forged
 * messages gain nothing.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  backgroundToContent,
  ENVELOPE_TAG,
  logRejected,
  makeEnvelope,
  offerResponse,
  pageToBridge,
  pingResponse,
  siteState,
  tryParse,
  type BackgroundToContent,
  type BridgeToPage,
  type ContentToBackground,
  type PageToBridge,
} from '../shared/messages';

function toPage(msg: BridgeToPage): void {
  window.postMessage(makeEnvelope('to-page', msg), location.origin === 'null' ? '*' : location.origin);
}

function toBackground(msg: ContentToBackground): Promise<unknown> {
  return browser.runtime.sendMessage(msg);
}

// AnimeCam's ids for this origin, as the background last told: site-state broadcasts omit them.
let ids = { deviceId: '', groupId: '' };

async function sendState(): Promise<void> {
  try {
    const res = tryParse(siteState, await toBackground({ type: 'content/get-state', target: 'background' }));
    if (res.ok) ids = { deviceId: res.value.deviceId, groupId: res.value.groupId };
    if (res.ok) toPage({ type: 'bridge/state', ...res.value });
  } catch {
    // Extension reloading or gone: the page script treats silence as "off".
  }
}

type Handlers<U extends { type: string }> = { [K in U['type']]: (msg: Extract<U, { type: K }>) => void | Promise<void> };

const fromPage: Handlers<PageToBridge> = {
  'page/hello': () => sendState(),
  'page/ping': async (msg) => {
    try {
      const res = tryParse(pingResponse, await toBackground({ type: 'content/ping', target: 'background', id: msg.id }));
      if (!res.ok) throw new Error(`bad reply from background: ${res.reason}`);
      toPage({ type: 'bridge/pong', id: msg.id, ok: res.value.ok, path: ['bridge', ...res.value.path], ...(res.value.error ? { error: res.value.error } : {}) });
    } catch (e) {
      toPage({ type: 'bridge/pong', id: msg.id, ok: false, path: ['bridge'], error: String(e) });
    }
  },
  'page/gum-called': async (msg) => {
    await toBackground({ type: 'content/gum-called', target: 'background', video: msg.video, audio: msg.audio }).catch(() => undefined);
  },
  'page/open-track': async (msg) => {
    const { type: _t, ...rest } = msg;
    try {
      const res = tryParse(offerResponse, await toBackground({ type: 'content/open-track', target: 'background', ...rest }));
      if (!res.ok) throw new Error(res.reason);
      if (res.value.ok && res.value.sdp) toPage({ type: 'bridge/track-offer', requestId: msg.requestId, sdp: res.value.sdp });
      else toPage({ type: 'bridge/track-error', requestId: msg.requestId, name: res.value.error?.name ?? 'NotReadableError', message: res.value.error?.message ?? 'AnimeCam could not start' });
    } catch (e) {
      toPage({ type: 'bridge/track-error', requestId: msg.requestId, name: 'NotReadableError', message: `AnimeCam is not available: ${String(e)}` });
    }
  },
  'page/track-answer': async (msg) => {
    await toBackground({ type: 'content/track-answer', target: 'background', requestId: msg.requestId, sdp: msg.sdp }).catch(() => undefined);
  },
  'page/track-constraints': async (msg) => {
    const { type: _t, ...rest } = msg;
    await toBackground({ type: 'content/track-constraints', target: 'background', ...rest }).catch(() => undefined);
  },
  'page/track-ended': async (msg) => {
    await toBackground({ type: 'content/track-ended', target: 'background', requestId: msg.requestId }).catch(() => undefined);
  },
};

const fromBackground: Handlers<BackgroundToContent> = {
  'background/site-state': (msg) => toPage({ type: 'bridge/state', enabled: msg.enabled, replaceCamera: msg.replaceCamera, ...ids }),
  'background/track-closed': (msg) => toPage({ type: 'bridge/track-closed', requestId: msg.requestId, reason: msg.reason }),
};

window.addEventListener('message', (ev: MessageEvent) => {
  if (ev.source !== window) return;
  const data: unknown = ev.data;
  if (typeof data !== 'object' || data === null) return;
  const env = data as { tag?: unknown; dir?: unknown; msg?: unknown };
  if (env.tag !== ENVELOPE_TAG || env.dir !== 'to-bridge') return;
  const parsed = tryParse(pageToBridge, env.msg);
  if (!parsed.ok) {
    logRejected('bridge', parsed.reason);
    return;
  }
  // The table is keyed by type, so this cast only restates what the lookup guarantees.
  const handler = fromPage[parsed.value.type] as (m: PageToBridge) => void | Promise<void>;
  void handler(parsed.value);
});

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender): undefined => {
  if ((raw as { target?: unknown } | null)?.target !== 'content') return undefined;
  if (sender.id !== browser.runtime.id || sender.tab) return undefined; // only our service worker
  const parsed = tryParse(backgroundToContent, raw);
  if (!parsed.ok) {
    logRejected('bridge', parsed.reason);
    return undefined;
  }
  const handler = fromBackground[parsed.value.type] as (m: BackgroundToContent) => void;
  handler(parsed.value);
  return undefined;
});

void sendState();
