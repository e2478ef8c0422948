import { describe, expect, it } from 'vitest';
import { applyIdleMotion, BLINK, blinkClosure, IDLE_RANGE, IdleMotion, valueNoise } from './idle-motion';
import { PoseParam, POSE_SIZE } from './pose-params';

const FRAME_MS = 1000 / 30;

/** Samples `minutes` of idle motion at 30 fps. */
function run(seed: number, minutes: number) {
  const idle = new IdleMotion(seed);
  const out = [];
  for (let t = 0; t < minutes * 60_000; t += FRAME_MS) out.push({ t, ...idle.sample(t) });
  return out;
}

/** Blinks as [start, end] of closure > 0.5 runs. */
function closures(samples: { t: number; blink: number }[]): { start: number; ms: number }[] {
  const out: { start: number; ms: number }[] = [];
  let start: number | null = null;
  for (const s of samples) {
    if (s.blink > 0.5 && start === null) start = s.t;
    if (s.blink <= 0.5 && start !== null) {
      out.push({ start, ms: s.t - start });
      start = null;
    }
  }
  return out;
}

function autocorrelation(x: number[], lag: number): number {
  const n = x.length - lag;
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) den += (x[i] - mean) ** 2;
  for (let i = 0; i < n; i++) num += (x[i] - mean) * (x[i + lag] - mean);
  return (num / n) / (den / x.length);
}

describe('idle blinks', () => {
  it('blink at a human rate (15-20 a minute) over ten minutes, for several seeds', () => {
    for (const seed of [1, 2, 3, 12345, 987654321]) {
      const blinks = closures(run(seed, 10));
      const perMinute = blinks.length / 10;
      expect(perMinute, `seed ${seed}`).toBeGreaterThanOrEqual(15);
      expect(perMinute, `seed ${seed}`).toBeLessThanOrEqual(20);
    }
  });

  it('close the eyes briefly (the closed part of a blink lasts 30-200 ms)', () => {
    const blinks = closures(run(7, 5));
    for (const b of blinks) {
      expect(b.ms).toBeGreaterThanOrEqual(30);
      expect(b.ms).toBeLessThanOrEqual(200);
    }
    // The whole blink, including partial closure, is a human 220 ms.
    expect(BLINK.closeMs + BLINK.holdMs + BLINK.openMs).toBeLessThanOrEqual(300);
  });

  it('space blinks irregularly: gaps vary, but never shorter than a double blink or longer than 9 s', () => {
    const blinks = closures(run(42, 10));
    const gaps = blinks.slice(1).map((b, i) => b.start - blinks[i].start);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.3); // not a metronome
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(BLINK.maxGapMs + 200);
  });

  it('has a smooth closure curve: 0 outside, 1 when closed, monotone in and out', () => {
    expect(blinkClosure(-1)).toBe(0);
    expect(blinkClosure(BLINK.closeMs + 1)).toBe(1);
    expect(blinkClosure(BLINK.closeMs + BLINK.holdMs + BLINK.openMs)).toBe(0);
    let prev = 0;
    for (let t = 0; t <= BLINK.closeMs; t += 5) {
      expect(blinkClosure(t)).toBeGreaterThanOrEqual(prev);
      prev = blinkClosure(t);
    }
  });
});

describe('idle head and gaze', () => {
  it('stays within its bounded ranges', () => {
    for (const s of run(99, 3)) {
      expect(Math.abs(s.headX)).toBeLessThanOrEqual(IDLE_RANGE.headX);
      expect(Math.abs(s.headY)).toBeLessThanOrEqual(IDLE_RANGE.headY);
      expect(Math.abs(s.neckZ)).toBeLessThanOrEqual(IDLE_RANGE.neckZ);
      expect(Math.abs(s.irisX)).toBeLessThanOrEqual(IDLE_RANGE.irisX);
      expect(Math.abs(s.irisY)).toBeLessThanOrEqual(IDLE_RANGE.irisY);
      expect(s.blink).toBeGreaterThanOrEqual(0);
      expect(s.blink).toBeLessThanOrEqual(1);
    }
  });

  it('moves visibly but smoothly (no jumps between frames)', () => {
    const s = run(5, 2);
    const headY = s.map((x) => x.headY);
    const range = Math.max(...headY) - Math.min(...headY);
    expect(range).toBeGreaterThan(IDLE_RANGE.headY * 0.5);
    const maxStep = Math.max(...headY.slice(1).map((v, i) => Math.abs(v - headY[i])));
    expect(maxStep).toBeLessThan(IDLE_RANGE.headY * 0.05);
  });

  it('never loops: no strong autocorrelation at any lag from 5 s to 4 minutes over 8 minutes', () => {
    const s = run(2024, 8);
    // 10 Hz is plenty for motion whose lattice spacing is over a second.
    for (const key of ['headX', 'headY', 'neckZ', 'irisX', 'irisY'] as const) {
      const x = s.filter((_, i) => i % 3 === 0).map((v) => v[key]);
      let worst = 0;
      for (let lag = 50; lag <= 2400; lag += 5) worst = Math.max(worst, autocorrelation(x, lag));
      expect(worst, key).toBeLessThan(0.6);
    }
  });

  it('is reproducible for a seed and different across seeds', () => {
    const a = run(11, 0.2);
    const b = run(11, 0.2);
    const c = run(12, 0.2);
    expect(a).toEqual(b);
    expect(a.map((x) => x.headX)).not.toEqual(c.map((x) => x.headX));
  });

  it('value noise interpolates its lattice continuously', () => {
    for (let x = 0; x < 20; x += 0.013) expect(Math.abs(valueNoise(1, 1, x + 1e-6) - valueNoise(1, 1, x))).toBeLessThan(1e-3);
  });
});

describe('applyIdleMotion', () => {
  it('adds nothing at weight 0 and the full motion at weight 1, within parameter ranges', () => {
    const idle = { blink: 1, headX: 0.1, headY: -0.1, neckZ: 0.05, irisX: 0.2, irisY: -0.3 };
    const zero = applyIdleMotion(new Float32Array(POSE_SIZE), idle, 0);
    expect(Array.from(zero).every((v) => v === 0)).toBe(true);
    const full = applyIdleMotion(new Float32Array(POSE_SIZE), idle, 1);
    expect(full[PoseParam.eye_wink_left]).toBe(1);
    expect(full[PoseParam.eye_wink_right]).toBe(1);
    expect(full[PoseParam.head_x]).toBeCloseTo(0.1);
    expect(full[PoseParam.iris_rotation_y]).toBeCloseTo(-0.3);
    const edge = new Float32Array(POSE_SIZE);
    edge[PoseParam.head_x] = 0.98;
    expect(applyIdleMotion(edge, idle, 1)[PoseParam.head_x]).toBe(1);
  });
});
