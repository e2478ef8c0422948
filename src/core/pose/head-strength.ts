/**
 * Head-movement strength: scales how far the character turns its head and body relative to the
 * tracked head (e.g. exaggerate small movements, or calm a restless presenter).
 */
import { HEAD_MOVEMENT_PARAMS } from './pose-params';

export const HEAD_STRENGTH_RANGE = [0, 2] as const;
export const DEFAULT_HEAD_STRENGTH = 1;

export function sanitizeHeadStrength(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_HEAD_STRENGTH;
  return Math.min(HEAD_STRENGTH_RANGE[1], Math.max(HEAD_STRENGTH_RANGE[0], value));
}

/** Scales head_x, head_y, neck_z, body_y and body_z in place, keeping them in [-1, 1]. */
export function applyHeadStrength(pose: Float32Array, strength: number): Float32Array {
  const k = sanitizeHeadStrength(strength);
  for (const i of HEAD_MOVEMENT_PARAMS) pose[i] = Math.max(-1, Math.min(1, pose[i] * k));
  return pose;
}
