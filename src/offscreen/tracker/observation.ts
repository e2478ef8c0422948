/** FaceLandmarker's result for one frame -> the pose converter's FaceObservation. */
import { blendshapesFromCategories, type FaceObservation } from '../../core/pose/blendshapes';

/** The parts of MediaPipe's FaceLandmarkerResult we read (structural, so tests need no MediaPipe). */
export interface LandmarkerResultLike {
  faceBlendshapes?: ReadonlyArray<{ categories?: ReadonlyArray<{ categoryName: string; score: number }> }>;
  facialTransformationMatrixes?: ReadonlyArray<{ data?: ArrayLike<number> }>;
}

const IDENTITY_4X4: readonly number[] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/**
 * The first face, or null when there is none. Scores are keyed by category name and clamped to
 * [0, 1] (NaN -> 0); the matrix is passed on as MediaPipe gives it (column-major 4x4). A face
 * without a usable matrix keeps its expression with a frontal head rather than being dropped.
 */
export function toFaceObservation(result: LandmarkerResultLike | null | undefined): FaceObservation | null {
  const categories = result?.faceBlendshapes?.[0]?.categories;
  if (!categories || categories.length === 0) return null;
  const data = result?.facialTransformationMatrixes?.[0]?.data;
  const matrix = data && data.length === 16 ? data : IDENTITY_4X4;
  return { blendshapes: blendshapesFromCategories(categories), matrix };
}
