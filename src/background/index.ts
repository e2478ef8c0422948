/**
 * Service worker: owns settings and the offscreen document's life, and routes messages.
 * One handler table per sender kind; every sender is checked before its message is parsed.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  contentToBackground,
  dispatchMessage,
  OFFSCREEN_WATCH_PORT,
  offscreenToBackground,
  rateLimited,
  tryParse,
  uiToBackground,
  type BackgroundToContent,
  type ContentToBackground,
  type OffscreenToBackground,
  type UiToBackground,
} from '../shared/messages';
import { originOf, siteSettings, type Settings } from '../shared/settings';
import { loadSettings, onSettingsChanged, updateSettings } from '../shared/settings-store';
import { deviceIdsFor } from '../shared/device-ids';
import {
  addConsumer,
  allConsumers,
  armOfferExpiry,
  capRefusal,
  consumerCount,
  consumerKey,
  consumersOfTab,
  consumersRestored,
  dropConsumer,
  getConsumer,
  markAnswered,
  markOffered,
  previewConsumer,
  setPlan,
  type Consumer,
} from './consumers';
import { log, logEntries } from './log';
import { installDevSampleIfEmpty, installSample } from './samples';
import { listCharacters } from '../shared/character-store';
import { registerCommands, runCommand, type CommandHandlers } from './commands';
import { calibrateAndSave } from './calibration';
import { syncRegisteredSites } from './site-scripts';
import type { SampleId } from '../core/character';
import { offscreen } from './offscreen-client';
import { addUser, markOffscreenReady, OFFSCREEN_PATH, offscreenExists, removeUser, userCount, usersRestored } from './offscreen-lifecycle';
import { createRecovery, createWatch } from './offscreen-recovery';

/** State a stopped worker left in storage.session is back before any handler runs. */
const restored = Promise.all([consumersRestored, usersRestored]);

type Handler<U extends { type: string }> = {
  [K in U['type']]: (msg: Extract<U, { type: K }>, sender: Runtime.MessageSender) => Promise<unknown> | unknown;
};

let settings: Promise<Settings> = loadSettings();
void settings.then(syncSites);
// The device-id secret exists before any page's bridge needs it (only the worker creates it).
void deviceIdsFor(null, { create: true }).catch((e) => log('error', 'device id secret', String(e)));
onSettingsChanged((s) => {
  settings = Promise.resolve(s);
  void broadcastSiteState(s);
  void syncSites(s);
  void offscreen.exists().then((yes) => (yes ? offscreen.settings(s) : undefined)).catch(() => undefined);
});

/** Sites the user added (beyond the manifest's) get the content scripts registered for them. */
async function syncSites(s: Settings): Promise<void> {
  await syncRegisteredSites(s).catch((e) => log('warn', 'could not register content scripts for added sites', String(e)));
}
browser.permissions.onAdded.addListener(() => void settings.then(syncSites));
browser.permissions.onRemoved.addListener(() => void settings.then(syncSites));

const commandHandlers: CommandHandlers = {
  'toggle-site': async (tab) => {
    const origin = originOf(tab?.url ?? '');
    if (!origin) return;
    const next = await updateSettings((s) => {
      const site = siteSettings(s, origin);
      return { ...s, sites: { ...s.sites, [origin]: { ...site, enabled: !site.enabled } } };
    });
    log('info', 'shortcut: AnimeCam toggled for the site', { origin, enabled: siteSettings(next, origin).enabled });
  },
  calibrate: async () => {
    const res = await calibrate();
    log(res.ok ? 'info' : 'warn', 'shortcut: calibrate', res);
  },
  expression: async (id) => {
    if (!(await offscreen.exists())) return;
    await offscreen.expression({ id, action: 'key', holdMs: (await settings).expressions.keyHoldMs });
  },
};
registerCommands(commandHandlers);

/** Captures the neutral face in the offscreen document and saves it in settings. */
function calibrate() {
  return calibrateAndSave({ running: () => offscreen.exists(), capture: () => offscreen.calibrate(), save: updateSettings }).catch((e) => ({ ok: false, error: String(e).slice(0, 1024) }));
}

