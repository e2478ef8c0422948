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
export type ToRenderWorker = RenderInit | RenderRequest | BodyPose | { type: 'dispose' };

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
