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

export const pageToBridge = tagged({
  'page/hello': obj({ type: lit('page/hello'), topFrame: bool }),
  'page/ping': obj({ type: lit('page/ping'), id: int(0) }),
  'page/gum-called': obj({ type: lit('page/gum-called'), video: bool, audio: bool }),
});
export type PageToBridge = ReturnType<typeof pageToBridge>;

export const bridgeToPage = tagged({
  'bridge/pong': obj({ type: lit('bridge/pong'), id: int(0), path: arr(str(32), 8), ok: bool, error: optional(str()) }),
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
});
export type ContentToBackground = ReturnType<typeof contentToBackground>;

export const pingResponse = obj({ ok: bool, path: arr(str(32), 8), error: optional(str()) });
export type PingResponse = ReturnType<typeof pingResponse>;

// ---- background -> offscreen document ----

export const backgroundToOffscreen = tagged({
  'background/ping': obj({ type: lit('background/ping'), target: lit('offscreen'), id: int(0) }),
  'background/open-camera': obj({
    type: lit('background/open-camera'),
    target: lit('offscreen'),
    deviceId: optional(str(512)),
  }),
  'background/close-camera': obj({ type: lit('background/close-camera'), target: lit('offscreen') }),
  'background/probe-gpu': obj({ type: lit('background/probe-gpu'), target: lit('offscreen') }),
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
  'offscreen/camera-error': obj({
    type: lit('offscreen/camera-error'),
    target: lit('background'),
    kind: oneOf(CAMERA_ERRORS),
    name: str(128),
    message: str(2048),
  }),
});
export type OffscreenToBackground = ReturnType<typeof offscreenToBackground>;

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
