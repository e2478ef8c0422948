/**
 * Every message that crosses a context boundary, in one place, each with its schema.
 * Names say the direction: `page/...` is posted by the page-world script, `bridge/...` by the
 * content bridge to the page, `content/...` by the bridge to the background, `background/...` by the
 * service worker to the offscreen document, and `offscreen/...` back to the service worker.
 * A receiver calls `parse*` and drops (and logs) whatever does not validate.
 */
import { arr, bool, int, lit, nullable, num, obj, oneOf, optional, str, tagged, ValidationError, type Schema } from './validate';

/** Marker on window.postMessage envelopes so the bridge ignores the page's own traffic. */
export const ENVELOPE_TAG = 'animecam/v1';

// ---- page world <-> content bridge (window.postMessage: never trusted) ----

const requestId = int(0, 1e9);
const sdp = str(64_000);
const plan = { width: int(2, 4096), height: int(2, 4096), frameRate: num(1, 120) };

export const pageToBridge = tagged({
  'page/hello': obj({ type: lit('page/hello'), topFrame: bool }),
  'page/ping': obj({ type: lit('page/ping'), id: int(0) }),
  'page/gum-called': obj({ type: lit('page/gum-called'), video: bool, audio: bool }),
  /** The page wants an AnimeCam track of this size; the answer is an SDP offer. */
  'page/open-track': obj({ type: lit('page/open-track'), requestId, ...plan }),
  'page/track-answer': obj({ type: lit('page/track-answer'), requestId, sdp }),
  'page/track-constraints': obj({ type: lit('page/track-constraints'), requestId, ...plan }),
  'page/track-ended': obj({ type: lit('page/track-ended'), requestId }),
});
export type PageToBridge = ReturnType<typeof pageToBridge>;

export const bridgeToPage = tagged({
  'bridge/pong': obj({ type: lit('bridge/pong'), id: int(0), path: arr(str(32), 8), ok: bool, error: optional(str()) }),
  /** AnimeCam's switches for this site; sent at start and whenever they change. */
  'bridge/state': obj({ type: lit('bridge/state'), enabled: bool, replaceCamera: bool, deviceId: str(64), groupId: str(64) }),
  'bridge/track-offer': obj({ type: lit('bridge/track-offer'), requestId, sdp }),
  'bridge/track-error': obj({ type: lit('bridge/track-error'), requestId, name: str(64), message: str(1024) }),
  /** The pipeline ended this track (AnimeCam switched off, extension going away). */
  'bridge/track-closed': obj({ type: lit('bridge/track-closed'), requestId, reason: str(256) }),
});
export type BridgeToPage = ReturnType<typeof bridgeToPage>;

export interface Envelope<M> {
  tag: typeof ENVELOPE_TAG;
  dir: 'to-bridge' | 'to-page';
  msg: M;
}

/** Unwraps a window message; null when it is not ours (silently) — throws when it is ours but malformed. */
export function openEnvelope<M>(data: unknown, dir: Envelope<M>['dir'], schema: Schema<M>): M | null {
  if (typeof data !== 'object' || data === null) return null;
  const env = data as Partial<Envelope<unknown>>;
  if (env.tag !== ENVELOPE_TAG || env.dir !== dir) return null;
  return schema(env.msg, 'msg');
}

export function makeEnvelope<M>(dir: Envelope<M>['dir'], msg: M): Envelope<M> {
  return { tag: ENVELOPE_TAG, dir, msg };
}

// ---- content bridge -> background (runtime messages) ----

export const contentToBackground = tagged({
  'content/ping': obj({ type: lit('content/ping'), target: lit('background'), id: int(0) }),
  'content/gum-called': obj({ type: lit('content/gum-called'), target: lit('background'), video: bool, audio: bool }),
  'content/get-state': obj({ type: lit('content/get-state'), target: lit('background') }),
  'content/open-track': obj({ type: lit('content/open-track'), target: lit('background'), requestId, ...plan }),
  'content/track-answer': obj({ type: lit('content/track-answer'), target: lit('background'), requestId, sdp }),
  'content/track-constraints': obj({ type: lit('content/track-constraints'), target: lit('background'), requestId, ...plan }),
  'content/track-ended': obj({ type: lit('content/track-ended'), target: lit('background'), requestId }),
});

