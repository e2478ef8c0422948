/**
 * Settings of the MediaPipe-to-THA4 converter (the knobs of THA4's MediaPipeFacePoseConverter00),
 * with the original defaults, and a sanitizer for settings loaded from storage.
 */

/** Which eyebrow morph a lowered brow drives. */
export type EyebrowDownMode = 'TROUBLED' | 'ANGRY' | 'LOWERED' | 'SERIOUS';
/** Which eye morph a blink drives when not smiling. */
export type WinkMode = 'NORMAL' | 'RELAXED';

export const EYEBROW_DOWN_MODES: readonly EyebrowDownMode[] = ['TROUBLED', 'ANGRY', 'LOWERED', 'SERIOUS'];
export const WINK_MODES: readonly WinkMode[] = ['NORMAL', 'RELAXED'];

export interface ConverterSettings {
  /** Smile score (mean mouthSmile + mouthShrugUpper) at which the happy eyebrow/eye begin. */
  readonly smileThresholdMin: number;
  /** Smile score at which the happy variants fully replace the normal ones. */
  readonly smileThresholdMax: number;
  readonly eyebrowDownMode: EyebrowDownMode;
  readonly winkMode: WinkMode;
  /** eyeWide score that maps to a fully surprised eye. */
  readonly eyeSurprisedMax: number;
  /** eyeBlink score that maps to a fully closed eye. */
  readonly eyeBlinkMax: number;
  /** browDown score that maps to a fully lowered eyebrow. */
  readonly eyebrowDownMax: number;
  /** cheekSquint range mapped onto the raised lower eyelid. */
  readonly cheekSquintMin: number;
  readonly cheekSquintMax: number;
  /** Gain from averaged eyeLook scores to iris rotation. */
  readonly eyeRotationFactor: number;
  /** jawOpen range mapped onto the open mouth. */
  readonly jawOpenMin: number;
  readonly jawOpenMax: number;
  /** Summed mouthFrown score that maps to fully lowered mouth corners. */
  readonly mouthFrownMax: number;
  /** mouthFunnel range blending the rounded mouth from uuu to ooo. */
  readonly mouthFunnelMin: number;
  readonly mouthFunnelMax: number;
  /** Constant iris shrink per eye. */
  readonly irisSmallLeft: number;
  readonly irisSmallRight: number;
  /** Euler-angle offsets (radians) subtracted from the head rotation, as THA4's calibration does. */
  readonly headXOffset: number;
  readonly headYOffset: number;
  readonly headZOffset: number;
  /** Breaths per minute of the idle breathing cycle; 0 turns breathing off. */
  readonly breathingRatePerMinute: number;
}

export const DEFAULT_CONVERTER_SETTINGS: ConverterSettings = Object.freeze({
  smileThresholdMin: 0.4,
  smileThresholdMax: 0.6,
  eyebrowDownMode: 'ANGRY',
  winkMode: 'NORMAL',
  eyeSurprisedMax: 0.5,
  eyeBlinkMax: 0.8,
  eyebrowDownMax: 0.4,
  cheekSquintMin: 0.1,
  cheekSquintMax: 0.7,
  eyeRotationFactor: 1 / 0.75,
  jawOpenMin: 0.1,
  jawOpenMax: 0.4,
  mouthFrownMax: 0.6,
  mouthFunnelMin: 0.25,
  mouthFunnelMax: 0.5,
  irisSmallLeft: 0,
  irisSmallRight: 0,
  headXOffset: 0,
  headYOffset: 0,
  headZOffset: 0,
  breathingRatePerMinute: 20,
});

type NumericKey = {
  [K in keyof ConverterSettings]: ConverterSettings[K] extends number ? K : never;
}[keyof ConverterSettings];

/**
 * Accepted range of each numeric setting. Score thresholds stay in [0, 1] like THA4's spin
 * controls; the rotation gain allows up to 4x; offsets cover a half turn; breathing 0..60/min
 * like THA4's slider.
 */
export const CONVERTER_SETTING_RANGES: Readonly<Record<NumericKey, readonly [number, number]>> = {
  smileThresholdMin: [0, 1],
  smileThresholdMax: [0, 1],
  eyeSurprisedMax: [0, 1],
  eyeBlinkMax: [0, 1],
  eyebrowDownMax: [0, 1],
  cheekSquintMin: [0, 1],
  cheekSquintMax: [0, 1],
  eyeRotationFactor: [0, 4],
  jawOpenMin: [0, 1],
  jawOpenMax: [0, 1],
  mouthFrownMax: [0, 1],
  mouthFunnelMin: [0, 1],
  mouthFunnelMax: [0, 1],
  irisSmallLeft: [0, 1],
  irisSmallRight: [0, 1],
  headXOffset: [-Math.PI, Math.PI],
  headYOffset: [-Math.PI, Math.PI],
  headZOffset: [-Math.PI, Math.PI],
  breathingRatePerMinute: [0, 60],
};

/** Number clamped to [min, max]; `fallback` when missing or not finite. */
export function clampSetting(value: unknown, [min, max]: readonly [number, number], fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return value < min ? min : value > max ? max : value;
}

function pickMode<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  if (typeof value !== 'string') return fallback;
  const upper = value.toUpperCase();
  return allowed.find((m) => m === upper) ?? fallback;
}

/**
 * Complete, valid settings from anything (e.g. JSON from storage): known fields are clamped to
 * their ranges, anything missing or malformed takes its default, unknown fields are dropped.
 */
export function sanitizeConverterSettings(input: unknown): ConverterSettings {
  const src = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const d = DEFAULT_CONVERTER_SETTINGS;
  const numeric = {} as Record<NumericKey, number>;
  for (const key of Object.keys(CONVERTER_SETTING_RANGES) as NumericKey[]) {
    numeric[key] = clampSetting(src[key], CONVERTER_SETTING_RANGES[key], d[key]);
  }
  return Object.freeze({
    ...numeric,
    eyebrowDownMode: pickMode(src.eyebrowDownMode, EYEBROW_DOWN_MODES, d.eyebrowDownMode),
    winkMode: pickMode(src.winkMode, WINK_MODES, d.winkMode),
  });
}
