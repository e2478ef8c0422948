import { describe, expect, it } from 'vitest';
import { faceWidthShare, MIN_FACE_PX, trackerInputScale } from './tracker-input';

describe('faceWidthShare', () => {
  it('spans the landmarks from left to right', () => {
    expect(faceWidthShare([{ x: 0.4 }, { x: 0.7 }, { x: 0.5 }])).toBeCloseTo(0.3);
  });
  it('is null without a face or with degenerate landmarks', () => {
    expect(faceWidthShare(undefined)).toBeNull();
    expect(faceWidthShare([])).toBeNull();
    expect(faceWidthShare([{ x: 0.5 }])).toBeNull();
    expect(faceWidthShare([{ x: NaN }, { x: 0.5 }])).toBeNull();
  });
});

describe('trackerInputScale', () => {
  it('halves a 640 px frame while the face stays wide enough after halving', () => {
    expect(trackerInputScale(640, 0.4)).toBe(0.5); // 256 px face -> 128 px
    expect(trackerInputScale(640, 0.22)).toBe(0.5); // the talking-head clip: 141 px -> 70 px
    expect(trackerInputScale(640, (2 * MIN_FACE_PX) / 640)).toBe(0.5);
  });
  it('keeps the full frame for a small face, before any face, and for small frames', () => {
    expect(trackerInputScale(640, 0.15)).toBe(1); // 96 px face would be 48 px
    expect(trackerInputScale(640, null)).toBe(1);
    expect(trackerInputScale(320, 0.9)).toBe(1);
    expect(trackerInputScale(NaN, 0.5)).toBe(1);
  });
});
