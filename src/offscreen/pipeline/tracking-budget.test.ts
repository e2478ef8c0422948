import { describe, expect, it } from 'vitest';
import { TrackingBudget } from './tracking-budget';

describe('TrackingBudget', () => {
  it('tracks at most maxHz and at most half the thread', () => {
    const b = new TrackingBudget({ maxHz: 10, minHz: 5, renderTargetMs: 100 });
    expect(b.due(0)).toBe(true);
    b.tracked(0, 20); // 20 ms run: period 100 ms at 10 Hz -> rest 80 ms
    expect(b.due(90)).toBe(false);
    expect(b.due(100)).toBe(true);
    b.tracked(100, 170); // 70 ms run: half the thread wins, rest 70 ms
    expect(b.due(230)).toBe(false);
    expect(b.due(240)).toBe(true);
  });

  it('lowers the rate while renders are slower than the target, down to minHz', () => {
    const b = new TrackingBudget({ maxHz: 10, minHz: 4, renderTargetMs: 100 });
    b.tracked(0, 10);
    b.rendered(200); // twice the target: 5 Hz, period 200 ms
    expect(b.interval()).toBeCloseTo(190, 6);
    for (let i = 0; i < 50; i++) b.rendered(1000); // far too slow: floor at 4 Hz
    expect(b.interval()).toBeCloseTo(240, 0);
    for (let i = 0; i < 50; i++) b.rendered(50); // fast again: back to 10 Hz
    expect(b.interval()).toBeCloseTo(90, 0);
  });
});
