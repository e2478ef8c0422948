/**
 * Extension page exposing the packaged face tracker and the pose mapping on `window.trackerLab`,
 * so browser tests and the benchmark can drive them with real images and the (fake) camera.
 * Not linked from any UI.
 */
import { convertFace } from '../../core/pose/converter';
import { DEFAULT_CONVERTER_SETTINGS } from '../../core/pose/converter-settings';
import { POSE_PARAMETER_NAMES, type PoseParamName } from '../../core/pose/pose-params';
import { cameraFailure } from '../../shared/camera-errors';
import { cameraConstraints } from '../pipeline/camera-source';
import type { Delegate, DelegateChoice } from '../tracker/delegate-choice';
import { FaceTracker, type FrameSource } from '../tracker/face-tracker';

export interface LabSample {
  blendshapes: Record<string, number>;
  matrix: number[];
  pose: Record<PoseParamName, number>;
}

export interface LabCreateResult {
  ok: boolean;
  error?: string;
  choice?: DelegateChoice;
  createMs?: number;
}

/** Per-frame record of a camera run: ms spent tracking and mapping, and a few pose values. */
export interface LabCameraRun {
  durationMs: number;
  width: number;
  height: number;
  frames: number;
  faces: number;
  trackMs: number[];
  mapMs: number[];
  /** Width share of the frame the face spans, per frame with a face (tracker-input.ts). */
  faceShares: number[];
  /** One entry per processed frame; null when no face was found. */
  poses: Array<Pick<Record<PoseParamName, number>, 'head_x' | 'head_y' | 'mouth_aaa' | 'eye_wink_left' | 'eye_wink_right'> | null>;
}

/** Full-size and scaled-down tracking of the same camera frames (what a smaller tracker input changes). */
export interface LabScaleRun {
  width: number;
  height: number;
  scale: number;
  frames: number;
  /** Per frame: the 45 pose parameters from the full frame and from the scaled one (null: no face). */
  full: Array<number[] | null>;
  scaled: Array<number[] | null>;
  fullMs: number[];
  /** Scaling the frame included. */
  scaledMs: number[];
}

let tracker: FaceTracker | null = null;
let createOptions: Parameters<typeof FaceTracker.create>[0] = {};
let clockMs = 0;

/** Timestamps 33 ms apart, as from a 30 fps camera; the tracker only needs them to increase. */
function nextTimestamp(): number {
  clockMs += 33;
  return clockMs;
}

function requireTracker(): FaceTracker {
  if (!tracker) throw new Error('call trackerLab.create() first');
  return tracker;
}

function sample(source: FrameSource): LabSample | null {
  const obs = requireTracker().detect(source, nextTimestamp());
  if (!obs) return null;
  const pose = convertFace(obs, DEFAULT_CONVERTER_SETTINGS);
  const named = {} as Record<PoseParamName, number>;
  POSE_PARAMETER_NAMES.forEach((name, i) => (named[name] = pose[i]));
  return { blendshapes: { ...obs.blendshapes } as Record<string, number>, matrix: Array.from(obs.matrix), pose: named };
}

// HTMLImageElement.decode() is unreliable in extension documents; bitmaps always work.
async function bitmap(url: string): Promise<ImageBitmap> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return createImageBitmap(await res.blob());
}

function solidFrame(color: string, width: number, height: number): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, width, height);
  return canvas;
}

function mirrored(src: ImageBitmap): OffscreenCanvas {
  const canvas = new OffscreenCanvas(src.width, src.height);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(-1, 1);
  ctx.drawImage(src, -src.width, 0);
  return canvas;
}

/** Opens the (fake) camera into the page's video element for `use`, and always stops it after. */
async function withCamera<T>(use: (video: HTMLVideoElement) => Promise<T>): Promise<T> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(cameraConstraints(null, 'ideal'));
  } catch (e) {
    const f = cameraFailure(e);
    throw new Error(`camera: ${f.name} ${f.message}`);
  }
  const video = document.getElementById('camera') as HTMLVideoElement;
  video.srcObject = stream;
  try {
    await video.play();
    return await use(video);
  } finally {
    video.srcObject = null;
    stream.getTracks().forEach((tr) => tr.stop());
  }
}

/** Calls `onFrame` (with the frame's media time in ms) for each video frame, for `durationMs`; resolves with the time taken. */
function eachFrame(video: HTMLVideoElement, durationMs: number, onFrame: (timestampMs: number) => void): Promise<number> {
  const start = performance.now();
  return new Promise((done) => {
    const next = (now: number, meta: VideoFrameCallbackMetadata) => {
      if (now - start >= durationMs) return done(performance.now() - start);
      onFrame(meta.mediaTime * 1000);
      video.requestVideoFrameCallback(next);
    };
    video.requestVideoFrameCallback(next);
  });
}

/** Black frames end any face the VIDEO-mode tracker is following, so each image starts fresh. */
function forgetFace(): void {
  for (let i = 0; i < 2; i++) requireTracker().detect(solidFrame('#000', 64, 64), nextTimestamp());
}

