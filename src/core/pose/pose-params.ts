/**
 * The 45 THA4 pose parameters, in the order the student models consume them.
 * Indices 0-38 feed the face morpher; the body morpher sees all 45.
 */

export const POSE_SIZE = 45;

/** Parameter names exactly as THA4 spells and orders them. */
export const POSE_PARAMETER_NAMES = [
  'eyebrow_troubled_left',
  'eyebrow_troubled_right',
  'eyebrow_angry_left',
  'eyebrow_angry_right',
  'eyebrow_lowered_left',
  'eyebrow_lowered_right',
  'eyebrow_raised_left',
  'eyebrow_raised_right',
  'eyebrow_happy_left',
  'eyebrow_happy_right',
  'eyebrow_serious_left',
  'eyebrow_serious_right',
  'eye_wink_left',
  'eye_wink_right',
  'eye_happy_wink_left',
  'eye_happy_wink_right',
  'eye_surprised_left',
  'eye_surprised_right',
  'eye_relaxed_left',
  'eye_relaxed_right',
  'eye_unimpressed_left',
  'eye_unimpressed_right',
  'eye_raised_lower_eyelid_left',
  'eye_raised_lower_eyelid_right',
  'iris_small_left',
  'iris_small_right',
  'mouth_aaa',
  'mouth_iii',
  'mouth_uuu',
  'mouth_eee',
  'mouth_ooo',
  'mouth_delta',
  'mouth_lowered_corner_left',
  'mouth_lowered_corner_right',
  'mouth_raised_corner_left',
  'mouth_raised_corner_right',
  'mouth_smirk',
  'iris_rotation_x',
  'iris_rotation_y',
  'head_x',
  'head_y',
  'neck_z',
  'body_y',
  'body_z',
  'breathing',
] as const;

export type PoseParamName = (typeof POSE_PARAMETER_NAMES)[number];

/** Index of each parameter in the pose vector. */
export const PoseParam = {
  eyebrow_troubled_left: 0,
  eyebrow_troubled_right: 1,
  eyebrow_angry_left: 2,
  eyebrow_angry_right: 3,
  eyebrow_lowered_left: 4,
  eyebrow_lowered_right: 5,
  eyebrow_raised_left: 6,
  eyebrow_raised_right: 7,
  eyebrow_happy_left: 8,
  eyebrow_happy_right: 9,
  eyebrow_serious_left: 10,
  eyebrow_serious_right: 11,
  eye_wink_left: 12,
  eye_wink_right: 13,
  eye_happy_wink_left: 14,
  eye_happy_wink_right: 15,
  eye_surprised_left: 16,
  eye_surprised_right: 17,
  eye_relaxed_left: 18,
  eye_relaxed_right: 19,
  eye_unimpressed_left: 20,
  eye_unimpressed_right: 21,
  eye_raised_lower_eyelid_left: 22,
  eye_raised_lower_eyelid_right: 23,
  iris_small_left: 24,
  iris_small_right: 25,
  mouth_aaa: 26,
  mouth_iii: 27,
  mouth_uuu: 28,
  mouth_eee: 29,
  mouth_ooo: 30,
  mouth_delta: 31,
  mouth_lowered_corner_left: 32,
  mouth_lowered_corner_right: 33,
  mouth_raised_corner_left: 34,
  mouth_raised_corner_right: 35,
  mouth_smirk: 36,
  iris_rotation_x: 37,
  iris_rotation_y: 38,
  head_x: 39,
  head_y: 40,
  neck_z: 41,
  body_y: 42,
  body_z: 43,
  breathing: 44,
} as const satisfies Record<PoseParamName, number>;

/** Number of leading parameters the face morpher reads. */
export const FACE_POSE_SIZE = 39;

export interface ParamRange {
  readonly min: number;
  readonly max: number;
}

const UNIT: ParamRange = { min: 0, max: 1 };
const SIGNED: ParamRange = { min: -1, max: 1 };

/** Rotations (iris, head, neck, body) are signed; every morph is in [0, 1]. */
export function poseParamRange(index: number): ParamRange {
  return index >= PoseParam.iris_rotation_x && index <= PoseParam.body_z ? SIGNED : UNIT;
}

/** Parameters driven by head rotation, scaled together by the head-movement strength. */
export const HEAD_MOVEMENT_PARAMS: readonly number[] = [
  PoseParam.head_x,
  PoseParam.head_y,
  PoseParam.neck_z,
  PoseParam.body_y,
  PoseParam.body_z,
];

export function clampToRange(value: number, range: ParamRange): number {
  if (Number.isNaN(value)) return 0;
  return value < range.min ? range.min : value > range.max ? range.max : value;
}

/** Clamps every entry into its parameter range in place (NaN becomes 0) and returns the pose. */
export function clampPose(pose: Float32Array): Float32Array {
  for (let i = 0; i < POSE_SIZE; i++) pose[i] = clampToRange(pose[i], poseParamRange(i));
  return pose;
}

/** The all-zero (neutral) pose. */
export function neutralPose(): Float32Array {
  return new Float32Array(POSE_SIZE);
}
