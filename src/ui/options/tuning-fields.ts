/** Labels for every expression setting; ranges come from the pose core so the UI never drifts from it. */
import { CONVERTER_SETTING_RANGES, type ConverterSettings } from '../../core/pose';

type NumericConverterKey = keyof typeof CONVERTER_SETTING_RANGES;

export interface ConverterField {
  key: NumericConverterKey;
  label: string;
  hint?: string;
  range: readonly [number, number];
  step: number;
}

const LABELS: Record<NumericConverterKey, [string, string?]> = {
  smileThresholdMin: ['Smile starts at', 'Smile score where happy eyes and brows begin.'],
  smileThresholdMax: ['Full smile at', 'Smile score where happy eyes and brows fully take over.'],
  eyeSurprisedMax: ['Wide eyes: full at', 'How wide you open your eyes for fully surprised eyes.'],
  eyeBlinkMax: ['Blink: closed at', 'Lower closes the character’s eyes with a smaller blink.'],
  eyebrowDownMax: ['Lowered brows: full at'],
  cheekSquintMin: ['Cheek squint from'],
  cheekSquintMax: ['Cheek squint to'],
  eyeRotationFactor: ['Eye movement strength', 'How far the irises follow your gaze.'],
  jawOpenMin: ['Mouth opens from'],
  jawOpenMax: ['Mouth fully open at'],
  mouthFrownMax: ['Frown: full at'],
  mouthFunnelMin: ['Rounded mouth from'],
  mouthFunnelMax: ['Rounded mouth to'],
  irisSmallLeft: ['Smaller left iris'],
  irisSmallRight: ['Smaller right iris'],
  headXOffset: ['Head tilt offset (up/down)', 'Radians subtracted from your head angle.'],
  headYOffset: ['Head turn offset (left/right)', 'Radians subtracted from your head angle.'],
  headZOffset: ['Head roll offset', 'Radians subtracted from your head angle.'],
  breathingRatePerMinute: ['Breathing (breaths per minute)', '0 turns idle breathing off.'],
};

export const CONVERTER_FIELDS: readonly ConverterField[] = (Object.keys(CONVERTER_SETTING_RANGES) as NumericConverterKey[]).map((key) => {
  const range = CONVERTER_SETTING_RANGES[key];
  const [label, hint] = LABELS[key];
  const span = range[1] - range[0];
  return { key, label, hint, range, step: key === 'breathingRatePerMinute' ? 1 : span > 2 ? 0.02 : 0.01 };
});

export const EYEBROW_MODE_LABELS: Record<ConverterSettings['eyebrowDownMode'], string> = {
  TROUBLED: 'Troubled',
  ANGRY: 'Angry',
  LOWERED: 'Lowered',
  SERIOUS: 'Serious',
};

export const WINK_MODE_LABELS: Record<ConverterSettings['winkMode'], string> = {
  NORMAL: 'Normal',
  RELAXED: 'Relaxed',
};

export const SMOOTHING_LABELS = {
  minCutoff: ['Steadiness (min cutoff, Hz)', 'Lower removes more jitter when still, but slow moves lag.'],
  beta: ['Responsiveness (beta)', 'Higher lets fast moves through with less lag.'],
  dCutoff: ['Speed estimate cutoff (Hz)', undefined],
} as const;
