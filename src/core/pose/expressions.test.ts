import { describe, expect, it } from 'vitest';
import {
  blendCurve,
  customTarget,
  CUSTOM_PARAM_INDICES,
  DEFAULT_BLEND_MS,
  type ExpressionId,
  ExpressionMixer,
  indexTarget,
  mixTarget,
  PRESET_EXPRESSIONS,
  PRESET_TARGETS,
  REPEAT_GAP_MS,
} from './expressions';
import { PoseParam, POSE_SIZE, poseParamRange } from './pose-params';

const targets = (id: ExpressionId) => (id in PRESET_TARGETS ? indexTarget(PRESET_TARGETS[id as keyof typeof PRESET_TARGETS]) : null);

function tracked(): Float32Array {
  const p = new Float32Array(POSE_SIZE);
  p[PoseParam.head_x] = 0.4;
  p[PoseParam.iris_rotation_x] = -0.3;
  p[PoseParam.mouth_aaa] = 0.5;
  p[PoseParam.eye_wink_left] = 0.2;
  p[PoseParam.breathing] = 0.7;
  return p;
}

/** Runs the mixer at 60 fps from `from` to `to` ms and returns the smile-corner value per frame. */
function trace(m: ExpressionMixer, from: number, to: number, param: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += 1000 / 60) out.push(m.apply(tracked(), t, targets)[param]);
  return out;
}

describe('blend curve', () => {
  it('starts and ends flat, is monotone and stays in [0, 1]', () => {
    expect(blendCurve(0)).toBe(0);
    expect(blendCurve(1)).toBe(1);
    expect(blendCurve(0.5)).toBeCloseTo(0.5);
    expect(blendCurve(-3)).toBe(0);
    expect(blendCurve(7)).toBe(1);
    expect(blendCurve(NaN)).toBe(0);
    let prev = 0;
    for (let x = 0; x <= 1; x += 0.01) {
      expect(blendCurve(x)).toBeGreaterThanOrEqual(prev);
      prev = blendCurve(x);
    }
    expect(blendCurve(0.02)).toBeLessThan(0.002); // zero slope at the start
  });
});

