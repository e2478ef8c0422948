import { describe, expect, it } from 'vitest';
import { sanitizeObservation } from './blendshapes';
import { applyCalibration, captureCalibration, MAX_REST_LEVEL, sanitizeCalibration } from './calibration';
import { scipyEulerXyz } from './euler';
import { multiply3 } from './mat3';
import { face, rotationXyzDeg } from './test-helpers';

const DEG = Math.PI / 180;

describe('calibration', () => {
  const restFrames = [-1, 0, 1].map((j) =>
    sanitizeObservation(face({ eyeLookDownLeft: 0.3 + j * 0.01, jawOpen: 0.05, eyeBlinkLeft: 0.99 }, rotationXyzDeg(-12 + j * 0.2, 8, 0))),
  );
  const cal = captureCalibration(restFrames);

  it('captures mean rotation and resting levels', () => {
    expect(cal).not.toBeNull();
    if (!cal) return;
    expect(cal.rest.eyeLookDownLeft).toBeCloseTo(0.3, 9);
    expect(cal.rest.jawOpen).toBeCloseTo(0.05, 9);
    expect(cal.rest.eyeBlinkLeft).toBe(MAX_REST_LEVEL);
    expect(captureCalibration([])).toBeNull();
  });

  it('measures rotation relative to the neutral head and rescales scores', () => {
    if (!cal) throw new Error('no calibration');
    const atRest = applyCalibration(restFrames[1], cal);
    const e0 = scipyEulerXyz(atRest.rotation);
    expect(Math.abs(e0.x) + Math.abs(e0.y) + Math.abs(e0.z)).toBeLessThan(1e-9);
    expect(atRest.scores.eyeLookDownLeft).toBeCloseTo(0, 9);

    // A turn about the neck (head-local y) from the neutral pose stays a pure yaw.
    const turned = sanitizeObservation(
      face({ eyeLookDownLeft: 0.65, jawOpen: 0 }, multiply3(rotationXyzDeg(-12, 8, 0), rotationXyzDeg(0, 7, 0))),
    );
    const rel = applyCalibration(turned, cal);
    const e = scipyEulerXyz(rel.rotation);
    expect(e.x / DEG).toBeCloseTo(0, 6);
    expect(e.y / DEG).toBeCloseTo(7, 6);
    expect(e.z / DEG).toBeCloseTo(0, 6);
    expect(rel.scores.eyeLookDownLeft).toBeCloseTo(0.5, 9); // (0.65 - 0.3) / 0.7
    expect(rel.scores.jawOpen).toBe(0);
  });

  it('round-trips through JSON and rejects garbage', () => {
    if (!cal) throw new Error('no calibration');
    expect(sanitizeCalibration(JSON.parse(JSON.stringify(cal)))).toEqual(cal);
    for (const bad of [null, 1, {}, { rotation: [0, 0, 0, 0] }, { rotation: [1, 2, 3] }, { rotation: [0, 0, Number.NaN, 1] }]) {
      expect(sanitizeCalibration(bad)).toBeNull();
    }
    const partial = sanitizeCalibration({ rotation: [0, 0, 0, 2], rest: { jawOpen: 7, nope: 1, eyeBlinkLeft: 'x' } });
    expect(partial).toEqual({ rotation: [0, 0, 0, 1], rest: { jawOpen: MAX_REST_LEVEL } });
  });
});
