import { BODY_MORPHER, FACE_MORPHER, type Architecture } from '../character/architecture';
import type { StateDict } from '../character/tensor';
import { seededRandom as seededUniform } from '../seeded-random';

/** Deterministic pseudo-random numbers in [-1, 1), for synthetic test weights. */
export function seededRandom(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => uniform() * 2 - 1;
}

/** Random weights shaped like a real checkpoint, with SIREN-style init so activations stay sane. */
export function syntheticStateDict(arch: Architecture, seed: number): StateDict {
  const rnd = seededRandom(seed);
  const sd: StateDict = new Map();
  for (const t of arch.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const fanIn = t.shape.length === 4 ? t.shape[1] : 1;
    const bound = t.shape.length === 4 ? Math.sqrt(6 / fanIn) / 30 : 0.05;
    sd.set(t.name, { shape: [...t.shape], data: Float32Array.from({ length: n }, () => rnd() * bound) });
  }
  return sd;
}

export const syntheticFace = (seed = 1): StateDict => syntheticStateDict(FACE_MORPHER, seed);
export const syntheticBody = (seed = 2): StateDict => syntheticStateDict(BODY_MORPHER, seed);
