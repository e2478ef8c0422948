/**
 * Service worker: owns settings and the offscreen document's life, and routes messages.
 * One handler table per sender kind; every sender is checked before its message is parsed.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  contentToBackground,
  logRejected,
  offscreenToBackground,
  tryParse,
  type ContentToBackground,
  type OffscreenToBackground,
} from '../shared/messages';
import { log, logEntries } from './log';
import { offscreen } from './offscreen-client';
import { addUser, markOffscreenReady, OFFSCREEN_PATH, removeUser, userCount } from './offscreen-lifecycle';

type Handler<U extends { type: string }> = {
  [K in U['type']]: (msg: Extract<U, { type: K }>, sender: Runtime.MessageSender) => Promise<unknown> | unknown;
};

const fromContent: Handler<ContentToBackground> = {
  'content/ping': async (msg, sender) => {
    if (sender.tab?.id !== undefined) addUser(sender.tab.id);
    try {
      const res = await offscreen.ping(msg.id);
      return { ok: res.ok, path: ['background', ...res.path] };
    } catch (e) {
      log('error', 'ping to offscreen failed', String(e));
      return { ok: false, path: ['background'], error: String(e) };
    }
  },
  'content/gum-called': (msg, sender) => {
    log('info', 'page called getUserMedia', { tab: sender.tab?.id, url: sender.url, video: msg.video, audio: msg.audio });
    return undefined;
  },
};

const fromOffscreen: Handler<OffscreenToBackground> = {
  'offscreen/ready': (msg) => {
    markOffscreenReady();
    log('info', 'offscreen ready', { crossOriginIsolated: msg.crossOriginIsolated });
  },
  'offscreen/camera-error': (msg) => {
    log('error', 'offscreen could not open the camera', { kind: msg.kind, name: msg.name, message: msg.message });
  },
};

function isOwnExtension(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id;
}

function isOffscreen(sender: Runtime.MessageSender): boolean {
  return isOwnExtension(sender) && !sender.tab && sender.url === browser.runtime.getURL(OFFSCREEN_PATH);
}

function isContentScript(sender: Runtime.MessageSender): boolean {
  return isOwnExtension(sender) && sender.tab?.id !== undefined;
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
  const target = (raw as { target?: unknown } | null)?.target;
  if (target !== 'background') return undefined; // for another context
  if (isContentScript(sender)) {
    const parsed = tryParse(contentToBackground, raw);
    if (!parsed.ok) {
      logRejected('background', parsed.reason);
      return undefined;
    }
    const handler = fromContent[parsed.value.type] as (m: ContentToBackground, s: Runtime.MessageSender) => unknown;
    return Promise.resolve(handler(parsed.value, sender));
  }
  if (isOffscreen(sender)) {
    const parsed = tryParse(offscreenToBackground, raw);
    if (!parsed.ok) {
      logRejected('background', parsed.reason);
      return undefined;
    }
    const handler = fromOffscreen[parsed.value.type] as (m: OffscreenToBackground, s: Runtime.MessageSender) => unknown;
    return Promise.resolve(handler(parsed.value, sender));
  }
  log('warn', 'message from an unexpected sender dropped', { url: sender.url });
  return undefined;
});

chrome.tabs.onRemoved.addListener((tabId) => {
  void removeUser(tabId);
});

/** Read-only views and actions for tests and the popup's diagnostics; not reachable by web pages. */
const debugApi = {
  log: () => logEntries(),
  users: () => userCount(),
  openCamera: (deviceId?: string) => offscreen.openCamera(deviceId),
  closeCamera: () => offscreen.closeCamera(),
  probeGpu: () => offscreen.probeGpu(),
};
(globalThis as unknown as { animecam: typeof debugApi }).animecam = debugApi;

log('info', 'service worker started');
