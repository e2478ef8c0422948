/**
 * Content bridge (isolated world): relays between the page-world script and the extension.
 * Everything the page posts is validated; anything malformed is dropped and logged. The page can
 * only ask for what it could do anyway, so forged messages gain nothing.
 */
import browser from 'webextension-polyfill';
import {
  ENVELOPE_TAG,
  logRejected,
  makeEnvelope,
  pageToBridge,
  pingResponse,
  tryParse,
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

const handlers: { [K in PageToBridge['type']]: (msg: Extract<PageToBridge, { type: K }>) => void | Promise<void> } = {
  'page/hello': () => undefined,
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
  const msg = parsed.value;
  // The table is keyed by type, so this cast only restates what the lookup guarantees.
  const handler = handlers[msg.type] as (m: PageToBridge) => void | Promise<void>;
  void handler(msg);
});