function senderOrigin(sender: Runtime.MessageSender): string | null {
  return (sender as Runtime.MessageSender & { origin?: string }).origin ?? originOf(sender.url ?? '');
}

async function stateFor(sender: Runtime.MessageSender) {
  const origin = senderOrigin(sender);
  const s = siteSettings(await settings, origin);
  return { enabled: s.enabled, replaceCamera: s.replaceCamera, ...(await deviceIdsFor(origin, { create: true })) };
}

function toContent(tabId: number, msg: BackgroundToContent, frameId?: number): void {
  browser.tabs.sendMessage(tabId, msg, frameId === undefined ? undefined : { frameId }).catch(() => undefined);
}

/** Tells every tab's bridge (all frames) its site's switches. */
async function broadcastSiteState(s: Settings): Promise<void> {
  const tabs = await browser.tabs.query({});
  for (const tab of tabs) {
    if (tab.id === undefined || !tab.url) continue;
    const site = siteSettings(s, originOf(tab.url));
    toContent(tab.id, { type: 'background/site-state', target: 'content', enabled: site.enabled, replaceCamera: site.replaceCamera });
  }
}

function consumerOf(sender: Runtime.MessageSender, requestId: number): string {
  return consumerKey(sender.tab!.id!, sender.frameId ?? 0, requestId);
}

// ---- issue 13: the decision "may this frame have AnimeCam now" (with the bridge's permission check) ----
/** An offer the page has not answered by then is withdrawn and the camera released. */
let offerTtlMs = 30_000;

/** Tells the frame's bridge that a track it asked for is gone. */
function trackClosed(c: Consumer, reason: string): void {
  void offscreen.closeConsumer(c.id).catch(() => undefined);
  if (c.tabId >= 0) toContent(c.tabId, { type: 'background/track-closed', target: 'content', requestId: c.requestId, reason }, c.frameId);
}
// ---- end issue 13 ----

