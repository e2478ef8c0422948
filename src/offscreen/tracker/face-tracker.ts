/**
 * MediaPipe FaceLandmarker (VIDEO mode, one face, blendshapes + transformation matrix) loaded
 * entirely from files packaged in the extension. `detect` is safe to call every frame: it never
 * throws and returns null for "no usable face".
 */
import { FaceLandmarker, type FaceLandmarkerResult } from '@mediapipe/tasks-vision';
import type { FaceObservation } from '../../core/pose/blendshapes';
import { chooseDelegate, median, type Delegate, type DelegateChoice, type DelegateTiming } from './delegate-choice';
import { MonotonicClock } from './monotonic-clock';
import { toFaceObservation } from './observation';
import { faceWidthShare } from './tracker-input';
import { RateLimitedLog, type LogSink } from './rate-limited-log';

export type FrameSource = TexImageSource | VideoFrame;

export interface FaceTrackerOptions {
  /** Folder URL holding vision_wasm_internal.{js,wasm}; default: the extension's mediapipe/. */
  wasmBase?: string;
  /** Model URL; default: the extension's models/face_landmarker.task. */
  modelUrl?: string;
  /** 'auto' (default) measures both delegates on `probeFrame` and keeps the faster. */
  delegate?: Delegate | 'auto';
  /** Frame used to time the delegates, ideally the camera's first frame; default: a synthetic one. */
  probeFrame?: FrameSource;
  /**
   * With 'auto', skip timing GPU when WebGL reports a software renderer (SwiftShader, llvmpipe):
   * there the GPU delegate is emulated on the CPU, and its first run alone takes seconds. Default true.
   */
  skipSoftwareGpu?: boolean;
  /** Where problems are reported; default console.warn. */
  log?: LogSink;
}

export interface TrackerStats {
  frames: number;
  faces: number;
  /** Frames skipped because they had no pixels (e.g. a video not yet playing). */
  empty: number;
  errors: number;
}

/** Warm-up runs (shader compilation, first-frame allocation) before timing, then timed runs. */
const PROBE_WARMUP = 2;
const PROBE_RUNS = 3;

const defaultLog: LogSink = (message, detail) => console.warn(`[AnimeCam:tracker] ${message}`, detail ?? '');

export class FaceTracker {
  private readonly clock: MonotonicClock;
  private readonly failures: RateLimitedLog;
  private closed = false;
  readonly stats: TrackerStats = { frames: 0, faces: 0, empty: 0, errors: 0 };

  private constructor(
    private readonly landmarker: FaceLandmarker,
    readonly choice: DelegateChoice,
    clock: MonotonicClock,
    log: LogSink,
  ) {
    this.clock = clock;
    this.failures = new RateLimitedLog(log);
  }

  get delegate(): Delegate {
    return this.choice.delegate;
  }

  /**
   * Loads the wasm and the model and picks the delegate. Rejects with an Error naming the model
   * or wasm URL when either cannot be loaded (start-up, unlike `detect`, may fail loudly).
   */
  static async create(opts: FaceTrackerOptions = {}): Promise<FaceTracker> {
    const log = opts.log ?? defaultLog;
    const wasmBase = (opts.wasmBase ?? chrome.runtime.getURL('mediapipe')).replace(/\/+$/, '');
    const modelUrl = opts.modelUrl ?? chrome.runtime.getURL('models/face_landmarker.task');
    const model = await loadModel(modelUrl);
    const fileset = { wasmLoaderPath: `${wasmBase}/vision_wasm_internal.js`, wasmBinaryPath: `${wasmBase}/vision_wasm_internal.wasm` };
    const make = (delegate: Delegate) =>
      FaceLandmarker.createFromOptions(fileset, {
        // MediaPipe may keep the buffer: each landmarker gets its own copy.
        baseOptions: { modelAssetBuffer: model.slice(), delegate },
        runningMode: 'VIDEO',
        numFaces: 1,
        outputFaceBlendshapes: true,
        outputFacialTransformationMatrixes: true,
      });
    const clock = new MonotonicClock();

    const requested = opts.delegate ?? 'auto';
    if (requested !== 'auto') {
      const landmarker = await make(requested).catch((e: unknown) => {
        throw new Error(`Face tracker could not start (${requested} delegate, wasm ${fileset.wasmLoaderPath}): ${message(e)}`);
      });
      const choice: DelegateChoice = { delegate: requested, reason: `${requested} requested`, timings: [] };
      return new FaceTracker(landmarker, choice, clock, log);
    }

    const probe = opts.probeFrame ?? syntheticFrame();
    const candidates = new Map<Delegate, FaceLandmarker>();
    const timings: DelegateTiming[] = [];
    const software = opts.skipSoftwareGpu === false ? null : softwareRenderer();
    for (const delegate of ['CPU', 'GPU'] as const) {
      if (delegate === 'GPU' && software) {
        timings.push({ delegate, medianMs: null, error: `skipped: software WebGL renderer (${software})` });
        continue;
      }
      try {
        const landmarker = await make(delegate);
        candidates.set(delegate, landmarker);
        timings.push({ delegate, medianMs: timeDetections(landmarker, probe, clock) });
      } catch (e) {
        timings.push({ delegate, medianMs: null, error: message(e).slice(0, 200) });
      }
    }
    const choice = chooseDelegate(timings);
    const winner = candidates.get(choice.delegate);
    for (const [d, lm] of candidates) if (lm !== winner) closeQuietly(lm, d);
    if (!winner) {
      throw new Error(`Face tracker could not start with either delegate (wasm ${fileset.wasmLoaderPath}): ${choice.reason}`);
    }
    return new FaceTracker(winner, choice, clock, log);
  }

