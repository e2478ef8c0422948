import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../scripts/lib/shared-path';
import {
  clampPose,
  HEAD_MOVEMENT_PARAMS,
  POSE_PARAMETER_NAMES,
  POSE_SIZE,
  PoseParam,
  poseParamRange,
} from './pose-params';

const poses = JSON.parse(readFileSync(join(requireSharedDir(), 'tha4', 'golden', 'poses.json'), 'utf8')) as {
  parameter_names: string[];
  parameter_ranges: [number, number][];
};

describe('pose parameters', () => {
  it('match THA4 names, order and ranges', () => {
    expect(POSE_SIZE).toBe(45);
    expect([...POSE_PARAMETER_NAMES]).toEqual(poses.parameter_names);
    POSE_PARAMETER_NAMES.forEach((name, i) => {
      expect(PoseParam[name]).toBe(i);
      const r = poseParamRange(i);
      expect([r.min, r.max]).toEqual(poses.parameter_ranges[i]);
    });
    expect(Object.keys(PoseParam)).toHaveLength(45);
    expect(HEAD_MOVEMENT_PARAMS.map((i) => POSE_PARAMETER_NAMES[i])).toEqual([
      'head_x',
      'head_y',
      'neck_z',
      'body_y',
      'body_z',
    ]);
  });

  it('clampPose clamps to ranges and zeroes NaN', () => {
    const p = new Float32Array(POSE_SIZE).fill(5);
    p[0] = Number.NaN;
    p[PoseParam.head_x] = -3;
    clampPose(p);
    expect(p[0]).toBe(0);
    expect(p[1]).toBe(1);
    expect(p[PoseParam.head_x]).toBe(-1);
    expect(p[PoseParam.breathing]).toBe(1);
  });
});