/** A site's switches, with AnimeCam's device ids for the asking origin (a keyed hash of it). */
export const siteState = obj({ enabled: bool, replaceCamera: bool, deviceId: str(64), groupId: str(64) });
export type SiteState = ReturnType<typeof siteState>;

export const offerResponse = obj({ ok: bool, sdp: optional(sdp), error: optional(obj({ name: str(64), message: str(1024) })) });
export type OfferResponse = ReturnType<typeof offerResponse>;

export const okResponse = obj({ ok: bool, error: optional(str(1024)) });
export type OkResponse = ReturnType<typeof okResponse>;

// ---- background -> content bridge (tabs.sendMessage) ----

export const backgroundToContent = tagged({
  'background/site-state': obj({ type: lit('background/site-state'), target: lit('content'), enabled: bool, replaceCamera: bool }),
  'background/track-closed': obj({ type: lit('background/track-closed'), target: lit('content'), requestId, reason: str(256) }),
});
export type BackgroundToContent = ReturnType<typeof backgroundToContent>;
export type ContentToBackground = ReturnType<typeof contentToBackground>;

export const pingResponse = obj({ ok: bool, path: arr(str(32), 8), error: optional(str()) });
export type PingResponse = ReturnType<typeof pingResponse>;

// ---- background -> offscreen document ----

/** Settings are sanitised by the receiver (sanitizeSettings); here we only bound their size. */
const passthroughJson: Schema<unknown> = (v, p) => {
  if (JSON.stringify(v ?? null).length > 200_000) throw new ValidationError(p, 'settings too large');
  return v;
};

export const backgroundToOffscreen = tagged({
  'background/ping': obj({ type: lit('background/ping'), target: lit('offscreen'), id: int(0) }),
  'background/open-camera': obj({
    type: lit('background/open-camera'),
    target: lit('offscreen'),
    deviceId: optional(str(512)),
  }),
  'background/close-camera': obj({ type: lit('background/close-camera'), target: lit('offscreen') }),
  'background/probe-gpu': obj({ type: lit('background/probe-gpu'), target: lit('offscreen') }),
  'background/open-consumer': obj({ type: lit('background/open-consumer'), target: lit('offscreen'), consumerId: str(64), ...plan }),
  'background/consumer-answer': obj({ type: lit('background/consumer-answer'), target: lit('offscreen'), consumerId: str(64), sdp }),
  'background/consumer-constraints': obj({ type: lit('background/consumer-constraints'), target: lit('offscreen'), consumerId: str(64), ...plan }),
  'background/close-consumer': obj({ type: lit('background/close-consumer'), target: lit('offscreen'), consumerId: str(64) }),
  'background/settings': obj({ type: lit('background/settings'), target: lit('offscreen'), settings: passthroughJson }),
  'background/pipeline-status': obj({ type: lit('background/pipeline-status'), target: lit('offscreen') }),
  'background/calibrate': obj({ type: lit('background/calibrate'), target: lit('offscreen') }),
  /** Diagnostics: stop the real camera as if it were unplugged (the pipeline must carry on). */
  'background/drop-camera': obj({ type: lit('background/drop-camera'), target: lit('offscreen') }),
  /** Diagnostics: destroy the renderer's GPU device as a driver reset would (the pipeline must recover). */
  'background/drop-gpu': obj({ type: lit('background/drop-gpu'), target: lit('offscreen') }),
  'background/reload-character': obj({ type: lit('background/reload-character'), target: lit('offscreen') }),
});
export type BackgroundToOffscreen = ReturnType<typeof backgroundToOffscreen>;

export const CAMERA_ERRORS = ['denied', 'missing', 'busy', 'overconstrained', 'unknown'] as const;
export type CameraErrorKind = (typeof CAMERA_ERRORS)[number];

export const cameraResult = obj({
  ok: bool,
  label: optional(str(512)),
  width: optional(int(0, 16384)),
  height: optional(int(0, 16384)),
  frameRate: optional(num(0, 1000)),
  error: optional(obj({ kind: oneOf(CAMERA_ERRORS), name: str(128), message: str(2048) })),
});
export type CameraResult = ReturnType<typeof cameraResult>;

