import { describe, expect, it } from 'vitest';
import { BreathingCycle, breathingValue } from './breathing';

describe('breathing', () => {
  it('is a raised cosine over one cycle', () => {
    expect(breathingValue(0)).toBe(0);
    expect(breathingValue(0.5)).toBeCloseTo(1, 12);
    expect(breathingValue(1.25)).toBeCloseTo(0.5, 12);
    expect(breathingValue(Number.NaN)).toBe(0);
  });

  it('advances with time at the configured rate (20/min = 3 s period)', () => {
    const b = new BreathingCycle(20);
    expect(b.update(1000)).toBe(0);
    expect(b.update(2500)).toBeCloseTo(1, 9); // half a period later
    expect(b.update(4000)).toBeCloseTo(0, 9);
    expect(b.update(3000)).toBeCloseTo(0, 9); // time going back is ignored
  });

  it('keeps its phase across rate changes and stops at rate 0', () => {
    const b = new BreathingCycle(20);
    b.update(0);
    b.update(750); // quarter cycle
    b.setRate(10); // 6 s period
    expect(b.update(750)).toBeCloseTo(0.5, 9);
    expect(b.update(2250)).toBeCloseTo(1, 9); // + quarter of 6 s
    b.setRate(0);
    expect(b.update(3000)).toBe(0);
    b.setRate(Number.NaN);
    expect(b.update(4000)).toBe(0);
  });
});
