/**
 * Face tracking off the offscreen document's main thread: MediaPipe's detection blocks its thread
 * for 30-150 ms per frame, and the main thread must keep compositing and sending frames meanwhile.
 * Owns one FaceTracker (face-tracker.ts, the one wrapper of MediaPipe). Started as a classic
 * worker: MediaPipe loads its wasm glue with importScripts, which module workers do not have.
 */
import { FaceTracker } from './face-tracker';
import type { FromTrackerWorker, ToTrackerWorker, TrackFrame, TrackerInit } from './tracker-protocol';
import { trackerInputScale } from './tracker-input';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToTrackerWorker>) => void) | null;
  postMessage(m: FromTrackerWorker): void;
};

let tracker: FaceTracker | null = null;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
// The document copies its console to the service worker's log; this worker's console is not copied.
const log = (text: string, detail?: unknown) => scope.postMessage({ type: 'log', message: detail === undefined ? text : `${text} ${message(detail)}` });

async function init(msg: TrackerInit): Promise<void> {
  try {
    tracker = await FaceTracker.create({ wasmBase: msg.wasmBase, modelUrl: msg.modelUrl, delegate: msg.delegate, log });
    scope.postMessage({ type: 'ready', choice: tracker.choice });
  } catch (e) {
    scope.postMessage({ type: 'failed', error: message(e) });
  }
}

let halved: OffscreenCanvas | null = null;
/** The frame as MediaPipe gets it: halved while the last face was wide enough (tracker-input.ts). */
function input(frame: VideoFrame, t: FaceTracker): VideoFrame | OffscreenCanvas {
  if (trackerInputScale(frame.displayWidth, t.lastFaceShare) === 1) return frame;
  const w = frame.displayWidth >> 1, h = frame.displayHeight >> 1;
  if (!halved || halved.width !== w || halved.height !== h) halved = new OffscreenCanvas(w, h);
  halved.getContext('2d')!.drawImage(frame, 0, 0, w, h);
  return halved;
}

function track(msg: TrackFrame): void {
  const t0 = performance.now();
  let threw: string | undefined;
  let obs = null;
  try {
    obs = tracker ? tracker.detect(input(msg.frame, tracker), msg.timestampMs) : null;
    if (!tracker) threw = 'no tracker';
  } catch (e) {
    threw = message(e);
  } finally {
    msg.frame.close();
  }
  const ms = performance.now() - t0;
  const stats = tracker?.stats ?? { frames: 0, errors: 0 };
  // The matrix as a plain array: MediaPipe's may be a view into wasm memory.
  const out = obs ? { blendshapes: obs.blendshapes, matrix: Array.from(obs.matrix) } : null;
  scope.postMessage({ type: 'result', obs: out, ms, frames: stats.frames, errors: stats.errors, ...(threw ? { threw } : {}) });
}

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'init') void init(msg);
  else if (msg.type === 'track') track(msg);
};
