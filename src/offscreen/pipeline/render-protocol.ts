/** Messages between the offscreen document and its WASM render worker (same extension, trusted). */
export interface RenderInit {
  type: 'init';
  /** The character folder's files (as stored in the library). */
  files: [string, ArrayBuffer][];
  name: string;
  size: number;
  numThreads: number;
  wasmPaths: string;
}
export interface RenderRequest {
  type: 'render';
  id: number;
  pose: Float32Array;
}
export type ToRenderWorker = RenderInit | RenderRequest | { type: 'dispose' };

export type FromRenderWorker =
  | { type: 'ready'; size: number }
  | { type: 'error'; message: string }
  | { type: 'frame'; id: number; rgba: Uint8ClampedArray; ms: number }
  | { type: 'frame-error'; id: number; message: string };
