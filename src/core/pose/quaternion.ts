/**
 * Unit quaternions, stored [x, y, z, w] (scalar last, as scipy does).
 */
import type { Mat3 } from './mat3';

export type Quat = Float64Array;

export function identityQuat(): Quat {
  return Float64Array.of(0, 0, 0, 1);
}

/**
 * Quaternion of a 3x3 matrix the way scipy 1.10 `Rotation.from_matrix` computes it (Markley's
 * method: pick the largest of the diagonal and the trace, build an unnormalized quaternion from
 * that branch, then normalize). A non-orthogonal input such as a scaled rotation is not
 * orthogonalized first, so the result depends on this exact construction; the converter goldens
 * (a 1.1-scaled rotation) confirm it.
 */
export function quatFromMatrixScipy(m: Mat3): Quat {
  const trace = m[0] + m[4] + m[8];
  const decision = [m[0], m[4], m[8], trace];
  // First maximum wins on ties, as numpy argmax does.
  let choice = 0;
  for (let i = 1; i < 4; i++) if (decision[i] > decision[choice]) choice = i;

  const q = new Float64Array(4);
  if (choice !== 3) {
    const i = choice;
    const j = (i + 1) % 3;
    const k = (j + 1) % 3;
    q[i] = 1 - trace + 2 * m[i * 3 + i];
    q[j] = m[j * 3 + i] + m[i * 3 + j];
    q[k] = m[k * 3 + i] + m[i * 3 + k];
    q[3] = m[k * 3 + j] - m[j * 3 + k];
  } else {
    q[0] = m[7] - m[5];
    q[1] = m[2] - m[6];
    q[2] = m[3] - m[1];
    q[3] = 1 + trace;
  }
  return normalizeQuat(q);
}

/** Normalized copy; identity when the norm is zero or not finite. */
export function normalizeQuat(q: ArrayLike<number>): Quat {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  if (!(n > 0) || !Number.isFinite(n)) return identityQuat();
  return Float64Array.of(q[0] / n, q[1] / n, q[2] / n, q[3] / n);
}

/** Rotation matrix (row-major) of a unit quaternion. */
export function matrixFromQuat(q: Quat): Mat3 {
  const [x, y, z, w] = q;
  const xx = x * x;
  const yy = y * y;
  const zz = z * z;
  const ww = w * w;
  const xy = x * y;
  const zw = z * w;
  const xz = x * z;
  const yw = y * w;
  const yz = y * z;
  const xw = x * w;
  return Float64Array.of(
    xx - yy - zz + ww,
    2 * (xy - zw),
    2 * (xz + yw),
    2 * (xy + zw),
    -xx + yy - zz + ww,
    2 * (yz - xw),
    2 * (xz - yw),
    2 * (yz + xw),
    -xx - yy + zz + ww,
  );
}

/**
 * Normalized average of unit quaternions (each flipped into the first one's hemisphere, since
 * q and -q are the same rotation). Accurate for the small spreads of a held-still head.
 */
export function averageQuats(quats: readonly Quat[]): Quat {
  if (quats.length === 0) return identityQuat();
  const ref = quats[0];
  const sum = new Float64Array(4);
  for (const q of quats) {
    const sign = q[0] * ref[0] + q[1] * ref[1] + q[2] * ref[2] + q[3] * ref[3] < 0 ? -1 : 1;
    for (let i = 0; i < 4; i++) sum[i] += sign * q[i];
  }
  return normalizeQuat(sum);
}