  /** Width share of the frame the last face found spans (null: none in the last frame). */
  lastFaceShare: number | null = null;

  /**
   * The face in `source` at `timestampMs`, or null (no face, an empty or black frame, a closed
   * tracker, or any failure inside MediaPipe, which is logged at most every few seconds).
   * Timestamps that do not move forward are nudged forward, as VIDEO mode requires.
   */
  detect(source: FrameSource, timestampMs: number): FaceObservation | null {
    if (this.closed) return null;
    this.stats.frames++;
    if (!hasPixels(source)) {
      this.stats.empty++;
      return null;
    }
    let result: FaceLandmarkerResult;
    try {
      result = this.landmarker.detectForVideo(source, this.clock.next(timestampMs));
    } catch (e) {
      this.stats.errors++;
      this.failures.log(`face detection failed: ${message(e)}`);
      return null;
    }
    const obs = toFaceObservation(result);
    if (obs) this.stats.faces++;
    this.lastFaceShare = obs ? faceWidthShare(result.faceLandmarks?.[0]) : null;
    return obs;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeQuietly(this.landmarker, this.delegate);
  }
}

/** Fetches the model bundle; the error names the URL whatever went wrong. */
async function loadModel(url: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new Error(`Face model could not be loaded from ${url}: ${message(e)}`);
  }
  // A .task bundle is a zip archive; anything else (an HTML error page, an empty file) is not a model.
  if (!hasZipDirectory(bytes)) {
    throw new Error(`Face model at ${url} is not a MediaPipe .task bundle (${bytes.length} bytes).`);
  }
  return bytes;
}

/** True when the zip end-of-central-directory record ("PK\x05\x06") sits in its allowed tail. */
function hasZipDirectory(bytes: Uint8Array): boolean {
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true;
  }
  return false;
}

/** Median ms of a few detections after warm-up. Throws if MediaPipe does. */
function timeDetections(landmarker: FaceLandmarker, frame: FrameSource, clock: MonotonicClock): number {
  const times: number[] = [];
  for (let i = 0; i < PROBE_WARMUP + PROBE_RUNS; i++) {
    const t0 = performance.now();
    landmarker.detectForVideo(frame, clock.next(t0));
    if (i >= PROBE_WARMUP) times.push(performance.now() - t0);
  }
  return median(times);
}

/** The WebGL renderer's name when it is a software rasterizer, else null. */
function softwareRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(name) ? name.slice(0, 120) : null;
  } catch {
    return null;
  }
}

/** A 640x480 frame with a soft face-sized blob, so the probe exercises the detector like a camera would. */
function syntheticFrame(): OffscreenCanvas {
  const canvas = new OffscreenCanvas(640, 480);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const g = ctx.createRadialGradient(320, 220, 20, 320, 240, 260);
    g.addColorStop(0, '#e8c0a0');
    g.addColorStop(1, '#303840');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 640, 480);
  }
  return canvas;
}

function hasPixels(source: FrameSource): boolean {
  if (typeof VideoFrame !== 'undefined' && source instanceof VideoFrame) return source.displayWidth > 0 && source.displayHeight > 0;
  if (typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement) {
    return source.readyState >= 2 && source.videoWidth > 0 && source.videoHeight > 0;
  }
  if (typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement) return source.complete && source.naturalWidth > 0;
  // ImageBitmap, ImageData, canvases: all have width/height (SVG images are not used here).
  const { width, height } = source as { width?: unknown; height?: unknown };
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0;
}

function closeQuietly(landmarker: FaceLandmarker, delegate: Delegate): void {
  try {
    landmarker.close();
  } catch (e) {
    defaultLog(`closing the ${delegate} landmarker failed: ${message(e)}`);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
