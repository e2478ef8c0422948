/** A dense float32 tensor in C (row-major) order, as stored in a PyTorch state_dict. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Parameter name -> tensor, in the order the checkpoint lists them. */
export type StateDict = Map<string, Tensor>;

/** Number of elements a tensor of this shape holds (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** "[128, 41, 1, 1]", for messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
