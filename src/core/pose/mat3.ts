/**
 * Small 3x3 matrix helpers. A `Mat3` is 9 numbers, row-major: m[r * 3 + c].
 */

export type Mat3 = Float64Array;

export function identity3(): Mat3 {
  return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
}

/** Upper-left 3x3 block of a column-major 4x4 (the layout of MediaPipe JS and WebGL). */
export function mat3FromColumnMajor4x4(data: ArrayLike<number>): Mat3 {
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[r * 3 + c] = data[c * 4 + r];
  return m;
}

/** Column-major 4x4 with `m` as its rotation block and no translation. */
export function columnMajor4x4FromMat3(m: Mat3): Float64Array {
  const out = new Float64Array(16);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[c * 4 + r] = m[r * 3 + c];
  out[15] = 1;
  return out;
}

export function transpose3(m: Mat3): Mat3 {
  return Float64Array.of(m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]);
}

export function multiply3(a: Mat3, b: Mat3): Mat3 {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
    }
  }
  return out;
}

export function det3(m: Mat3): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}
