/**
 * One-click neutral: while the user holds a relaxed, straight-ahead face, capture the head
 * rotation and resting blendshape levels; later frames are then measured relative to them.
 */
import {
  BLENDSHAPE_NAMES,
  type BlendshapeName,
  type BlendshapeScores,
  sanitizeScore,
  type SanitizedObservation,
} from './blendshapes';
import { multiply3, transpose3 } from './mat3';
import { averageQuats, matrixFromQuat, normalizeQuat, quatFromMatrixScipy } from './quaternion';

/** Persistable calibration (plain JSON). */
export interface CalibrationData {
  /** Resting head rotation as a unit quaternion [x, y, z, w]. */
  readonly rotation: readonly [number, number, number, number];
  /** Resting score per blendshape, each in [0, MAX_REST_LEVEL]. */
  readonly rest: Readonly<Partial<Record<BlendshapeName, number>>>;
}

/**
 * Highest resting level kept: rescaling by 1 / (1 - rest) must not blow a barely-moving score
 * up to full strength.
 */
export const MAX_REST_LEVEL = 0.8;

function clampRest(v: number): number {
  return Math.min(MAX_REST_LEVEL, sanitizeScore(v));
}

/** Averages a few observations (rotation and every score); null when there are none. */
export function captureCalibration(observations: readonly SanitizedObservation[]): CalibrationData | null {
  if (observations.length === 0) return null;
  const q = averageQuats(observations.map((o) => quatFromMatrixScipy(o.rotation)));
  const rest: Partial<Record<BlendshapeName, number>> = {};
  for (const name of BLENDSHAPE_NAMES) {
    let sum = 0;
    for (const o of observations) sum += o.scores[name];
    rest[name] = clampRest(sum / observations.length);
  }
  return { rotation: [q[0], q[1], q[2], q[3]], rest };
}

/** Validated calibration from stored JSON, or null when absent or unusable. */
export function sanitizeCalibration(input: unknown): CalibrationData | null {
  if (typeof input !== 'object' || input === null) return null;
  const src = input as { rotation?: unknown; rest?: unknown };
  const r = src.rotation;
  if (!Array.isArray(r) || r.length !== 4 || !r.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return null;
  }
  const n = Math.hypot(r[0], r[1], r[2], r[3]);
  if (!(n > 1e-6)) return null;
  const q = normalizeQuat(r as number[]);
  const rest: Partial<Record<BlendshapeName, number>> = {};
  if (typeof src.rest === 'object' && src.rest !== null) {
    const record = src.rest as Record<string, unknown>;
    for (const name of BLENDSHAPE_NAMES) {
      const v = record[name];
      if (typeof v === 'number' && Number.isFinite(v)) rest[name] = clampRest(v);
    }
  }
  return { rotation: [q[0], q[1], q[2], q[3]], rest };
}

/**
 * The observation relative to the calibrated neutral:
 * - rotation R0ᵀ·R, i.e. the head's motion expressed in the neutral head's own frame, so a nod or
 *   turn about the neck stays a pure pitch or yaw even when the camera sits off-axis;
 * - each score rescaled as (s - rest) / (1 - rest), clamped to [0, 1].
 */
export function applyCalibration(obs: SanitizedObservation, cal: CalibrationData): SanitizedObservation {
  const r0 = matrixFromQuat(Float64Array.from(cal.rotation));
  const scores = {} as BlendshapeScores;
  for (const name of BLENDSHAPE_NAMES) {
    const rest = cal.rest[name] ?? 0;
    scores[name] = sanitizeScore((obs.scores[name] - rest) / (1 - rest));
  }
  return { scores, rotation: multiply3(transpose3(r0), obs.rotation) };
}
