/** The page world's side of the window.postMessage channel to the content bridge. */
import { bridgeToPage, makeEnvelope, openEnvelope, type BridgeToPage, type PageToBridge } from '../shared/messages';

// Captured at start: a page may later replace window.postMessage or addEventListener.
const post = window.postMessage.bind(window);
const listen = window.addEventListener.bind(window);

export function sendToBridge(msg: PageToBridge): void {
  post(makeEnvelope('to-bridge', msg), location.origin === 'null' ? '*' : location.origin);
}

export function onBridgeMessage(handler: (msg: BridgeToPage) => void): void {
  listen('message', (ev: MessageEvent) => {
    if (ev.source !== window) return;
    let msg: BridgeToPage | null;
    try {
      msg = openEnvelope(ev.data, 'to-page', bridgeToPage);
    } catch {
      return; // Malformed traffic that claims to be the bridge's: forged by the page, ignore.
    }
    if (msg) handler(msg);
  });
}