describe('ExpressionMixer', () => {
  it('blends a held expression in over ~150 ms and back out over ~150 ms after release', () => {
    const m = new ExpressionMixer();
    m.apply(tracked(), 0, targets);
    m.hold('smile', 0, 1000);
    const corner = PoseParam.mouth_raised_corner_left;
    const rise = trace(m, 1000 / 60, 400, corner);
    const reached = rise.findIndex((v) => v >= 0.999);
    expect(reached * (1000 / 60)).toBeGreaterThanOrEqual(DEFAULT_BLEND_MS - 40);
    expect(reached * (1000 / 60)).toBeLessThanOrEqual(DEFAULT_BLEND_MS + 20);
    for (let i = 1; i < rise.length; i++) expect(rise[i]).toBeGreaterThanOrEqual(rise[i - 1]);
    // Still shown before its hold ends, blended out within 150 ms after.
    expect(trace(m, 400, 1000, corner).every((v) => v > 0.999)).toBe(true);
    const fall = trace(m, 1000 + 1000 / 60, 1300, corner);
    expect(fall[0]).toBeLessThan(1);
    expect(fall[Math.ceil(DEFAULT_BLEND_MS / (1000 / 60)) + 1]).toBe(0);
    for (let i = 1; i < fall.length; i++) expect(fall[i]).toBeLessThanOrEqual(fall[i - 1]);
    expect(m.showing(1300)).toEqual([]);
  });

  it('combines with tracking: head, gaze, breathing and unnamed mouth vowels keep the tracked values', () => {
    const m = new ExpressionMixer(0);
    m.hold('smile', 0, 1000);
    const out = m.apply(tracked(), 10, targets);
    expect(out[PoseParam.head_x]).toBeCloseTo(0.4);
    expect(out[PoseParam.iris_rotation_x]).toBeCloseTo(-0.3);
    expect(out[PoseParam.breathing]).toBeCloseTo(0.7);
    expect(out[PoseParam.mouth_aaa]).toBeCloseTo(0.5);
    expect(out[PoseParam.eye_happy_wink_left]).toBe(1);
    // Tracked blinks still show through where the expression is silent about the eye.
    expect(out[PoseParam.eye_wink_left]).toBeCloseTo(0.2);
  });

  it('mixes halfway at half weight and clamps into parameter ranges', () => {
    const pose = new Float32Array(POSE_SIZE);
    pose[PoseParam.eyebrow_angry_left] = 0.2;
    mixTarget(pose, [[PoseParam.eyebrow_angry_left, 1]], 0.5);
    expect(pose[PoseParam.eyebrow_angry_left]).toBeCloseTo(0.6);
    const m = new ExpressionMixer(0);
    m.hold('surprised', 0, 100);
    const wild = new Float32Array(POSE_SIZE).fill(5);
    const out = m.apply(wild, 1, targets);
    for (let i = 0; i < POSE_SIZE; i++) {
      expect(out[i]).toBeGreaterThanOrEqual(poseParamRange(i).min);
      expect(out[i]).toBeLessThanOrEqual(poseParamRange(i).max);
    }
  });

  it('stacks expressions in the order they were shown: the latest wins where they overlap', () => {
    const m = new ExpressionMixer(0);
    m.hold('wink-left', 0, 1000);
    m.hold('surprised', 5, 1000);
    const out = m.apply(tracked(), 10, targets);
    expect(out[PoseParam.eye_wink_left]).toBe(0); // surprised opens the eyes
    expect(out[PoseParam.mouth_raised_corner_left]).toBeCloseTo(0.6); // from the wink, untouched by surprised
  });

  it('a key press shows for the hold time; auto-repeat keeps it; a second deliberate press hides it', () => {
    const m = new ExpressionMixer(0);
    m.keyPress('sad', 0, 2000);
    expect(m.showing(1500)).toEqual(['sad']);
    m.apply(tracked(), 2100, targets);
    expect(m.showing(2100)).toEqual([]);
    // Held key: repeats every 33 ms keep it up past the first hold.
    for (let t = 3000; t < 6000; t += 33) m.keyPress('angry', t, 2000);
    expect(m.apply(tracked(), 7000, targets)[PoseParam.eyebrow_angry_left]).toBe(1);
    expect(m.apply(tracked(), 8100, targets)[PoseParam.eyebrow_angry_left]).toBe(0);
    // Tap to show, tap again later to hide at once.
    m.keyPress('smile', 9000, 2000);
    m.keyPress('smile', 9000 + REPEAT_GAP_MS + 200, 2000);
    expect(m.apply(tracked(), 9000 + REPEAT_GAP_MS + 210, targets)[PoseParam.eye_happy_wink_left]).toBe(0);
  });

  it('release ends a hold early; a missing custom target changes nothing', () => {
    const m = new ExpressionMixer(0);
    m.hold('custom-2', 0, 5000);
    expect(Array.from(m.apply(tracked(), 10, targets))).toEqual(Array.from(tracked()));
    m.hold('smile', 0, 5000);
    m.release('smile', 20);
    expect(m.apply(tracked(), 30, targets)[PoseParam.eye_happy_wink_left]).toBe(0);
  });

  it('every preset names only face parameters, never head, gaze or breathing', () => {
    for (const id of PRESET_EXPRESSIONS) {
      for (const [i] of indexTarget(PRESET_TARGETS[id])) expect(i).toBeLessThan(PoseParam.iris_rotation_x);
    }
  });
});

describe('custom expressions', () => {
  it('keep brows, eyes and mouth shape from the live pose, not vowels, gaze, head or breathing', () => {
    const live = new Float32Array(POSE_SIZE).map((_, i) => (i % 2 ? 0.25 : 0.75));
    const t = customTarget(live);
    const names = t.map(([i]) => i);
    expect(names).toEqual(CUSTOM_PARAM_INDICES);
    expect(names).toContain(PoseParam.eyebrow_angry_left);
    expect(names).toContain(PoseParam.mouth_smirk);
    for (const skip of [PoseParam.mouth_aaa, PoseParam.mouth_ooo, PoseParam.iris_rotation_x, PoseParam.head_x, PoseParam.breathing]) expect(names).not.toContain(skip);
    expect(t.find(([i]) => i === 1)?.[1]).toBeCloseTo(0.25);
  });
});
