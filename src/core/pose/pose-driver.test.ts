import { describe, expect, it } from 'vitest';
import { convertFace } from './converter';
import { DEFAULT_POSE_DRIVER_SETTINGS, PoseDriver, sanitizePoseDriverSettings } from './pose-driver';
import { POSE_SIZE, PoseParam, poseParamRange } from './pose-params';
import { face, rotationXyzDeg } from './test-helpers';

const FRAME_MS = 1000 / 30;

describe('PoseDriver', () => {
  it('without smoothing and after the fade-in matches convertFace (plus breathing)', () => {
    const d = new PoseDriver({ smoothing: { enabled: false } });
    const obs = face({ jawOpen: 0.3, mouthSmileLeft: 0.5, eyeBlinkRight: 0.6 }, rotationXyzDeg(5, -4, 3));
    let out: Float32Array = new Float32Array(POSE_SIZE);
    for (let t = 0; t <= 1000; t += FRAME_MS) out = d.update(obs, t);
    const expected = convertFace(obs);
    for (let i = 0; i < PoseParam.breathing; i++) expect(out[i]).toBeCloseTo(expected[i], 5);
    expect(out[PoseParam.breathing]).toBeGreaterThan(0);
  });

  it('keeps breathing while the face is lost and eases to neutral', () => {
    const d = new PoseDriver();
    const obs = face({ jawOpen: 0.4 }, rotationXyzDeg(10, 0, 0));
    let t = 0;
    for (; t < 1000; t += FRAME_MS) d.update(obs, t);
    const breaths: number[] = [];
    let out: Float32Array = new Float32Array(POSE_SIZE);
    for (const end = t + 2000; t < end; t += FRAME_MS) {
      out = d.update(null, t);
      breaths.push(out[PoseParam.breathing]);
    }
    for (let i = 0; i < PoseParam.breathing; i++) expect(out[i]).toBe(0);
    expect(Math.max(...breaths) - Math.min(...breaths)).toBeGreaterThan(0.3);
  });

  it('calibrates from recent frames and returns persistable data', () => {
    const d = new PoseDriver({ smoothing: { enabled: false }, faceFadeMs: 0 });
    expect(d.calibrate()).toBeNull();
    const tilted = face({ eyeLookDownLeft: 0.3, eyeLookDownRight: 0.3 }, rotationXyzDeg(-12, 0, 0));
    let t = 0;
    for (; t < 500; t += FRAME_MS) d.update(tilted, t);
    expect(d.update(tilted, t)[PoseParam.head_x]).toBeCloseTo(0.8, 5);
    const cal = d.calibrate();
    expect(cal).not.toBeNull();
    const out = d.update(tilted, (t += FRAME_MS));
    expect(out[PoseParam.head_x]).toBeCloseTo(0, 5);
    expect(out[PoseParam.iris_rotation_x]).toBeCloseTo(0, 5);
    expect(sanitizePoseDriverSettings(JSON.parse(JSON.stringify(d.settings)))).toEqual(d.settings);
    d.clearCalibration();
    expect(d.update(tilted, (t += FRAME_MS))[PoseParam.head_x]).toBeCloseTo(0.8, 5);
  });

  it('applies head strength and breathing rate from settings', () => {
    const d = new PoseDriver({ smoothing: { enabled: false }, faceFadeMs: 0, headStrength: 0.5 });
    const obs = face({}, rotationXyzDeg(-6, 0, 0));
    expect(d.update(obs, 0)[PoseParam.head_x]).toBeCloseTo(0.2, 5);
    d.setSettings({ ...d.settings, converter: { ...d.settings.converter, breathingRatePerMinute: 0 } });
    expect(d.update(obs, 1500)[PoseParam.breathing]).toBe(0);
  });

  it('sanitizes settings and never throws on hostile frames', () => {
    expect(sanitizePoseDriverSettings(undefined)).toEqual(DEFAULT_POSE_DRIVER_SETTINGS);
    const d = new PoseDriver({ headStrength: 'big', smoothing: { beta: -4 }, faceFadeMs: 1e9, calibration: 'x' });
    expect(d.settings.headStrength).toBe(1);
    expect(d.settings.smoothing.beta).toBe(0);
    expect(d.settings.faceFadeMs).toBe(500);
    expect(d.settings.calibration).toBeNull();
    // Deliberately malformed frames.
    const frames = [{}, { blendshapes: 5, matrix: 'no' }, null, face({ jawOpen: Number.NaN })] as unknown as Parameters<
      PoseDriver['update']
    >[0][];
    let t = 0;
    for (const f of frames) {
      for (const time of [t, Number.NaN, t - 100, t + 1e9]) {
        const out = d.update(f, time);
        expect(out).toHaveLength(POSE_SIZE);
        out.forEach((v, i) => {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(poseParamRange(i).min);
          expect(v).toBeLessThanOrEqual(poseParamRange(i).max);
        });
      }
      t += 1e9 + 33;
    }
  });
});
