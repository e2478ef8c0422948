import { describe, expect, it } from 'vitest';
import { sanitizePose } from './pose';

describe('sanitizePose', () => {
  it('clamps to each parameter range and turns NaN into 0, without touching the input', () => {
    const input = new Array(45).fill(0.5);
    input[0] = 2; // morph, [0, 1]
    input[1] = -1;
    input[2] = Number.NaN;
    input[39] = -3; // head_x, [-1, 1]
    input[44] = Infinity; // breathing, [0, 1]
    const p = sanitizePose(input);
    expect(p).toBeInstanceOf(Float32Array);
    expect([p[0], p[1], p[2], p[3], p[39], p[44]]).toEqual([1, 0, 0, 0.5, -1, 1]);
    expect(input[0]).toBe(2);
  });

  it('rejects vectors that are not 45 long', () => {
    expect(() => sanitizePose(new Float32Array(44))).toThrow(/45/);
    expect(() => sanitizePose([])).toThrow(RangeError);
  });
});
