/**
 * Idle life for the character when no face drives it (camera-free mode, or the face is lost):
 * natural blinks at human rates and small head and gaze movement. Seeded and pure with respect to
 * time (the caller passes timestamps), so tests can replay minutes of motion exactly.
 *
 * Motion comes from 1-D value noise over a hashed lattice: every lattice value is independent,
 * so the motion never repeats (unlike a sum of sines, which a viewer eventually sees loop).
 */
import { PoseParam } from './pose-params';
import { seededRandom } from '../seeded-random';

/** Blink timing, from human data: 15-20 blinks a minute at rest, a closure of 100-300 ms. */
export const BLINK = Object.freeze({
  /** Shortest gap between two blinks (ms). */
  minGapMs: 1200,
  /** Mean gap (ms): 60 s / 3.4 s ≈ 17.6 blinks a minute. */
  meanGapMs: 3400,
  /** Longest gap (ms): a long stare still ends. */
  maxGapMs: 9000,
  closeMs: 70,
  holdMs: 40,
  openMs: 110,
  /** Share of blinks followed quickly by a second one, as people do now and then. */
  doubleChance: 0.08,
});

/** Amplitudes, in pose units: small enough to read as idling, not as nodding. */
export const IDLE_RANGE = Object.freeze({ headX: 0.12, headY: 0.18, neckZ: 0.1, irisX: 0.25, irisY: 0.35 });


/** A value in [-1, 1] for an integer lattice point of a channel (stateless hash). */
function latticeValue(seed: number, channel: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(channel + 1, 0xc2b2ae35) ^ Math.imul(i | 0, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return ((h >>> 0) / 4294967295) * 2 - 1;
}

/** Smooth value noise in [-1, 1]: quintic interpolation between lattice values (C2-continuous). */
export function valueNoise(seed: number, channel: number, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const u = f * f * f * (f * (f * 6 - 15) + 10);
  const a = latticeValue(seed, channel, i);
  const b = latticeValue(seed, channel, i + 1);
  return a + (b - a) * u;
}

/** Two octaves of noise, scaled back into [-1, 1]. `periodMs` is the slow octave's lattice spacing. */
function drift(seed: number, channel: number, timeMs: number, periodMs: number): number {
  const x = timeMs / periodMs;
  return (valueNoise(seed, channel, x) * 0.75 + valueNoise(seed, channel + 100, x * 2.7 + 0.37) * 0.25);
}

/** Eye closure in [0, 1] at `t` ms into a blink that starts at 0. */
export function blinkClosure(t: number): number {
  const { closeMs, holdMs, openMs } = BLINK;
  if (t < 0 || t >= closeMs + holdMs + openMs) return 0;
  if (t < closeMs) return smooth(t / closeMs);
  if (t < closeMs + holdMs) return 1;
  return 1 - smooth((t - closeMs - holdMs) / openMs);
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

export interface IdleSample {
  /** Eye closure, both eyes, in [0, 1]. */
  readonly blink: number;
  readonly headX: number;
  readonly headY: number;
  readonly neckZ: number;
  readonly irisX: number;
  readonly irisY: number;
}

export class IdleMotion {
  private readonly random: () => number;
  /** Start times (ms) of the scheduled blinks not yet finished, ascending. */
  private readonly blinks: number[] = [];
  private nextBlinkMs: number | null = null;

  constructor(private readonly seed: number = (Math.random() * 2 ** 32) >>> 0) {
    this.random = seededRandom(seed);
  }

  /** Gap until the next blink: a gamma(k=4) draw around the mean, clamped to the human range. */
  private gapMs(): number {
    const k = 4;
    let sum = 0;
    for (let i = 0; i < k; i++) sum += -Math.log(1 - this.random());
    const spread = ((BLINK.meanGapMs - BLINK.minGapMs) * sum) / k;
    return Math.min(BLINK.maxGapMs, BLINK.minGapMs + spread);
  }

  private scheduleUpTo(timeMs: number): void {
    let next = this.nextBlinkMs ?? timeMs + this.gapMs() * this.random();
    while (next <= timeMs) {
      this.blinks.push(next);
      const double = this.random() < BLINK.doubleChance;
      next += double ? 350 + 150 * this.random() : this.gapMs();
    }
    this.nextBlinkMs = next;
    const length = BLINK.closeMs + BLINK.holdMs + BLINK.openMs;
    while (this.blinks.length > 0 && this.blinks[0] + length < timeMs) this.blinks.shift();
  }

  /** The motion at `timeMs` (any monotonic clock). Time must not go backwards by much. */
  sample(timeMs: number): IdleSample {
    const t = Number.isFinite(timeMs) ? timeMs : 0;
    this.scheduleUpTo(t);
    let blink = 0;
    for (const start of this.blinks) blink = Math.max(blink, blinkClosure(t - start));
    const s = this.seed;
    // Slow head drift (lattice every 2.5-4 s), faster gaze (1.2 s) with small quick shifts.
    return {
      blink,
      headX: IDLE_RANGE.headX * drift(s, 1, t, 3100),
      headY: IDLE_RANGE.headY * drift(s, 2, t, 3900),
      neckZ: IDLE_RANGE.neckZ * drift(s, 3, t, 4700),
      irisX: IDLE_RANGE.irisX * drift(s, 4, t, 1300),
      irisY: IDLE_RANGE.irisY * drift(s, 5, t, 1100),
    };
  }
}

/**
 * Mixes idle motion into a pose in place: weight 1 where no face drives the character, 0 while
 * one is fully tracked. Rotations add (the character settles on top of its fading tracked pose);
 * blinks take the larger closure of tracked and idle.
 */
export function applyIdleMotion(pose: Float32Array, idle: IdleSample, weight: number): Float32Array {
  const w = Number.isFinite(weight) ? Math.max(0, Math.min(1, weight)) : 0;
  if (w === 0) return pose;
  const add = (i: number, v: number) => (pose[i] = Math.max(-1, Math.min(1, pose[i] + w * v)));
  add(PoseParam.head_x, idle.headX);
  add(PoseParam.head_y, idle.headY);
  add(PoseParam.neck_z, idle.neckZ);
  // Body follows the head as THA4's converter does, more gently.
  add(PoseParam.body_y, idle.headY * 0.5);
  add(PoseParam.body_z, idle.neckZ * 0.5);
  add(PoseParam.iris_rotation_x, idle.irisX);
  add(PoseParam.iris_rotation_y, idle.irisY);
  for (const i of [PoseParam.eye_wink_left, PoseParam.eye_wink_right]) pose[i] = Math.max(pose[i], w * idle.blink);
  return pose;
}
