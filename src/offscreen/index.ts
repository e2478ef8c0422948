/**
 * Offscreen document: the pipeline's home (camera, tracking, rendering). Listens only to the
 * service worker: content scripts' and other pages' messages are ignored.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { backgroundToOffscreen, logRejected, tryParse, type BackgroundToOffscreen, type OffscreenToBackground } from '../shared/messages';
import { closeCamera, openCamera } from './camera';
import { probeGpu } from './gpu';

type Handler<U extends { type: string }> = { [K in U['type']]: (msg: Extract<U, { type: K }>) => Promise<unknown> | unknown };

function toBackground(msg: OffscreenToBackground): void {
  browser.runtime.sendMessage(msg).catch(() => undefined);
}

const handlers: Handler<BackgroundToOffscreen> = {
  'background/ping': () => ({ ok: true, path: ['offscreen'] }),
  'background/open-camera': async (msg) => {
    const res = await openCamera(msg.deviceId);
    if (!res.ok && res.error) {
      console.error('[AnimeCam:offscreen] camera failed:', res.error.name, res.error.message);
      toBackground({ type: 'offscreen/camera-error', target: 'background', ...res.error });
    }
    return res;
  },
  'background/close-camera': () => {
    closeCamera();
    return { ok: true };
  },
  'background/probe-gpu': () => probeGpu(),
};

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
  const target = (raw as { target?: unknown } | null)?.target;
  if (target !== 'offscreen') return undefined;
  // Only the service worker (our own extension, not a tab) may drive the pipeline.
  if (sender.id !== browser.runtime.id || sender.tab) return undefined;
  const parsed = tryParse(backgroundToOffscreen, raw);
  if (!parsed.ok) {
    logRejected('offscreen', parsed.reason);
    return undefined;
  }
  const handler = handlers[parsed.value.type] as (m: BackgroundToOffscreen) => unknown;
  return Promise.resolve(handler(parsed.value));
});

toBackground({ type: 'offscreen/ready', target: 'background', crossOriginIsolated: self.crossOriginIsolated });
