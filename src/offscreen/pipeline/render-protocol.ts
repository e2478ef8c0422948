/**
 * Messages between the offscreen document and its WASM render workers (same extension, trusted).
 * Two workers split a frame: the 'body' worker computes the body morpher's fields for the newest
 * pose whenever it is free (with rests, so it does not take a whole core), and hands them straight
 * to the 'frame' worker over a MessagePort; the 'frame' worker renders every requested frame from
 * the pose and the blended fields.
 */
export type RenderRole = 'frame' | 'body';

export interface RenderInit {
  type: 'init';
  role: RenderRole;
  /** The character folder's files (as stored in the library). */
  files: [string, ArrayBuffer][];
  name: string;
  size: number;
  numThreads: number;
  wasmPaths: string;
  /** Body -> frame worker channel for fields. */
  port: MessagePort;
  /** Body worker: rest this many times the last body run's duration before the next one. */
  bodyRest?: number;
}
/** Frame worker: render one frame for this pose. */
export interface RenderRequest {
  type: 'render';
  id: number;
  pose: Float32Array;
}
/** Body worker: the newest pose (older ones are dropped, never queued). */
export interface BodyPose {
  type: 'pose';
  pose: Float32Array;
}
/**
 * Body worker: a face detection is running (`on`), so start no body run until it ends (or
 * BODY_HOLD_MAX_MS passed): on few cores the tracker then gets the core the body would take.
 */
export interface BodyHold {
  type: 'hold';
  on: boolean;
}
/** Longest a body worker waits for a detection to end before it runs anyway. */
export const BODY_HOLD_MAX_MS = 400;
export type ToRenderWorker = RenderInit | RenderRequest | BodyPose | BodyHold | { type: 'dispose' };

/** Body worker -> frame worker, over the port. */
export interface FieldsMessage {
  type: 'fields';
  grid: Float32Array;
  alpha: Float32Array;
  colorChange: Float32Array;
  ms: number;
}

export type FromRenderWorker =
  | { type: 'ready'; size: number }
  | { type: 'error'; message: string }
  | { type: 'frame'; id: number; rgba: Uint8ClampedArray; ms: number }
  | { type: 'frame-error'; id: number; message: string }
  /** Body worker: one body update done (for stage timing). */
  | { type: 'body'; ms: number };