const lab = {
  async create(
    opts: { delegate?: Delegate | 'auto'; modelUrl?: string; probeUrl?: string; skipSoftwareGpu?: boolean } = {},
  ): Promise<LabCreateResult> {
    tracker?.close();
    tracker = null;
    const t0 = performance.now();
    try {
      const { probeUrl, ...rest } = opts;
      const probeFrame = probeUrl ? await bitmap(probeUrl) : undefined;
      createOptions = { ...rest, probeFrame };
      tracker = await FaceTracker.create(createOptions);
      return { ok: true, choice: tracker.choice, createMs: performance.now() - t0 };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  },

  /**
   * The image tracked over `repeat` consecutive frames (VIDEO mode settles after the first); the
   * last result. `mirror` flips it left-right first.
   */
  async photo(url: string, repeat = 3, mirror = false): Promise<LabSample | null> {
    const bmp = await bitmap(url);
    const img = mirror ? mirrored(bmp) : bmp;
    forgetFace();
    let last: LabSample | null = null;
    for (let i = 0; i < repeat; i++) last = sample(img);
    return last;
  },

  /** Two photos side by side on one canvas (two faces in view). */
  async pair(urlA: string, urlB: string, repeat = 3): Promise<LabSample | null> {
    const [a, b] = await Promise.all([bitmap(urlA), bitmap(urlB)]);
    const canvas = new OffscreenCanvas(a.width + b.width, Math.max(a.height, b.height));
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(a, 0, 0);
    ctx.drawImage(b, a.width, 0);
    forgetFace();
    let last: LabSample | null = null;
    for (let i = 0; i < repeat; i++) last = sample(canvas);
    return last;
  },

  /** `count` frames of one colour (a blank or black camera). */
  solid(color: string, width: number, height: number, count: number): Array<LabSample | null> {
    const frame = solidFrame(color, width, height);
    return Array.from({ length: count }, () => sample(frame));
  },

  /** Sources with no pixels at all: must give null, not an exception. */
  empty(): Array<LabSample | null> {
    return [sample(new OffscreenCanvas(0, 0) as unknown as FrameSource), sample(document.createElement('video'))];
  },

  stats() {
    return { ...requireTracker().stats };
  },

  /** Runs tracker + mapping on every camera frame the tracker keeps up with, for `durationMs`. */
  async camera(durationMs: number): Promise<LabCameraRun> {
    const t = requireTracker();
    return withCamera(async (video) => {
      const run: LabCameraRun = { durationMs: 0, width: video.videoWidth, height: video.videoHeight, frames: 0, faces: 0, trackMs: [], mapMs: [], faceShares: [], poses: [] };
      run.durationMs = await eachFrame(video, durationMs, (ts) => {
        const t0 = performance.now();
        const obs = t.detect(video, ts);
        const t1 = performance.now();
        run.frames++;
        run.trackMs.push(t1 - t0);
        if (obs) {
          const pose = convertFace(obs, DEFAULT_CONVERTER_SETTINGS);
          run.mapMs.push(performance.now() - t1);
          run.faces++;
          if (t.lastFaceShare !== null) run.faceShares.push(t.lastFaceShare);
          run.poses.push({ head_x: pose[39], head_y: pose[40], mouth_aaa: pose[26], eye_wink_left: pose[12], eye_wink_right: pose[13] });
        } else {
          run.poses.push(null);
        }
      });
      return run;
    });
  },

  /**
   * Tracks every camera frame twice, for `durationMs`: as it is with the lab's tracker, and drawn
   * `scale` times smaller (both sides) with a second tracker of the same kind, in turn, so both see
   * the same frames under the same load.
   */
  async compareScales(durationMs: number, scale: number): Promise<LabScaleRun> {
    const t = requireTracker();
    const second = await FaceTracker.create(createOptions);
    try {
      return await withCamera(async (video) => {
        const w = video.videoWidth, h = video.videoHeight;
        const small = new OffscreenCanvas(Math.round(w * scale), Math.round(h * scale));
        const ctx = small.getContext('2d')!;
        const run: LabScaleRun = { width: w, height: h, scale, frames: 0, full: [], scaled: [], fullMs: [], scaledMs: [] };
        const pose = (obs: ReturnType<FaceTracker['detect']>) => (obs ? Array.from(convertFace(obs, DEFAULT_CONVERTER_SETTINGS)) : null);
        await eachFrame(video, durationMs, (ts) => {
          const t0 = performance.now();
          run.full.push(pose(t.detect(video, ts)));
          const t1 = performance.now();
          ctx.drawImage(video, 0, 0, small.width, small.height);
          run.scaled.push(pose(second.detect(small, ts)));
          run.scaledMs.push(performance.now() - t1);
          run.fullMs.push(t1 - t0);
          run.frames++;
        });
        return run;
      });
    } finally {
      second.close();
    }
  },

  close(): void {
    tracker?.close();
    tracker = null;
  },
};

export type TrackerLab = typeof lab;
(window as unknown as { trackerLab: TrackerLab }).trackerLab = lab;
