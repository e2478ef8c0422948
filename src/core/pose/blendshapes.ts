/**
 * MediaPipe FaceLandmarker blendshape categories and the per-frame observation the pose
 * converter consumes, with sanitizers that never throw.
 */
import { det3, identity3, type Mat3, mat3FromColumnMajor4x4 } from './mat3';

/** The 52 categories in the order FaceLandmarker emits them ("_neutral", then alphabetical). */
export const BLENDSHAPE_NAMES = [
  '_neutral',
  'browDownLeft',
  'browDownRight',
  'browInnerUp',
  'browOuterUpLeft',
  'browOuterUpRight',
  'cheekPuff',
  'cheekSquintLeft',
  'cheekSquintRight',
  'eyeBlinkLeft',
  'eyeBlinkRight',
  'eyeLookDownLeft',
  'eyeLookDownRight',
  'eyeLookInLeft',
  'eyeLookInRight',
  'eyeLookOutLeft',
  'eyeLookOutRight',
  'eyeLookUpLeft',
  'eyeLookUpRight',
  'eyeSquintLeft',
  'eyeSquintRight',
  'eyeWideLeft',
  'eyeWideRight',
  'jawForward',
  'jawLeft',
  'jawOpen',
  'jawRight',
  'mouthClose',
  'mouthDimpleLeft',
  'mouthDimpleRight',
  'mouthFrownLeft',
  'mouthFrownRight',
  'mouthFunnel',
  'mouthLeft',
  'mouthLowerDownLeft',
  'mouthLowerDownRight',
  'mouthPressLeft',
  'mouthPressRight',
  'mouthPucker',
  'mouthRight',
  'mouthRollLower',
  'mouthRollUpper',
  'mouthShrugLower',
  'mouthShrugUpper',
  'mouthSmileLeft',
  'mouthSmileRight',
  'mouthStretchLeft',
  'mouthStretchRight',
  'mouthUpperUpLeft',
  'mouthUpperUpRight',
  'noseSneerLeft',
  'noseSneerRight',
] as const;

export type BlendshapeName = (typeof BLENDSHAPE_NAMES)[number];

/** Every category with a score in [0, 1]. */
export type BlendshapeScores = Record<BlendshapeName, number>;

/**
 * One tracked face: blendshape scores by category name and the facial transformation matrix,
 * 16 numbers column-major as MediaPipe JS `facialTransformationMatrixes[0].data` gives it.
 * Missing categories count as 0; only the rotation block of the matrix is used.
 */
export interface FaceObservation {
  blendshapes: Partial<Record<BlendshapeName, number>>;
  matrix: ArrayLike<number>;
}

/** A validated observation: all 52 scores in [0, 1] and a proper rotation-like 3x3 block. */
export interface SanitizedObservation {
  readonly scores: BlendshapeScores;
  /** Row-major 3x3 block of the facial transformation matrix. */
  readonly rotation: Mat3;
}

const NAME_SET: ReadonlySet<string> = new Set(BLENDSHAPE_NAMES);

export function isBlendshapeName(name: string): name is BlendshapeName {
  return NAME_SET.has(name);
}

/** Score clamped to [0, 1]; NaN, non-numbers and missing values become 0. */
export function sanitizeScore(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return 0;
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

export function zeroScores(): BlendshapeScores {
  const scores = {} as BlendshapeScores;
  for (const name of BLENDSHAPE_NAMES) scores[name] = 0;
  return scores;
}

export function sanitizeScores(input: unknown): BlendshapeScores {
  const scores = zeroScores();
  if (typeof input !== 'object' || input === null) return scores;
  const record = input as Record<string, unknown>;
  for (const name of BLENDSHAPE_NAMES) scores[name] = sanitizeScore(record[name]);
  return scores;
}

/** Builds the score record from FaceLandmarker's category list (unknown names are ignored). */
export function blendshapesFromCategories(
  categories: ReadonlyArray<{ readonly categoryName: string; readonly score: number }>,
): Partial<Record<BlendshapeName, number>> {
  const out: Partial<Record<BlendshapeName, number>> = {};
  for (const { categoryName, score } of categories) {
    if (isBlendshapeName(categoryName)) out[categoryName] = sanitizeScore(score);
  }
  return out;
}

/**
 * Rotation block of a column-major 4x4, or identity when the input is unusable: wrong length,
 * non-finite entries, or a block that is not a plausible rotation (determinant not positive,
 * e.g. an all-zero or mirrored matrix), which would otherwise produce arbitrary head angles.
 */
export function sanitizeRotation(matrix: unknown): Mat3 {
  if (!isNumberArrayLike(matrix) || matrix.length < 16) return identity3();
  for (let i = 0; i < 16; i++) {
    const v = matrix[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return identity3();
  }
  const m = mat3FromColumnMajor4x4(matrix as ArrayLike<number>); // every entry checked above
  const det = det3(m);
  return det > 1e-9 && Number.isFinite(det) ? m : identity3();
}

export function sanitizeObservation(obs: unknown): SanitizedObservation {
  if (typeof obs !== 'object' || obs === null) return { scores: zeroScores(), rotation: identity3() };
  const record = obs as { blendshapes?: unknown; matrix?: unknown };
  return { scores: sanitizeScores(record.blendshapes), rotation: sanitizeRotation(record.matrix) };
}

function isNumberArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (Array.isArray(value)) return true;
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}
