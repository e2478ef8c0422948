/**
 * Messages between the offscreen document and the face-tracking worker (face-tracker.worker.ts).
 * One frame at a time: the document sends a frame only when the worker has answered the last one.
 */
import type { FaceObservation } from '../../core/pose/blendshapes';
import type { Delegate, DelegateChoice } from './delegate-choice';

export interface TrackerInit {
  type: 'init';
  /** Folder URL holding vision_wasm_internal.{js,wasm} (the worker has no extension APIs). */
  wasmBase: string;
  modelUrl: string;
  delegate: Delegate | 'auto';
}

export interface TrackFrame {
  type: 'track';
  /** A clone of the camera frame, transferred: the worker owns it and closes it. */
  frame: VideoFrame;
  timestampMs: number;
}

export type ToTrackerWorker = TrackerInit | TrackFrame;

export interface TrackerReady {
  type: 'ready';
  choice: DelegateChoice;
}

export interface TrackerFailed {
  type: 'failed';
  /** Why the tracker could not start (FaceTracker.create's message, naming the URL). */
  error: string;
}

export interface TrackResult {
  type: 'result';
  obs: FaceObservation | null;
  /** Time detection took in the worker (ms). */
  ms: number;
  /** The worker's FaceTracker.stats after this frame (frames seen, frames MediaPipe failed on). */
  frames: number;
  errors: number;
  /** The worker itself threw while handling the frame (counted as a failed frame). */
  threw?: string;
}

export interface TrackerLog {
  type: 'log';
  message: string;
}

export type FromTrackerWorker = TrackerReady | TrackerFailed | TrackResult | TrackerLog;
