import { describe, expect, it } from 'vitest';
import {
  BLENDSHAPE_NAMES,
  blendshapesFromCategories,
  sanitizeObservation,
  sanitizeRotation,
  sanitizeScores,
} from './blendshapes';
import { identity3 } from './mat3';

describe('blendshapes', () => {
  it('lists the 52 categories, _neutral first then alphabetical', () => {
    expect(BLENDSHAPE_NAMES).toHaveLength(52);
    expect(BLENDSHAPE_NAMES[0]).toBe('_neutral');
    const rest = [...BLENDSHAPE_NAMES.slice(1)];
    expect(rest).toEqual([...rest].sort());
  });

  it('clamps scores: NaN -> 0, +-Infinity and out-of-range to [0, 1], missing -> 0', () => {
    const s = sanitizeScores({
      jawOpen: Number.NaN,
      eyeBlinkLeft: Number.POSITIVE_INFINITY,
      eyeBlinkRight: Number.NEGATIVE_INFINITY,
      mouthFunnel: 1.5,
      mouthPucker: -0.2,
      browInnerUp: 0.25,
      mouthSmileLeft: '0.5',
      bogus: 1,
    });
    expect(s.jawOpen).toBe(0);
    expect(s.eyeBlinkLeft).toBe(1);
    expect(s.eyeBlinkRight).toBe(0);
    expect(s.mouthFunnel).toBe(1);
    expect(s.mouthPucker).toBe(0);
    expect(s.browInnerUp).toBe(0.25);
    expect(s.mouthSmileLeft).toBe(0);
    expect(Object.keys(s)).toHaveLength(52);
  });

  it('reads the rotation block from a column-major matrix', () => {
    // Column-major: element (row 0, col 1) sits at index 4.
    const m = [0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 5, 6, 7, 1];
    expect(Array.from(sanitizeRotation(m))).toEqual([0, -1, 0, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(sanitizeRotation(Float32Array.from(m)))).toEqual([0, -1, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('treats unusable matrices as identity', () => {
    const id = Array.from(identity3());
    const bad: unknown[] = [
      null,
      undefined,
      [1, 2, 3],
      new Array(16).fill(0),
      [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, Number.NaN, 0, 0, 0, 0, 1],
      [-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], // mirrored
      'matrix',
      { length: 16 },
    ];
    for (const m of bad) expect(Array.from(sanitizeRotation(m))).toEqual(id);
  });

  it('sanitizes whole observations of any shape without throwing', () => {
    for (const o of [null, 42, {}, { blendshapes: null, matrix: null }, { blendshapes: [1, 2] }]) {
      const s = sanitizeObservation(o);
      expect(Object.keys(s.scores)).toHaveLength(52);
      expect(Array.from(s.rotation)).toEqual(Array.from(identity3()));
    }
  });

  it('builds scores from FaceLandmarker categories', () => {
    expect(
      blendshapesFromCategories([
        { categoryName: 'jawOpen', score: 0.5 },
        { categoryName: 'nope', score: 1 },
        { categoryName: 'eyeBlinkLeft', score: 2 },
      ]),
    ).toEqual({ jawOpen: 0.5, eyeBlinkLeft: 1 });
  });
});
