/**
 * MediaPipe FaceLandmarker output -> THA4 pose, reproducing THA4's MediaPipeFacePoseConverter00
 * parameter for parameter (same thresholds, smile-dependent eyebrow/wink split, vowel split and
 * clamped Euler head angles).
 */
import { type BlendshapeScores, type FaceObservation, sanitizeObservation, type SanitizedObservation } from './blendshapes';
import { breathingValue } from './breathing';
import { type ConverterSettings, DEFAULT_CONVERTER_SETTINGS, sanitizeConverterSettings } from './converter-settings';
import { scipyEulerXyz } from './euler';
import { splitMouth } from './mouth-split';
import { clampPose, POSE_SIZE, PoseParam } from './pose-params';

/** Head angle limits (degrees) that map to pose values of +/-1. */
export const HEAD_X_LIMIT_DEG = 15;
export const HEAD_Y_LIMIT_DEG = 10;
export const NECK_Z_LIMIT_DEG = 15;

const RAD_TO_DEG = 180 / Math.PI;

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

const clamp01 = (x: number): number => clamp(x, 0, 1);

/**
 * Converts one observation. Never throws: the observation is sanitized (bad scores clamped, a bad
 * matrix read as identity) and the settings are sanitized. `breathingPhase` is the position in the
 * breathing cycle in cycles (0..1); without it the breathing parameter stays 0, as in THA4 with
 * no breathing control.
 */
export function convertFace(
  obs: FaceObservation,
  settings: ConverterSettings = DEFAULT_CONVERTER_SETTINGS,
  breathingPhase?: number,
): Float32Array {
  const safeSettings = settings === DEFAULT_CONVERTER_SETTINGS ? settings : sanitizeConverterSettings(settings);
  return convertSanitized(sanitizeObservation(obs), safeSettings, breathingPhase);
}

/** Conversion of an already sanitized observation with already sanitized settings. */
export function convertSanitized(
  obs: SanitizedObservation,
  s: ConverterSettings,
  breathingPhase?: number,
): Float32Array {
  const pose = new Float32Array(POSE_SIZE);
  const b = obs.scores;

  const smileValue = (b.mouthSmileLeft + b.mouthSmileRight) / 2 + b.mouthShrugUpper;
  const smileDegree = smileDegreeOf(smileValue, s);

  setEyebrows(pose, b, s, smileValue, smileDegree);
  setEyes(pose, b, s, smileDegree);
  setIrises(pose, b, s);
  setHead(pose, obs, s);
  setMouth(pose, b, s, smileValue);

  if (breathingPhase !== undefined) pose[PoseParam.breathing] = breathingValue(breathingPhase);
  return clampPose(pose);
}

/** 0 below the smile threshold, 1 above it, linear in between (0 when the range is empty). */
function smileDegreeOf(smileValue: number, s: ConverterSettings): number {
  if (s.smileThresholdMin >= s.smileThresholdMax) return 0;
  if (smileValue < s.smileThresholdMin) return 0;
  if (smileValue > s.smileThresholdMax) return 1;
  return (smileValue - s.smileThresholdMin) / (s.smileThresholdMax - s.smileThresholdMin);
}

/** score / max clamped to [0, 1], or 0 when the maximum is not positive. */
function scaled(score: number, max: number): number {
  return max <= 0 ? 0 : clamp01(score / max);
}

const BROW_DOWN_PARAMS = {
  TROUBLED: [PoseParam.eyebrow_troubled_left, PoseParam.eyebrow_troubled_right],
  ANGRY: [PoseParam.eyebrow_angry_left, PoseParam.eyebrow_angry_right],
  LOWERED: [PoseParam.eyebrow_lowered_left, PoseParam.eyebrow_lowered_right],
  SERIOUS: [PoseParam.eyebrow_serious_left, PoseParam.eyebrow_serious_right],
} as const;

function setEyebrows(
  pose: Float32Array,
  b: BlendshapeScores,
  s: ConverterSettings,
  smileValue: number,
  smileDegree: number,
): void {
  pose[PoseParam.eyebrow_raised_left] = clamp01(b.browInnerUp + b.browOuterUpLeft);
  pose[PoseParam.eyebrow_raised_right] = clamp01(b.browInnerUp + b.browOuterUpRight);

  // A smile suppresses the lowered brow and shows the happy brow instead.
  const [downLeft, downRight] = BROW_DOWN_PARAMS[s.eyebrowDownMode];
  pose[downLeft] = (1 - smileDegree) * scaled(b.browDownLeft, s.eyebrowDownMax);
  pose[downRight] = (1 - smileDegree) * scaled(b.browDownRight, s.eyebrowDownMax);

  const happy = clamp01(smileValue) * smileDegree;
  pose[PoseParam.eyebrow_happy_left] = happy;
  pose[PoseParam.eyebrow_happy_right] = happy;
}

