/**
 * Every message that crosses a context boundary, in one place, each with its schema.
 * Names say the direction: `page/...` is posted by the page-world script, `bridge/...` by the
 * content bridge to the page, `content/...` by the bridge to the background, `background/...` by the
 * service worker to the offscreen document, and `offscreen/...` back to the service worker.
 * A receiver calls `parse*` and drops (and logs) whatever does not validate.
 */
import { arr, bool, int, lit, nullable, num, obj, oneOf, optional, str, tagged, ValidationError, type Schema } from './validate';
import { EXPRESSION_IDS } from '../core/pose/expressions';

/** Show or hide an expression: a shortcut press ('key'), a held popup button ('hold', re-sent while held), 'release'. */
const expressionRequest = { id: oneOf(EXPRESSION_IDS), action: oneOf(['key', 'hold', 'release'] as const), holdMs: optional(int(0, 10_000)) };

/** Marker on window.postMessage envelopes so the bridge ignores the page's own traffic. */
export const ENVELOPE_TAG = 'animecam/v1';

// ---- page world <-> content bridge (window.postMessage: never trusted) ----

const requestId = int(0, 1e9);
const sdp = str(64_000);
/**
 * What the virtual camera serves: the same bounds as the page side's capabilities
 * (ANIMECAM_DEVICE in src/page/constraints.ts, checked equal by a unit test). Anything bigger is refused here,
 * so a forged request cannot ask the pipeline for more than a real getUserMedia call could.
 */
export const TRACK_LIMITS = {
  width: { min: 160, max: 1920 },
  height: { min: 120, max: 1080 },
  frameRate: { min: 1, max: 30 },
} as const;
const plan = {
  width: int(TRACK_LIMITS.width.min, TRACK_LIMITS.width.max),
  height: int(TRACK_LIMITS.height.min, TRACK_LIMITS.height.max),
  frameRate: num(TRACK_LIMITS.frameRate.min, TRACK_LIMITS.frameRate.max),
};

export const pageToBridge = tagged({
  'page/hello': obj({ type: lit('page/hello'), topFrame: bool }),
  'page/ping': obj({ type: lit('page/ping'), id: int(0) }),
  'page/gum-called': obj({ type: lit('page/gum-called'), video: bool, audio: bool }),
  /** The page wants an AnimeCam track of this size; the answer is an SDP offer. */
  'page/open-track': obj({ type: lit('page/open-track'), requestId, ...plan }),
  'page/track-answer': obj({ type: lit('page/track-answer'), requestId, sdp }),
  'page/track-constraints': obj({ type: lit('page/track-constraints'), requestId, ...plan }),
  'page/track-ended': obj({ type: lit('page/track-ended'), requestId }),
  /** The track's frames stopped coming (the offscreen document closed or crashed): send a new offer. */
  'page/track-lost': obj({ type: lit('page/track-lost'), requestId }),
});
export type PageToBridge = ReturnType<typeof pageToBridge>;

export const bridgeToPage = tagged({
  'bridge/pong': obj({ type: lit('bridge/pong'), id: int(0), path: arr(str(32), 8), ok: bool, error: optional(str()) }),
  /** AnimeCam's switches for this site; sent at start and whenever they change. */
  'bridge/state': obj({ type: lit('bridge/state'), enabled: bool, replaceCamera: bool, deviceId: str(64), groupId: str(64) }),
  /** The offer for a track the page asked for; again for an open track when its connection is rebuilt. */
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
  'content/track-lost': obj({ type: lit('content/track-lost'), target: lit('background'), requestId }),
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
  /** A new offer for an open track (a new offscreen document serves it): the page answers on a new connection. */
  'background/track-offer': obj({ type: lit('background/track-offer'), target: lit('content'), requestId, sdp }),
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

/** The offscreen document's heap (bytes; 0 where the browser does not say) and frames sent to all tracks so far. */
export const diagnosticsResponse = obj({ heapUsed: num(0, 1e13), heapTotal: num(0, 1e13), framesSent: int(0, Number.MAX_SAFE_INTEGER) });
export type DiagnosticsResponse = ReturnType<typeof diagnosticsResponse>;

/** The offscreen document's answer to background/calibrate: the captured calibration, saved by the service worker in settings. */
export const calibrateResponse = obj({ ok: bool, calibration: optional(passthroughJson), error: optional(str(1024)) });
export type CalibrateResponse = ReturnType<typeof calibrateResponse>;

export const backgroundToOffscreen = tagged({
  'background/ping': obj({ type: lit('background/ping'), target: lit('offscreen'), id: int(0) }),
  'background/open-camera': obj({
    type: lit('background/open-camera'),
    target: lit('offscreen'),
    deviceId: optional(str(512)),
  }),
  'background/close-camera': obj({ type: lit('background/close-camera'), target: lit('offscreen') }),
  'background/probe-gpu': obj({ type: lit('background/probe-gpu'), target: lit('offscreen') }),
  /** `origin`: the call's site (camera-free mode is per site); absent for extension pages. */
  'background/open-consumer': obj({ type: lit('background/open-consumer'), target: lit('offscreen'), consumerId: str(64), ...plan, origin: optional(str(512)) }),
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
  /** Diagnostics for the soak run: the document's JS heap and the frames it sent. */
  'background/diagnostics': obj({ type: lit('background/diagnostics'), target: lit('offscreen') }),
  'background/expression': obj({ type: lit('background/expression'), target: lit('offscreen'), ...expressionRequest }),
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
  /** 'webgpu' when there is a WebGPU adapter, otherwise the fallback that will be used (`reason`: the automatic render plan). */
  backend: oneOf(['webgpu', 'wasm'] as const),
  adapter: nullable(obj({ vendor: str(256), architecture: str(256), isFallbackAdapter: bool })),
  reason: optional(str(2048)),
});
export type GpuResult = ReturnType<typeof gpuResult>;

/**
 * The service worker holds a runtime port to the offscreen document while tracks are open: it
 * disconnects when the document closes or its process dies, so the worker can rebuild it at once.
 */
export const OFFSCREEN_WATCH_PORT = 'animecam/offscreen-watch';

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
  'ui/expression': obj({ type: lit('ui/expression'), target: lit('background'), ...expressionRequest }),
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
  /** Every open consumer is camera-free: the real camera is closed and idle motion drives the character. */
  cameraFree: optional(bool),
  /** Expressions shown or blending now. */
  expressions: optional(arr(oneOf(EXPRESSION_IDS), 16)),
  /** The call's microphone reaches the voice mouth (live), and the mouth opening it gives now. */
  voice: optional(obj({ live: bool, opening: num(0, 1) })),
  /** The 45 pose values last sent to the renderer (for the options page's bars). */
  pose: optional(arr(num(-10, 10), 45)),
  /** Per-stage times (ms) over the last few hundred frames. */
  stages: optional(arr(obj({ name: str(32), median: num(0, 1e7), p95: num(0, 1e7), count: int(0, 1e9) }), 16)),
});
export type PipelineStatus = ReturnType<typeof pipelineStatus>;

