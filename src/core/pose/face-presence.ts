/**
 * Eases the character to the neutral pose when tracking loses the face and back when it
 * returns, so a dropped frame or a look away never makes the avatar snap.
 */
import { POSE_SIZE } from './pose-params';

/** Longest allowed fade; the character must be neutral within half a second. */
export const MAX_FACE_FADE_MS = 500;
export const DEFAULT_FACE_FADE_MS = 300;

export function sanitizeFadeMs(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_FACE_FADE_MS;
  return Math.min(MAX_FACE_FADE_MS, Math.max(0, value));
}

/** Smoothstep: zero slope at both ends, so the fade starts and stops gently. */
function ease(t: number): number {
  return t * t * (3 - 2 * t);
}

export class FacePresence {
  /** Linear presence level in [0, 1]; the output weight is its eased value. */
  private level = 0;
  private lastMs: number | null = null;
  private readonly held = new Float32Array(POSE_SIZE);
  private fadeMs: number;

  constructor(fadeMs: number = DEFAULT_FACE_FADE_MS) {
    this.fadeMs = sanitizeFadeMs(fadeMs);
  }

  setFadeMs(fadeMs: number): void {
    this.fadeMs = sanitizeFadeMs(fadeMs);
  }

  /** Current blend weight of the tracked pose (0 = neutral, 1 = fully tracked). */
  get weight(): number {
    return ease(this.level);
  }

  /**
   * `pose` is the tracked pose, or null when no face was found. Returns the pose to show:
   * neutral (all zero) + weight * (last tracked pose). Starts from neutral and eases in.
   */
  update(pose: Float32Array | null, timeMs: number): Float32Array {
    const dt = this.lastMs === null || !Number.isFinite(timeMs) ? 0 : Math.max(0, timeMs - this.lastMs);
    if (Number.isFinite(timeMs)) this.lastMs = timeMs;
    const step = this.fadeMs === 0 ? 1 : dt / this.fadeMs;
    if (pose) {
      this.held.set(pose.subarray(0, POSE_SIZE));
      this.level = Math.min(1, this.level + step);
    } else {
      this.level = Math.max(0, this.level - step);
    }
    const w = ease(this.level);
    const out = new Float32Array(POSE_SIZE);
    if (w > 0) for (let i = 0; i < POSE_SIZE; i++) out[i] = w * this.held[i];
    return out;
  }
}
