/**
 * Offscreen document: the pipeline's home (camera, tracking, rendering, outgoing tracks).
 * Listens only to the service worker: content scripts' and other pages' messages are ignored.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { backgroundToOffscreen, dispatchMessage, logRejected, OFFSCREEN_WATCH_PORT, type BackgroundToOffscreen, type OffscreenToBackground } from '../shared/messages';
import { getBackground, getCharacter, listCharacters, recordFiles } from '../shared/character-store';
import { probeGpu, renderFacts } from './gpu';
import { createCharacterRenderer, loseGpuDevice } from './pipeline/character-renderer';
import { planRender } from './pipeline/render-plan';
import { Pipeline } from './pipeline/pipeline';
import { TrackerClient } from './tracker/tracker-client';
import { compareCompositors, timeCompositors } from './gpu/compositor-check';

type Handler<U extends { type: string }> = { [K in U['type']]: (msg: Extract<U, { type: K }>) => Promise<unknown> | unknown };

function toBackground(msg: OffscreenToBackground): void {
  browser.runtime.sendMessage(msg).catch(() => undefined);
}

const pipeline = new Pipeline({
  // MediaPipe runs on its own worker (a classic one: MediaPipe loads its wasm glue with
  // importScripts); the worker has no extension APIs, so it gets the packaged files' URLs.
  createTracker: () =>
    TrackerClient.create({
      spawn: () => new Worker(new URL('./tracker/face-tracker.worker.ts', import.meta.url), { name: 'animecam-tracker' }),
      wasmBase: chrome.runtime.getURL('mediapipe'),
      modelUrl: chrome.runtime.getURL('models/face_landmarker.task'),
    }),
  async createRenderer(settings) {
    // The selected character, else the first in the library.
    const id = settings.characterId ?? (await listCharacters())[0]?.id;
    const rec = id ? await getCharacter(id) : null;
    if (!rec) return null;
    return createCharacterRenderer(recordFiles(rec), { id: rec.id, name: rec.name }, planRender(await renderFacts(settings)));
  },
  async loadBackground(id) {
    const blob = await getBackground(id);
    return blob ? createImageBitmap(blob) : null;
  },
  onConsumerClosed(consumerId, reason) {
    toBackground({ type: 'offscreen/consumer-closed', target: 'background', consumerId, reason: reason.slice(0, 256) });
  },
});

// Copy warnings and errors to the service worker's log, where the popup and tests can read them.
for (const level of ['warn', 'error'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    original(...args);
    const text = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : safeJson(a))).join(' ');
    toBackground({ type: 'offscreen/log', target: 'background', level, text: text.slice(0, 4096) });
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function errorOf(e: unknown): { name: string; message: string } {
  return { name: (e instanceof Error ? e.name : 'Error').slice(0, 64), message: (e instanceof Error ? e.message : String(e)).slice(0, 1024) };
}

const handlers: Handler<BackgroundToOffscreen> = {
  'background/ping': () => ({ ok: true, path: ['offscreen'] }),
  'background/open-camera': async (msg) => {
    const res = await pipeline.cameraSource.probe(msg.deviceId);
    if (!res.ok && res.error) {
      console.error('[AnimeCam:offscreen] camera failed:', res.error.name, res.error.message);
      toBackground({ type: 'offscreen/camera-error', target: 'background', ...res.error });
    }
    return res;
  },
  'background/close-camera': () => {
    pipeline.cameraSource.closeProbe();
    return { ok: true };
  },
  'background/probe-gpu': () => probeGpu(),
  'background/open-consumer': async (msg) => {
    try {
      const sdp = await pipeline.openConsumer(msg.consumerId, { width: msg.width, height: msg.height, frameRate: msg.frameRate }, msg.origin ?? null);
      return { ok: true, sdp };
    } catch (e) {
      pipeline.closeConsumer(msg.consumerId, 'failed to open', false);
      return { ok: false, error: errorOf(e) };
    }
  },
  'background/consumer-answer': async (msg) => {
    try {
      return { ok: await pipeline.answer(msg.consumerId, msg.sdp) };
    } catch (e) {
      return { ok: false, error: String(e).slice(0, 1024) };
    }
  },
  'background/consumer-constraints': (msg) => ({ ok: pipeline.constrain(msg.consumerId, { width: msg.width, height: msg.height, frameRate: msg.frameRate }) }),
  'background/close-consumer': (msg) => {
    pipeline.closeConsumer(msg.consumerId, 'closed by the page', false);
    return { ok: true };
  },
  'background/settings': (msg) => {
    pipeline.applySettings(msg.settings);
    return { ok: true };
  },
  'background/pipeline-status': () => pipeline.status(),
  'background/calibrate': () => {
    const calibration = pipeline.calibrate();
    return calibration ? { ok: true, calibration } : { ok: false, error: 'no face was seen in the last second. Look at the camera and try again.' };
  },
  'background/drop-camera': () => ({ ok: pipeline.dropCamera() }),
  'background/drop-gpu': async () => ({ ok: await loseGpuDevice() }),
  'background/diagnostics': () => {
    // performance.memory is Chrome-only (precise with --enable-precise-memory-info).
    const mem = (performance as Performance & { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
    return { heapUsed: mem?.usedJSHeapSize ?? 0, heapTotal: mem?.totalJSHeapSize ?? 0, framesSent: pipeline.framesSent() };
  },
  'background/expression': (msg) => {
    pipeline.life.expression(msg.id, msg.action, msg.holdMs);
    return { ok: true };
  },
  'background/reload-character': async () => {
    await pipeline.reloadCharacter();
    return { ok: true };
  },
};

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
  if ((raw as { target?: unknown } | null)?.target !== 'offscreen') return undefined;
  // Only the service worker (our own extension, not a tab) may drive the pipeline.
  if (sender.id !== browser.runtime.id || sender.tab) return undefined;
  const r = dispatchMessage(backgroundToOffscreen, handlers, raw, undefined, (reason) => logRejected('offscreen', reason));
  return r.handled ? r.result : undefined;
});

// The service worker's watch port: held open so that it learns at once when this document goes away.
const watchPorts = new Set<Runtime.Port>();
browser.runtime.onConnect.addListener((port) => {
  if (port.name !== OFFSCREEN_WATCH_PORT || port.sender?.id !== browser.runtime.id) return;
  watchPorts.add(port);
  port.onDisconnect.addListener(() => watchPorts.delete(port));
});

// Tests and the call benchmark read per-stage timings from here (test build only).
if (import.meta.env.MODE === 'test') (globalThis as unknown as { animecamPipeline: Pipeline }).animecamPipeline = pipeline;
// Tests and the compositor benchmark compare and time the 2D and GPU compositors here (test build only).
if (import.meta.env.MODE === 'test') (globalThis as unknown as { animecamCompositors: unknown }).animecamCompositors = { compare: compareCompositors, time: timeCompositors };

toBackground({ type: 'offscreen/ready', target: 'background', crossOriginIsolated: self.crossOriginIsolated });