function setEyes(pose: Float32Array, b: BlendshapeScores, s: ConverterSettings, smileDegree: number): void {
  pose[PoseParam.eye_surprised_left] = scaled(b.eyeWideLeft, s.eyeSurprisedMax);
  pose[PoseParam.eye_surprised_right] = scaled(b.eyeWideRight, s.eyeSurprisedMax);

  // A blink while smiling becomes the happy (curved) closed eye.
  const relaxed = s.winkMode === 'RELAXED';
  const blinkLeft = scaled(b.eyeBlinkLeft, s.eyeBlinkMax);
  const blinkRight = scaled(b.eyeBlinkRight, s.eyeBlinkMax);
  pose[relaxed ? PoseParam.eye_relaxed_left : PoseParam.eye_wink_left] = (1 - smileDegree) * blinkLeft;
  pose[relaxed ? PoseParam.eye_relaxed_right : PoseParam.eye_wink_right] = (1 - smileDegree) * blinkRight;
  pose[PoseParam.eye_happy_wink_left] = smileDegree * blinkLeft;
  pose[PoseParam.eye_happy_wink_right] = smileDegree * blinkRight;

  const squintRange = s.cheekSquintMax - s.cheekSquintMin;
  if (squintRange > 0) {
    pose[PoseParam.eye_raised_lower_eyelid_left] = clamp01((b.cheekSquintLeft - s.cheekSquintMin) / squintRange);
    pose[PoseParam.eye_raised_lower_eyelid_right] = clamp01((b.cheekSquintRight - s.cheekSquintMin) / squintRange);
  }
}

function setIrises(pose: Float32Array, b: BlendshapeScores, s: ConverterSettings): void {
  // Looking "in" with the left eye and "out" with the right eye are the same gaze direction.
  const yaw = ((b.eyeLookInLeft - b.eyeLookOutLeft - b.eyeLookInRight + b.eyeLookOutRight) / 2) * s.eyeRotationFactor;
  const pitch =
    ((b.eyeLookUpLeft + b.eyeLookUpRight - b.eyeLookDownLeft - b.eyeLookDownRight) / 2) * s.eyeRotationFactor;
  pose[PoseParam.iris_rotation_y] = clamp(yaw, -1, 1);
  pose[PoseParam.iris_rotation_x] = clamp(pitch, -1, 1);
  pose[PoseParam.iris_small_left] = s.irisSmallLeft;
  pose[PoseParam.iris_small_right] = s.irisSmallRight;
}

function setHead(pose: Float32Array, obs: SanitizedObservation, s: ConverterSettings): void {
  const e = scipyEulerXyz(obs.rotation);
  const x = clamp(-(e.x - s.headXOffset) * RAD_TO_DEG, -HEAD_X_LIMIT_DEG, HEAD_X_LIMIT_DEG) / HEAD_X_LIMIT_DEG;
  const y = clamp(-(e.y - s.headYOffset) * RAD_TO_DEG, -HEAD_Y_LIMIT_DEG, HEAD_Y_LIMIT_DEG) / HEAD_Y_LIMIT_DEG;
  const z = clamp((e.z - s.headZOffset) * RAD_TO_DEG, -NECK_Z_LIMIT_DEG, NECK_Z_LIMIT_DEG) / NECK_Z_LIMIT_DEG;
  pose[PoseParam.head_x] = x;
  // The body follows the head's turn and tilt fully, as in THA4.
  pose[PoseParam.head_y] = y;
  pose[PoseParam.body_y] = y;
  pose[PoseParam.neck_z] = z;
  pose[PoseParam.body_z] = z;
}

function setMouth(pose: Float32Array, b: BlendshapeScores, s: ConverterSettings, smileValue: number): void {
  const jawRange = s.jawOpenMax - s.jawOpenMin;
  const mouthOpen = jawRange <= 0 ? 0 : clamp01((b.jawOpen - s.jawOpenMin) / jawRange);
  pose[PoseParam.mouth_aaa] = mouthOpen;
  pose[PoseParam.mouth_raised_corner_left] = clamp01(smileValue);
  pose[PoseParam.mouth_raised_corner_right] = clamp01(smileValue);

  if (!(mouthOpen > 0)) {
    const frown = scaled(b.mouthFrownLeft + b.mouthFrownRight, s.mouthFrownMax);
    pose[PoseParam.mouth_lowered_corner_left] = frown;
    pose[PoseParam.mouth_lowered_corner_right] = frown;
    return;
  }

  const lowerDown = clamp01(b.mouthLowerDownLeft + b.mouthLowerDownRight);
  const [aaa, iii, uuu, ooo] = splitMouth([mouthOpen, lowerDown, b.mouthFunnel, b.mouthPucker]);
  pose[PoseParam.mouth_aaa] = aaa;
  pose[PoseParam.mouth_iii] = iii;

  // The rounded part (uuu + ooo) is re-split by how funnelled the lips are.
  const funnelRange = s.mouthFunnelMax - s.mouthFunnelMin;
  const rounded = funnelRange <= 0 ? 0 : clamp01(uuu + ooo);
  const oooShare = funnelRange <= 0 ? 0 : clamp01((b.mouthFunnel - s.mouthFunnelMin) / funnelRange);
  pose[PoseParam.mouth_uuu] = rounded * (1 - oooShare);
  pose[PoseParam.mouth_ooo] = rounded * oooShare;
}
