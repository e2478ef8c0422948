import { describe, expect, it } from 'vitest';
import { applyHeadStrength, sanitizeHeadStrength } from './head-strength';
import { POSE_SIZE, PoseParam } from './pose-params';

describe('head strength', () => {
  it('scales only head/neck/body rotation and clamps to [-1, 1]', () => {
    const p = new Float32Array(POSE_SIZE).fill(0.5);
    p[PoseParam.head_y] = -0.75;
    applyHeadStrength(p, 2);
    expect(p[PoseParam.head_x]).toBe(1);
    expect(p[PoseParam.head_y]).toBe(-1);
    expect(p[PoseParam.neck_z]).toBe(1);
    expect(p[PoseParam.body_y]).toBe(1);
    expect(p[PoseParam.body_z]).toBe(1);
    expect(p[PoseParam.iris_rotation_x]).toBe(0.5);
    expect(p[PoseParam.breathing]).toBe(0.5);
  });

  it('clamps the strength itself', () => {
    expect(sanitizeHeadStrength(5)).toBe(2);
    expect(sanitizeHeadStrength(-1)).toBe(0);
    expect(sanitizeHeadStrength(Number.NaN)).toBe(1);
    const p = new Float32Array(POSE_SIZE).fill(0.5);
    applyHeadStrength(p, -3);
    expect(p[PoseParam.head_x]).toBe(0);
  });
});
