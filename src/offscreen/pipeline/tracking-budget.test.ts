import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACKING_BUDGET, TrackingBudget } from './tracking-budget';

describe('TrackingBudget', () => {
  it('tracks at most maxHz, counted from one start to the next', () => {
    const b = new TrackingBudget({ maxHz: 10, minHz: 5, renderTargetMs: 100, maxShare: 0.5 });
    expect(b.due(0)).toBe(true);
    b.started(0);
    b.tracked(20); // a 20 ms run: 10 Hz allows a start every 100 ms (a camera frame 4 ms early counts)
    expect(b.due(95)).toBe(false);
    expect(b.due(96)).toBe(true);
  });

  it('keeps tracking within maxShare of a core, even below minHz', () => {
    const b = new TrackingBudget({ maxHz: 15, minHz: 5, renderTargetMs: 100, maxShare: 0.5 });
    b.started(0);
    b.tracked(80); // 80 ms runs at most half the time: a start every 160 ms (6.25 Hz, not 15)
    expect(b.interval()).toBeCloseTo(160, 6);
    expect(b.due(155)).toBe(false);
    expect(b.due(156)).toBe(true);
    for (let i = 0; i < 50; i++) b.tracked(150); // a loaded machine: 150 ms runs -> 3.3 Hz
    expect(b.interval()).toBeCloseTo(300, 0);
    for (let i = 0; i < 50; i++) b.tracked(30); // quiet again: back to 15 Hz
    expect(b.interval()).toBeCloseTo(1000 / 15, 0);
  });

  it('smooths run times: one slow run does not halve the rate', () => {
    const b = new TrackingBudget({ maxHz: 15, minHz: 5, renderTargetMs: 100, maxShare: 0.5 });
    for (let i = 0; i < 20; i++) b.tracked(30);
    b.tracked(300); // e.g. MediaPipe's first frame
    expect(b.interval()).toBeLessThan(200);
    expect(b.interval()).toBeGreaterThan(1000 / 15);
  });

  it('lowers the rate while renders are slower than the target, down to minHz', () => {
    const b = new TrackingBudget({ maxHz: 10, minHz: 4, renderTargetMs: 100, maxShare: 0.5 });
    b.tracked(10);
    b.rendered(200); // twice the target: 5 Hz
    expect(b.rateHz()).toBeCloseTo(5, 6);
    expect(b.interval()).toBeCloseTo(200, 6);
    for (let i = 0; i < 50; i++) b.rendered(1000); // far too slow: floor at 4 Hz
    expect(b.interval()).toBeCloseTo(250, 0);
    for (let i = 0; i < 50; i++) b.rendered(50); // fast again: back to 10 Hz
    expect(b.interval()).toBeCloseTo(100, 0);
  });

  it('ignores samples that are not times', () => {
    const b = new TrackingBudget();
    b.tracked(Number.NaN);
    b.rendered(-1);
    expect(b.interval()).toBeCloseTo(1000 / DEFAULT_TRACKING_BUDGET.maxHz, 6);
  });

  it('defaults: 15 Hz at most, 5 Hz floor for slow renders, up to a whole core', () => {
    expect(DEFAULT_TRACKING_BUDGET).toEqual({ maxHz: 15, minHz: 5, renderTargetMs: 100, maxShare: 1 });
  });
});
