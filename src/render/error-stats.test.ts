import { describe, expect, it } from 'vitest';
import { errorStats } from './error-stats';

describe('errorStats', () => {
  it('computes max, mean and the 99.9th percentile of absolute errors', () => {
    const n = 2000;
    const expected = new Float32Array(n);
    const actual = new Float32Array(n);
    // Every error is 0.5 except the last two (10 and 20).
    for (let i = 0; i < n; i++) actual[i] = i < n - 2 ? 0.5 : 10 * (i - n + 3);
    actual[5] = -0.5;
    const s = errorStats(actual, expected);
    expect(s.max).toBe(20);
    expect(s.argMax).toBe(n - 1);
    // nearest rank: ceil(0.999 * 2000) = 1998th smallest -> still 0.5
    expect(s.p999).toBe(0.5);
    expect(s.mean).toBeCloseTo((0.5 * (n - 2) + 30) / n, 12);
  });

  it('treats NaN as an infinite error and rejects length mismatches', () => {
    expect(errorStats([Number.NaN, 0], [0, 0]).max).toBe(Infinity);
    expect(() => errorStats([0], [0, 0])).toThrow(RangeError);
    expect(errorStats([], [])).toEqual({ max: 0, p999: 0, mean: 0, argMax: -1 });
  });
});
