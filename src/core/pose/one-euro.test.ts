import { describe, expect, it } from 'vitest';
import { DEFAULT_ONE_EURO_SETTINGS, OneEuroFilterBank, sanitizeOneEuroSettings } from './one-euro';
import { seededRandom } from './test-helpers';

const FRAME_MS = 1000 / 30;

function std(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

describe('One Euro filter', () => {
  it('removes most jitter from a noisy constant (defaults, 30 fps)', () => {
    const rand = seededRandom(1);
    const f = new OneEuroFilterBank(1);
    const raw: number[] = [];
    const out: number[] = [];
    for (let k = 0; k < 300; k++) {
      const x = 0.5 + (rand() - 0.5) * 0.06; // +-0.03 tracker noise
      raw.push(x);
      out.push(f.filter([x], k * FRAME_MS)[0]);
    }
    const ratio = std(out.slice(60)) / std(raw.slice(60));
    expect(ratio).toBeLessThan(0.45);
  });

  it('follows a full step with bounded lag and no overshoot', () => {
    const f = new OneEuroFilterBank(1);
    let t = 0;
    for (let k = 0; k < 30; k++, t += FRAME_MS) f.filter([0], t);
    const stepAt = t;
    let reached: number | null = null;
    for (let k = 0; k < 30; k++, t += FRAME_MS) {
      const y = f.filter([1], t)[0];
      expect(y).toBeLessThanOrEqual(1 + 1e-6);
      if (reached === null && y >= 0.9) reached = t - stepAt;
    }
    // Within 10 % of the target by the 4th frame (100 ms at 30 fps).
    expect(reached).not.toBeNull();
    expect(reached as number).toBeLessThanOrEqual(100 + 1e-6);
  });

  it('passes the first sample, holds on repeated timestamps, restarts after long gaps', () => {
    const f = new OneEuroFilterBank(2);
    expect(Array.from(f.filter([0.2, 0.4], 0))).toEqual([Math.fround(0.2), Math.fround(0.4)]);
    const a = f.filter([1, 1], 33);
    expect(Array.from(f.filter([0, 0], 33))).toEqual(Array.from(a));
    expect(Array.from(f.filter([0.7, Number.NaN], 5000))).toEqual([Math.fround(0.7), 0]);
    const b = f.filter([Number.NaN, 1], 5033);
    expect(b[0]).toBeCloseTo(0.7, 6);
  });

  it('sanitizes settings', () => {
    expect(sanitizeOneEuroSettings(null)).toEqual(DEFAULT_ONE_EURO_SETTINGS);
    expect(sanitizeOneEuroSettings({ minCutoff: -1, beta: Number.NaN, dCutoff: 1e9 })).toEqual({
      minCutoff: 0.01,
      beta: DEFAULT_ONE_EURO_SETTINGS.beta,
      dCutoff: 30,
    });
  });
});