const fromContent: Handler<ContentToBackground> = {
  'content/ping': async (msg, sender) => {
    // Sites where AnimeCam is off get no pipeline (the bridge does not even ask).
    if (!(await stateFor(sender)).enabled) return { ok: false, path: ['background'], error: 'AnimeCam is off for this site' };
    if (sender.tab?.id !== undefined) addUser(sender.tab.id);
    try {
      const res = await offscreen.ping(msg.id);
      return { ok: res.ok, path: ['background', ...res.path] };
    } catch (e) {
      log('error', 'ping to offscreen failed', String(e));
      return { ok: false, path: ['background'], error: String(e) };
    }
  },
  'content/gum-called': async (msg, sender) => {
    // Only for sites where AnimeCam is on, and only the origin: paths name meetings.
    if (!(await stateFor(sender)).enabled) return;
    log('info', 'page called getUserMedia', { tab: sender.tab?.id, origin: senderOrigin(sender), video: msg.video, audio: msg.audio });
  },
  'content/get-state': (_msg, sender) => stateFor(sender),
  'content/open-track': async (msg, sender) => {
    const state = await stateFor(sender);
    if (!state.enabled) return { ok: false, error: { name: 'NotFoundError', message: 'AnimeCam is switched off for this site' } };
    const id = consumerOf(sender, msg.requestId);
    const refusal = capRefusal(id, sender.tab!.id!);
    if (refusal) {
      log('warn', 'track refused', { origin: senderOrigin(sender), reason: refusal });
      return { ok: false, error: { name: 'NotReadableError', message: refusal } };
    }
    const plan = { width: msg.width, height: msg.height, frameRate: msg.frameRate };
    addConsumer({ id, tabId: sender.tab!.id!, frameId: sender.frameId ?? 0, requestId: msg.requestId, plan, origin: senderOrigin(sender) });
    try {
      const res = await offscreen.openConsumer(id, { width: msg.width, height: msg.height, frameRate: msg.frameRate }, senderOrigin(sender));
      log('info', 'AnimeCam track opened', { id, width: msg.width, height: msg.height, frameRate: msg.frameRate, ok: res.ok });
      if (!res.ok) await dropConsumer(id);
      else armOfferExpiry(id, offerTtlMs, (c) => {
        log('warn', 'AnimeCam track offer expired unanswered', { id });
        trackClosed(c, 'the offer was not answered in time');
      });
      return res;
    } catch (e) {
      await dropConsumer(id);
      log('error', 'AnimeCam track failed to open', String(e));
      return { ok: false, error: { name: 'NotReadableError', message: `AnimeCam could not start: ${String(e)}` } };
    }
  },
  'content/track-answer': async (msg, sender) => {
    const id = consumerOf(sender, msg.requestId);
    const c = getConsumer(id);
    if (!c || c.answered) return { ok: false, error: 'unknown track' };
    markAnswered(id);
    const res = await offscreen.consumerAnswer(id, msg.sdp).catch((e) => ({ ok: false, error: String(e).slice(0, 1024) }));
    // An answer the pipeline cannot use would leave the track (and the camera) waiting forever.
    if (!res.ok) {
      const dropped = await dropConsumer(id);
      if (dropped) trackClosed(dropped, 'the answer was not accepted');
    }
    return res;
  },
  'content/track-constraints': async (msg, sender) => {
    const id = consumerOf(sender, msg.requestId);
    if (!getConsumer(id)) return { ok: false, error: 'unknown track' };
    setPlan(id, { width: msg.width, height: msg.height, frameRate: msg.frameRate });
    return offscreen.consumerConstraints(id, { width: msg.width, height: msg.height, frameRate: msg.frameRate });
  },
  'content/track-ended': async (msg, sender) => {
    const id = consumerOf(sender, msg.requestId);
    if (!(await dropConsumer(id))) return { ok: false };
    log('info', 'AnimeCam track ended', { id });
    await offscreen.closeConsumer(id).catch(() => undefined);
    return { ok: true };
  },
  'content/track-lost': async (msg, sender) => {
    const outcome = await recovery.trackLost(consumerOf(sender, msg.requestId));
    return { ok: outcome !== 'unknown' };
  },
};

// ---- issue 9: the offscreen document closed or crashed mid-call ----
/** Opens an open track again in the (new) document and sends its page the new offer. */
async function reofferTrack(c: Consumer): Promise<void> {
  const res = await offscreen.openConsumer(c.id, c.plan ?? { width: 640, height: 480, frameRate: 30 }, c.origin ?? null);
  if (!res.ok || !res.sdp) {
    log('error', 'AnimeCam track could not be offered again', { id: c.id, error: res.error });
    const dropped = await dropConsumer(c.id);
    if (dropped) trackClosed(dropped, 'AnimeCam could not restart');
    return;
  }
  markOffered(c.id);
  armOfferExpiry(c.id, offerTtlMs, (x) => trackClosed(x, 'the offer was not answered in time'));
  toContent(c.tabId, { type: 'background/track-offer', target: 'content', requestId: c.requestId, sdp: res.sdp }, c.frameId);
  log('info', 'AnimeCam track offered again', { id: c.id });
}

const recovery = createRecovery({
  exists: offscreenExists,
  consumers: allConsumers,
  reopen: reofferTrack,
  close: async (c, reason) => {
    const dropped = await dropConsumer(c.id);
    if (dropped) trackClosed(dropped, reason);
  },
  log,
  now: () => Date.now(),
});
const watchOffscreen = createWatch(
  () => chrome.runtime.connect({ name: OFFSCREEN_WATCH_PORT }),
  () => {
    void chrome.runtime.lastError; // "receiving end does not exist" when there is no document
    void recovery.documentMayBeGone('the offscreen document closed').catch((e) => log('error', 'offscreen recovery failed', String(e)));
  },
);
// A worker started while tracks are open (after an idle stop, or a crash of the document's process) watches again.
void restored.then(() => (consumerCount() > 0 ? watchOffscreen() : undefined));
// ---- end issue 9 ----

