/**
 * scipy-compatible `Rotation.from_matrix(R).as_euler('xyz')`: extrinsic x, then y, then z,
 * i.e. R = Rz(c) * Ry(b) * Rx(a), angles in radians.
 */
import type { Mat3 } from './mat3';
import { matrixFromQuat, quatFromMatrixScipy } from './quaternion';

export interface EulerXyz {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** scipy's gimbal-lock tolerance on the middle angle, in radians. */
const GIMBAL_EPS = 1e-7;

/** Euler angles of a proper rotation matrix (row-major). */
export function eulerXyzFromRotation(r: Mat3): EulerXyz {
  const sinB = Math.max(-1, Math.min(1, -r[6]));
  const y = Math.asin(sinB);
  if (Math.abs(Math.abs(y) - Math.PI / 2) >= GIMBAL_EPS) {
    return { x: Math.atan2(r[7], r[8]), y, z: Math.atan2(r[3], r[0]) };
  }
  // Gimbal lock: only x +/- z is determined; scipy puts it all in x and sets z to 0.
  const x = y > 0 ? Math.atan2(r[1], r[4]) : Math.atan2(-r[1], r[4]);
  return { x, y, z: 0 };
}

/** Same result as scipy 1.10 `Rotation.from_matrix(m).as_euler('xyz')`, for any 3x3 input. */
export function scipyEulerXyz(m: Mat3): EulerXyz {
  return eulerXyzFromRotation(matrixFromQuat(quatFromMatrixScipy(m)));
}
