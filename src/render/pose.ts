import { clampPose, POSE_SIZE } from '../core/pose/pose-params';

/**
 * Copies a pose into a fresh float32 vector the model can take: exactly 45 entries, NaN -> 0,
 * each parameter clamped into its range (the student was only trained inside them).
 */
export function sanitizePose(pose: ArrayLike<number>): Float32Array {
  if (pose.length !== POSE_SIZE) {
    throw new RangeError(`a pose has ${POSE_SIZE} numbers, got ${pose.length}`);
  }
  return clampPose(Float32Array.from(pose));
}
