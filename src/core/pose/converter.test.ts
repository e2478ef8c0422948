import { describe, expect, it } from 'vitest';
import { convertFace } from './converter';
import { DEFAULT_CONVERTER_SETTINGS, sanitizeConverterSettings } from './converter-settings';
import { POSE_SIZE, PoseParam, poseParamRange } from './pose-params';
import { face, rotationXyzDeg, seededRandom } from './test-helpers';

const settings = (over: object) => sanitizeConverterSettings({ ...DEFAULT_CONVERTER_SETTINGS, ...over });

describe('convertFace (beyond the goldens)', () => {
  it('routes lowered brows by eyebrow mode', () => {
    const obs = face({ browDownLeft: 0.2, browDownRight: 0.4 });
    const cases = [
      ['TROUBLED', PoseParam.eyebrow_troubled_left],
      ['ANGRY', PoseParam.eyebrow_angry_left],
      ['LOWERED', PoseParam.eyebrow_lowered_left],
      ['SERIOUS', PoseParam.eyebrow_serious_left],
    ] as const;
    for (const [mode, left] of cases) {
      const p = convertFace(obs, settings({ eyebrowDownMode: mode }));
      expect(p[left]).toBeCloseTo(0.5, 6);
      expect(p[left + 1]).toBeCloseTo(1, 6);
      const others = cases.map(([, i]) => i).filter((i) => i !== left);
      for (const i of others) expect(p[i]).toBe(0);
    }
  });

  it('uses the relaxed eye in RELAXED wink mode', () => {
    const p = convertFace(face({ eyeBlinkLeft: 0.4 }), settings({ winkMode: 'RELAXED' }));
    expect(p[PoseParam.eye_relaxed_left]).toBeCloseTo(0.5, 6);
    expect(p[PoseParam.eye_wink_left]).toBe(0);
  });

  it('sets iris size and head offsets from settings', () => {
    const p = convertFace(
      face({}, rotationXyzDeg(10, 0, 0)),
      settings({ irisSmallLeft: 0.3, irisSmallRight: 0.6, headXOffset: (10 * Math.PI) / 180 }),
    );
    expect(p[PoseParam.iris_small_left]).toBeCloseTo(0.3, 6);
    expect(p[PoseParam.iris_small_right]).toBeCloseTo(0.6, 6);
    expect(p[PoseParam.head_x]).toBeCloseTo(0, 6);
  });

  it('computes breathing from the phase', () => {
    expect(convertFace(face(), DEFAULT_CONVERTER_SETTINGS, 0.5)[PoseParam.breathing]).toBeCloseTo(1, 6);
    expect(convertFace(face(), DEFAULT_CONVERTER_SETTINGS, 0.25)[PoseParam.breathing]).toBeCloseTo(0.5, 6);
    expect(convertFace(face(), DEFAULT_CONVERTER_SETTINGS)[PoseParam.breathing]).toBe(0);
  });

  it('handles degenerate threshold ranges like the original (no division by zero)', () => {
    const p = convertFace(
      face({ jawOpen: 0.9, cheekSquintLeft: 0.9, mouthSmileLeft: 1, mouthSmileRight: 1 }),
      settings({ jawOpenMin: 0.5, jawOpenMax: 0.5, cheekSquintMin: 0.7, cheekSquintMax: 0.2, smileThresholdMin: 0.6, smileThresholdMax: 0.6 }),
    );
    expect(p[PoseParam.mouth_aaa]).toBe(0);
    expect(p[PoseParam.eye_raised_lower_eyelid_left]).toBe(0);
    expect(p[PoseParam.eyebrow_happy_left]).toBe(0);
    expect(p.every(Number.isFinite)).toBe(true);
  });

  it('never throws and stays in range on hostile input', () => {
    const rand = seededRandom(5);
    const hostile: unknown[] = [Number.NaN, Number.POSITIVE_INFINITY, -5, 5, undefined, 'x'];
    for (let k = 0; k < 200; k++) {
      const blendshapes: Record<string, unknown> = {};
      for (const name of ['jawOpen', 'mouthFunnel', 'mouthPucker', 'eyeBlinkLeft', 'mouthSmileLeft', 'eyeLookInLeft']) {
        blendshapes[name] = rand() < 0.3 ? hostile[Math.floor(rand() * hostile.length)] : rand() * 3 - 1;
      }
      const matrix = Array.from({ length: 16 }, () => (rand() < 0.05 ? Number.NaN : rand() * 4 - 2));
      // Deliberately malformed input, as a bug elsewhere could deliver it.
      const p = convertFace({ blendshapes, matrix } as unknown as Parameters<typeof convertFace>[0]);
      expect(p).toHaveLength(POSE_SIZE);
      p.forEach((v, i) => {
        const r = poseParamRange(i);
        expect(v).toBeGreaterThanOrEqual(r.min);
        expect(v).toBeLessThanOrEqual(r.max);
      });
    }
  });
});