/** Previews get negative pseudo-tab ids, below any already in use (the worker may have restarted). */
function nextPreviewTab(): number {
  return Math.min(0, ...allConsumers().map((c) => c.tabId)) - 1;
}

const fromUi: Handler<UiToBackground> = {
  'ui/status': async () => {
    if (!(await offscreen.exists())) return idleStatus();
    return offscreen.status().catch(() => idleStatus());
  },
  'ui/calibrate': () => calibrate(),
  'ui/open-preview': async (msg) => {
    const tabId = nextPreviewTab();
    const id = consumerKey(tabId, 0, 0);
    const refusal = previewConsumer(msg.previewId) ? 'this preview is already open' : capRefusal(id, -1);
    if (refusal) return { ok: false, error: { name: 'NotReadableError', message: refusal } };
    addConsumer({ id, tabId, frameId: 0, requestId: 0, previewId: msg.previewId });
    const res = await offscreen.openConsumer(id, { width: msg.width, height: msg.height, frameRate: msg.frameRate }).catch((e) => ({ ok: false, error: { name: 'NotReadableError', message: String(e) } }));
    if (!res.ok) await dropConsumer(id);
    else armOfferExpiry(id, offerTtlMs, (c) => trackClosed(c, 'the offer was not answered in time'));
    return res;
  },
  'ui/preview-answer': async (msg) => {
    const id = previewConsumer(msg.previewId)?.id;
    if (id) markAnswered(id);
    return id ? offscreen.consumerAnswer(id, msg.sdp) : { ok: false, error: 'unknown preview' };
  },
  'ui/close-preview': async (msg) => {
    const id = previewConsumer(msg.previewId)?.id;
    if (!id) return { ok: false };
    await dropConsumer(id);
    await offscreen.closeConsumer(id).catch(() => undefined);
    return { ok: true };
  },
  'ui/library-changed': async () => ((await offscreen.exists()) ? offscreen.reloadCharacter() : { ok: true }),
  'ui/expression': async (msg) =>
    (await offscreen.exists()) ? offscreen.expression({ id: msg.id, action: msg.action, ...(msg.holdMs !== undefined ? { holdMs: msg.holdMs } : {}) }) : { ok: false, error: 'AnimeCam is not running' },
};

function idleStatus() {
  return { running: false, camera: 'off', faceFound: false, backend: null, renderSize: null, renderFps: 0, outputFps: 0, character: null, consumers: 0 };
}

const fromOffscreen: Handler<OffscreenToBackground> = {
  'offscreen/ready': async (msg) => {
    markOffscreenReady();
    watchOffscreen();
    log('info', 'offscreen ready', { crossOriginIsolated: msg.crossOriginIsolated });
    await offscreen.settings(await settings).catch((e) => log('warn', 'could not send settings to offscreen', String(e)));
  },
  'offscreen/log': (msg) => {
    log(msg.level, 'offscreen', msg.text);
  },
  'offscreen/camera-error': (msg) => {
    log('error', 'offscreen could not open the camera', { kind: msg.kind, name: msg.name, message: msg.message });
  },
  'offscreen/consumer-closed': async (msg) => {
    const c = await dropConsumer(msg.consumerId);
    log('info', 'pipeline closed a track', { id: msg.consumerId, reason: msg.reason });
    if (c && c.tabId >= 0) toContent(c.tabId, { type: 'background/track-closed', target: 'content', requestId: c.requestId, reason: msg.reason }, c.frameId);
  },
};

function isOwnExtension(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id;
}
function isOffscreen(sender: Runtime.MessageSender): boolean {
  return isOwnExtension(sender) && !sender.tab && sender.url === browser.runtime.getURL(OFFSCREEN_PATH);
}
function isContentScript(sender: Runtime.MessageSender): boolean {
  return isOwnExtension(sender) && sender.tab?.id !== undefined && !(sender.url ?? '').startsWith(browser.runtime.getURL(''));
}
function isUiPage(sender: Runtime.MessageSender): boolean {
  return isOwnExtension(sender) && (sender.url ?? '').startsWith(browser.runtime.getURL('src/ui/'));
}

