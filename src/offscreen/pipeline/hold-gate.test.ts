import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HoldGate } from './hold-gate';

describe('HoldGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settled = async (p: Promise<void>) => {
    let done = false;
    void p.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it('is open until held, and opens when released', async () => {
    const g = new HoldGate(400);
    expect(await settled(g.wait())).toBe(true);
    g.set(true);
    g.set(true); // holding twice is one hold
    const waiting = g.wait();
    await vi.advanceTimersByTimeAsync(100);
    expect(await settled(waiting)).toBe(false);
    g.set(false);
    expect(await settled(waiting)).toBe(true);
    expect(g.isHeld).toBe(false);
  });

  it('never keeps a waiter longer than its limit when no release comes', async () => {
    const g = new HoldGate(400);
    g.set(true);
    const waiting = g.wait();
    await vi.advanceTimersByTimeAsync(399);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(true);
    // Still held: the next wait is bounded again.
    expect(g.isHeld).toBe(true);
  });
});