export const gpuResult = obj({
  ok: bool,
  /** 'webgpu' when a device was created, otherwise the fallback that will be used. */
  backend: oneOf(['webgpu', 'wasm'] as const),
  adapter: nullable(obj({ vendor: str(256), architecture: str(256), isFallbackAdapter: bool })),
  reason: optional(str(2048)),
});
export type GpuResult = ReturnType<typeof gpuResult>;

// ---- offscreen document -> background ----

export const offscreenToBackground = tagged({
  'offscreen/ready': obj({ type: lit('offscreen/ready'), target: lit('background'), crossOriginIsolated: bool }),
  /** A warning or error in the pipeline, copied to the service worker's log (the document has no visible console). */
  'offscreen/log': obj({ type: lit('offscreen/log'), target: lit('background'), level: oneOf(['warn', 'error'] as const), text: str(4096) }),
  /** A consumer's connection ended on the pipeline's side. */
  'offscreen/consumer-closed': obj({ type: lit('offscreen/consumer-closed'), target: lit('background'), consumerId: str(64), reason: str(256) }),
  'offscreen/camera-error': obj({
    type: lit('offscreen/camera-error'),
    target: lit('background'),
    kind: oneOf(CAMERA_ERRORS),
    name: str(128),
    message: str(2048),
  }),
});
export type OffscreenToBackground = ReturnType<typeof offscreenToBackground>;

// ---- extension pages (popup, options) -> background ----

export const uiToBackground = tagged({
  'ui/status': obj({ type: lit('ui/status'), target: lit('background') }),
  'ui/calibrate': obj({ type: lit('ui/calibrate'), target: lit('background') }),
  /** A live preview of what calls see: the same track a call gets, answered by the page. */
  'ui/open-preview': obj({ type: lit('ui/open-preview'), target: lit('background'), previewId: str(64), ...plan }),
  'ui/preview-answer': obj({ type: lit('ui/preview-answer'), target: lit('background'), previewId: str(64), sdp }),
  'ui/close-preview': obj({ type: lit('ui/close-preview'), target: lit('background'), previewId: str(64) }),
  /** The character library changed (import, delete, rename): reload the selected character. */
  'ui/library-changed': obj({ type: lit('ui/library-changed'), target: lit('background') }),
});
export type UiToBackground = ReturnType<typeof uiToBackground>;

export const PIPELINE_CAMERA_STATES = ['off', 'starting', 'on', 'error'] as const;
export const pipelineStatus = obj({
  running: bool,
  camera: oneOf(PIPELINE_CAMERA_STATES),
  cameraError: optional(obj({ kind: oneOf(CAMERA_ERRORS), message: str(2048) })),
  cameraLabel: optional(str(512)),
  faceFound: bool,
  /** 'webgpu' | 'wasm' once the renderer runs; null before. */
  backend: nullable(oneOf(['webgpu', 'wasm'] as const)),
  backendNote: optional(str(2048)),
  renderSize: nullable(int(0, 4096)),
  renderFps: num(0, 1000),
  outputFps: num(0, 1000),
  character: nullable(obj({ id: str(128), name: str(256) })),
  characterError: optional(str(2048)),
  consumers: int(0, 1000),
  /** The 45 pose values last sent to the renderer (for the options page's bars). */
  pose: optional(arr(num(-10, 10), 45)),
  /** Per-stage times (ms) over the last few hundred frames. */
  stages: optional(arr(obj({ name: str(32), median: num(0, 1e7), p95: num(0, 1e7), count: int(0, 1e9) }), 16)),
});
export type PipelineStatus = ReturnType<typeof pipelineStatus>;

/** Runs a schema and turns failure into a one-line reason for the log. */
export function tryParse<T>(schema: Schema<T>, value: unknown): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    return { ok: true, value: schema(value, 'msg') };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, reason: e.message };
    return { ok: false, reason: String(e) };
  }
}

/** Logs a rejected message the same way everywhere, so tests and users can find it. */
export function logRejected(context: string, reason: string): void {
  console.warn(`[AnimeCam:${context}] rejected malformed message: ${reason}`);
}
