/** Absolute-error statistics of one array against a reference, as the golden tolerances use them. */
export interface ErrorStats {
  /** Largest |actual - expected|. */
  max: number;
  /** 99.9th percentile of |actual - expected| (nearest rank). */
  p999: number;
  /** Mean of |actual - expected|. */
  mean: number;
  /** Index of the largest error (first one), for messages. */
  argMax: number;
}

export function errorStats(actual: ArrayLike<number>, expected: ArrayLike<number>): ErrorStats {
  if (actual.length !== expected.length) {
    throw new RangeError(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  const n = actual.length;
  if (n === 0) return { max: 0, p999: 0, mean: 0, argMax: -1 };
  const abs = new Float64Array(n);
  let sum = 0;
  let max = -1;
  let argMax = -1;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    // NaN must fail every tolerance, so it counts as an infinite error.
    const e = Number.isNaN(d) ? Infinity : d;
    abs[i] = e;
    sum += e;
    if (e > max) {
      max = e;
      argMax = i;
    }
  }
  abs.sort();
  const p999 = abs[Math.max(0, Math.ceil(0.999 * n) - 1)];
  return { max, p999, mean: sum / n, argMax };
}
