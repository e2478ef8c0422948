/** Shared builders for the pose tests. */
import type { BlendshapeName, FaceObservation } from './blendshapes';
import { columnMajor4x4FromMat3, type Mat3 } from './mat3';

/** Rotation matrix (row-major) for extrinsic x, y, z angles in degrees: Rz * Ry * Rx. */
export function rotationXyzDeg(xDeg: number, yDeg: number, zDeg: number): Mat3 {
  const [a, b, c] = [xDeg, yDeg, zDeg].map((d) => (d * Math.PI) / 180);
  const [ca, sa, cb, sb, cc, sc] = [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b), Math.cos(c), Math.sin(c)];
  return Float64Array.of(
    cb * cc,
    sa * sb * cc - ca * sc,
    ca * sb * cc + sa * sc,
    cb * sc,
    sa * sb * sc + ca * cc,
    ca * sb * sc - sa * cc,
    -sb,
    sa * cb,
    ca * cb,
  );
}

export function face(
  blendshapes: Partial<Record<BlendshapeName, number>> = {},
  rotation: Mat3 = rotationXyzDeg(0, 0, 0),
): FaceObservation {
  return { blendshapes, matrix: Array.from(columnMajor4x4FromMat3(rotation)) };
}

/** Deterministic uniform [0, 1) generator. */
export { seededRandom } from '../seeded-random';
