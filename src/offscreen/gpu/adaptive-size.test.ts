import { describe, expect, it } from 'vitest';
import { AdaptiveSize, DEFAULT_ADAPTIVE_SIZE, describeChange, type AdaptiveSizeOptions } from './adaptive-size';

const opts: AdaptiveSizeOptions = { ...DEFAULT_ADAPTIVE_SIZE, window: 5, warmup: 2, holdMs: 1000, backoffMs: 10_000, maxBackoffMs: 40_000 };

/** Feeds frames at the current size whose time follows the pixel count (`msAt512` at 512), 33 ms apart. */
function run(a: AdaptiveSize, frames: number, msAt512: (t: number) => number, t0 = 0): { t: number; sizes: number[] } {
  let t = t0;
  const sizes: number[] = [];
  for (let i = 0; i < frames; i++) {
    t += 33;
    const ms = msAt512(t) * (a.size / 512) ** 2;
    const c = a.frame(a.size, ms, t);
    if (c) sizes.push(c.to);
  }
  return { t, sizes };
}

describe('AdaptiveSize', () => {
  it('stays at 512 while frames fit in the budget', () => {
    const a = new AdaptiveSize(512, opts);
    expect(run(a, 200, () => 30).sizes).toEqual([]);
    expect(a.size).toBe(512);
    expect(a.lastChange).toBeNull();
  });

  it('steps down one size at a time until 30 fps hold, after warm-up and hold times', () => {
    const a = new AdaptiveSize(512, opts);
    // 120 ms at 512: 67.5 at 384 (still too slow), 30 at 256.
    const r = run(a, 400, () => 120);
    expect(r.sizes).toEqual([384, 256]);
    expect(a.size).toBe(256);
    expect(a.lastChange).toMatchObject({ from: 384, to: 256 });
  });

  it('needs a full window after warm-up: a few slow frames change nothing', () => {
    const a = new AdaptiveSize(512, opts);
    expect(a.frame(512, 500, 10)).toBeNull(); // warm-up
    expect(a.frame(512, 500, 20)).toBeNull(); // warm-up
    for (let i = 0; i < 4; i++) expect(a.frame(512, 500, 30 + i)).toBeNull();
    expect(a.size).toBe(512);
    // The median of the window decides: one slow frame in five does not.
    const b = new AdaptiveSize(512, opts);
    const times = [5, 5, 20, 20, 200, 20, 20];
    times.forEach((ms, i) => b.frame(512, ms, 2000 + i * 33));
    expect(b.size).toBe(512);
  });

  it('ignores frames of another size (the old renderer serving while the new one is made)', () => {
    const a = new AdaptiveSize(512, opts);
    run(a, 40, () => 50);
    expect(a.size).toBe(384);
    for (let i = 0; i < 50; i++) a.frame(512, 1000, 5000 + i);
    expect(a.size).toBe(384);
  });

  it('steps back up when the bigger size is predicted to fit with room to spare', () => {
    const a = new AdaptiveSize(512, opts);
    let r = run(a, 60, () => 50); // too slow at 512, 28 ms at 384
    expect(a.size).toBe(384);
    // The GPU frees up (another app closed): 15 ms at 512 now, but 512 is backed off for a while.
    r = run(a, 100, () => 15, r.t);
    expect(a.size).toBe(384);
    r = run(a, 400, () => 15, r.t);
    expect(a.size).toBe(512);
    expect(a.lastChange).toMatchObject({ from: 384, to: 512 });
  });

  it('does not flap under a steady load, whatever the frame time', () => {
    for (const ms of [30, 34, 40, 50, 56, 60, 80, 100, 140]) {
      const a = new AdaptiveSize(512, opts);
      const r = run(a, 3000, () => ms);
      // Only steps down, each size at most once, and it settles on the largest size that holds.
      expect(r.sizes, `${ms} ms at 512`).toEqual([384, 256].slice(0, r.sizes.length));
      const fits = [512, 384, 256].find((n) => ms * (n / 512) ** 2 <= 1000 / 30) ?? 256;
      expect(a.size, `${ms} ms at 512`).toBe(fits);
    }
  });

  it('with frame times that swing, a size that keeps failing is backed off longer and longer', () => {
    const a = new AdaptiveSize(512, opts);
    // Alternates every 3 s between a light load (10 ms at 512) and a heavy one (50 ms at 512, 28 at 384).
    const r = run(a, 3000, (t) => (Math.floor(t / 3000) % 2 ? 50 : 10));
    const downs = r.sizes.filter((s) => s === 384).length;
    // Over 100 s, backoffs of 10, 20, 40, 40 s allow at most a handful of returns to 512.
    expect(downs).toBeGreaterThanOrEqual(2); // it does try 512 again when the load lifts
    expect(downs).toBeLessThanOrEqual(4);
    expect(r.sizes.length).toBeLessThanOrEqual(8);
  });

  it('never goes below 256 or above 512, and starts at 512 for an unknown size', () => {
    const a = new AdaptiveSize(512, opts);
    run(a, 500, () => 2000);
    expect(a.size).toBe(256);
    const b = new AdaptiveSize(100, opts);
    expect(b.size).toBe(512);
    run(b, 500, () => 1);
    expect(b.size).toBe(512);
  });

  it('says what it did, for the status reason', () => {
    expect(describeChange({ from: 512, to: 384, medianMs: 52.4 })).toBe('picture size adapted down to 384 px to hold 30 fps (512 px frames took 52 ms)');
    expect(describeChange({ from: 256, to: 384, medianMs: 8 })).toMatch(/^picture size adapted back up to 384 px/);
  });
});