/** Malformed messages are logged rate-limited: a page posting garbage in a loop cannot flood the log. */
const logRejectedMessage = rateLimited((line) => log('warn', 'rejected message', line));

function dispatch<U extends { type: string }>(schema: (v: unknown, p: string) => U, table: Handler<U>, raw: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined {
  // Parse at once (malformed input is dropped before anything waits); handle once the state a
  // stopped worker left in storage.session is back.
  const parsed = tryParse(schema, raw);
  if (!parsed.ok) {
    logRejectedMessage(`${parsed.reason} (from ${senderOrigin(sender) ?? 'unknown'})`);
    return undefined;
  }
  return restored.then(() => {
    const r = dispatchMessage(schema, table, parsed.value, sender, (reason) => logRejectedMessage(`${reason} (from ${senderOrigin(sender) ?? 'unknown'})`));
    return r.handled ? r.result : undefined;
  });
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
  let target: unknown;
  try {
    target = (raw as { target?: unknown } | null)?.target;
  } catch {
    target = undefined; // a getter that throws: not a message of ours
  }
  if (target !== 'background') return undefined; // for another context
  if (isContentScript(sender)) return dispatch(contentToBackground, fromContent, raw, sender);
  if (isOffscreen(sender)) return dispatch(offscreenToBackground, fromOffscreen, raw, sender);
  if (isUiPage(sender)) return dispatch(uiToBackground, fromUi, raw, sender);
  logRejectedMessage(`message from an unexpected sender (${senderOrigin(sender) ?? 'unknown'})`);
  return undefined;
});

chrome.tabs.onRemoved.addListener(async (tabId) => {
  await restored;
  for (const c of consumersOfTab(tabId)) {
    void dropConsumer(c.id);
    void offscreen.closeConsumer(c.id).catch(() => undefined);
  }
  void removeUser(tabId);
});

// Tests and benchmarks drive the worker through this; the shipped build has none of it.
if (import.meta.env.MODE === 'test') {
const debugApi = {
  log: () => logEntries(),
  users: () => userCount(),
  consumers: () => consumerCount(),
  openCamera: (deviceId?: string) => offscreen.openCamera(deviceId),
  closeCamera: () => offscreen.closeCamera(),
  probeGpu: () => offscreen.probeGpu(),
  status: () => fromUi['ui/status']({ type: 'ui/status', target: 'background' }, {} as Runtime.MessageSender),
  settings: () => settings,
  setSite: (origin: string, site: { enabled: boolean; replaceCamera: boolean }) =>
    updateSettings((s) => ({ ...s, sites: { ...s.sites, [origin]: site } })),
  updateSettings: (patch: Partial<Settings>) => updateSettings((s) => ({ ...s, ...patch })),
  dropCamera: () => offscreen.dropCamera(),
  deviceIdsFor: (origin: string) => deviceIdsFor(origin, { create: true }),
  dropGpu: () => offscreen.dropGpu(),
  library: async () => (await listCharacters()).map((c) => ({ name: c.name, license: c.license, source: c.source })),
  installSample: (id: SampleId, baseUrl?: string) => installSample(id, baseUrl),
  offscreenDiagnostics: async () => ((await offscreen.exists()) ? offscreen.diagnostics() : null),
  /** Runs a keyboard command as if its shortcut was pressed (headless tests cannot press them). */
  command: (name: string) => runCommand(commandHandlers, name),
  pipelineTimings: async () => ((await offscreen.exists()) ? offscreen.status() : null),
  setOfferTtl: (ms: number) => void (offerTtlMs = ms),
};
(globalThis as unknown as { animecam: typeof debugApi }).animecam = debugApi;
}

log('info', 'service worker started');
void installDevSampleIfEmpty();