/** Runs a schema and turns failure into a one-line reason for the log; never throws. */
export function tryParse<T>(schema: Schema<T>, value: unknown): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    return { ok: true, value: schema(value, 'msg') };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, reason: e.message };
    return { ok: false, reason: `unreadable message (${safeString(e)})` };
  }
}

/** String(e) for anything, even objects whose toString throws (a page can post those). */
function safeString(e: unknown): string {
  try {
    return String(e).slice(0, 200);
  } catch {
    return 'unprintable value';
  }
}

export interface RateLimit {
  /** At most this many lines per window... */
  lines: number;
  windowMs: number;
}

/**
 * A logger that writes at most `lines` lines per window and then one summary of what it held
 * back, so a page posting garbage in a loop cannot flood the console or the service worker's log.
 */
export function rateLimited(write: (line: string) => void, limit: RateLimit = { lines: 10, windowMs: 10_000 }, now: () => number = Date.now): (line: string) => void {
  let windowStart = -Infinity;
  let written = 0;
  let held = 0;
  return (line) => {
    const t = now();
    if (t - windowStart >= limit.windowMs) {
      if (held > 0) write(`${held} more rejected message(s) not logged in the last ${limit.windowMs / 1000} s`);
      windowStart = t;
      written = 0;
      held = 0;
    }
    if (written < limit.lines) {
      written++;
      write(line);
    } else held++;
  };
}

const rejectedLoggers = new Map<string, (line: string) => void>();

/** Logs a rejected message the same way everywhere (rate-limited per context), so tests and users can find it. */
export function logRejected(context: string, reason: string): void {
  let l = rejectedLoggers.get(context);
  if (!l) {
    l = rateLimited((line) => console.warn(`[AnimeCam:${context}] ${line}`));
    rejectedLoggers.set(context, l);
  }
  l(`rejected malformed message: ${reason}`);
}

/** A handler table keyed by message type; each handler gets its own member of the union. */
export type HandlerTable<U extends { type: string }, C = void, R = unknown> = {
  [K in U['type']]: (msg: Extract<U, { type: K }>, ctx: C) => R;
};

/**
 * The one way a receiver handles an incoming message: parse with the schema, drop (and report)
 * what does not validate, and run the handler for its type. Never throws, and a failing handler
 * cannot leak an exception to the sender: the result is `{ handled: false }` in both cases, and
 * handlers run only for messages their schema accepted.
 */
export function dispatchMessage<U extends { type: string }, C, R>(
  schema: Schema<U>,
  table: HandlerTable<U, C, R>,
  raw: unknown,
  ctx: C,
  reject: (reason: string) => void,
): { handled: true; result: Promise<Awaited<R> | undefined> } | { handled: false } {
  const parsed = tryParse(schema, raw);
  if (!parsed.ok) {
    reject(parsed.reason);
    return { handled: false };
  }
  // The table is keyed by type, so this cast only restates what the lookup guarantees.
  const handler = table[parsed.value.type as U['type']] as unknown as (m: U, c: C) => R;
  const failed = (e: unknown): undefined => {
    reject(`handler for ${parsed.value.type} failed: ${safeString(e)}`);
    return undefined;
  };
  try {
    return { handled: true, result: Promise.resolve(handler(parsed.value, ctx)).catch(failed) as Promise<Awaited<R> | undefined> };
  } catch (e) {
    return { handled: true, result: Promise.resolve(failed(e)) };
  }
}
