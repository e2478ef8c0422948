/**
 * Per-frame pose pipeline: observation -> calibration -> THA4 conversion -> head strength ->
 * One Euro smoothing -> face-lost easing -> breathing. Stateful, but pure with respect to time
 * (the caller passes timestamps), and it never throws per frame.
 */
import { type FaceObservation, sanitizeObservation, type SanitizedObservation } from './blendshapes';
import { BreathingCycle } from './breathing';
import { applyCalibration, type CalibrationData, captureCalibration, sanitizeCalibration } from './calibration';
import { convertSanitized } from './converter';
import { type ConverterSettings, DEFAULT_CONVERTER_SETTINGS, sanitizeConverterSettings } from './converter-settings';
import { DEFAULT_FACE_FADE_MS, FacePresence, sanitizeFadeMs } from './face-presence';
import { applyHeadStrength, DEFAULT_HEAD_STRENGTH, sanitizeHeadStrength } from './head-strength';
import { DEFAULT_ONE_EURO_SETTINGS, OneEuroFilterBank, type OneEuroSettings, sanitizeOneEuroSettings } from './one-euro';
import { POSE_SIZE, PoseParam } from './pose-params';

export interface SmoothingSettings extends OneEuroSettings {
  readonly enabled: boolean;
}

export interface PoseDriverSettings {
  /** THA4 converter settings, including the breathing rate. */
  readonly converter: ConverterSettings;
  readonly smoothing: SmoothingSettings;
  /** Neutral face captured by calibrate(); null = raw MediaPipe angles and scores. */
  readonly calibration: CalibrationData | null;
  /** Multiplier on head/neck/body rotation, in [0, 2]. */
  readonly headStrength: number;
  /** Fade to neutral when the face is lost (and back), in ms, at most 500. */
  readonly faceFadeMs: number;
}

export const DEFAULT_POSE_DRIVER_SETTINGS: PoseDriverSettings = Object.freeze({
  converter: DEFAULT_CONVERTER_SETTINGS,
  smoothing: Object.freeze({ enabled: true, ...DEFAULT_ONE_EURO_SETTINGS }),
  calibration: null,
  headStrength: DEFAULT_HEAD_STRENGTH,
  faceFadeMs: DEFAULT_FACE_FADE_MS,
});

/** Complete, valid driver settings from anything (e.g. stored JSON); missing parts take defaults. */
export function sanitizePoseDriverSettings(input: unknown): PoseDriverSettings {
  const src = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const smoothingSrc =
    typeof src.smoothing === 'object' && src.smoothing !== null ? (src.smoothing as Record<string, unknown>) : {};
  return Object.freeze({
    converter: sanitizeConverterSettings(src.converter),
    smoothing: Object.freeze({
      enabled: typeof smoothingSrc.enabled === 'boolean' ? smoothingSrc.enabled : true,
      ...sanitizeOneEuroSettings(smoothingSrc),
    }),
    calibration: sanitizeCalibration(src.calibration),
    headStrength: sanitizeHeadStrength(src.headStrength),
    faceFadeMs: sanitizeFadeMs(src.faceFadeMs),
  });
}

/** How many recent frames calibrate() averages, and how old they may be. */
const CALIBRATION_FRAMES = 10;
const CALIBRATION_WINDOW_MS = 1000;

export class PoseDriver {
  private current: PoseDriverSettings;
  private readonly filter: OneEuroFilterBank;
  private readonly presence: FacePresence;
  private readonly breathing: BreathingCycle;
  private readonly recent: { obs: SanitizedObservation; timeMs: number }[] = [];
  private faceWasPresent = false;
  private lastTimeMs = 0;
  private lastOutput: Float32Array = new Float32Array(POSE_SIZE);

  /** `settings` is sanitized, so stored JSON can be passed as is. */
  constructor(settings: unknown = DEFAULT_POSE_DRIVER_SETTINGS) {
    this.current = sanitizePoseDriverSettings(settings);
    this.filter = new OneEuroFilterBank(POSE_SIZE, this.current.smoothing);
    this.presence = new FacePresence(this.current.faceFadeMs);
    this.breathing = new BreathingCycle(this.current.converter.breathingRatePerMinute);
  }

  /** How much the tracked face drives the pose now (0 = none: idle motion and voice take over). */
  get faceWeight(): number {
    return this.presence.weight;
  }

  get settings(): PoseDriverSettings {
    return this.current;
  }

  /** Replaces all settings (sanitized; returns what is now in effect). Motion state is kept. */
  setSettings(settings: unknown): PoseDriverSettings {
    this.current = sanitizePoseDriverSettings(settings);
    this.filter.setSettings(this.current.smoothing);
    this.presence.setFadeMs(this.current.faceFadeMs);
    this.breathing.setRate(this.current.converter.breathingRatePerMinute);
    return this.current;
  }

  /**
   * Captures the neutral face from the last few tracked frames (up to 10 within the last
   * second), makes it the active calibration and returns it for persisting; null (and no
   * change) when no face was tracked recently.
   */
  calibrate(): CalibrationData | null {
    const cutoff = this.lastTimeMs - CALIBRATION_WINDOW_MS;
    const frames = this.recent.filter((f) => f.timeMs >= cutoff).map((f) => f.obs);
    const calibration = captureCalibration(frames);
    if (calibration) this.current = Object.freeze({ ...this.current, calibration });
    return calibration;
  }

  clearCalibration(): void {
    this.current = Object.freeze({ ...this.current, calibration: null });
  }

  /**
   * Pose for a frame at `timeMs` (any monotonic clock, in ms). `obs` is null when no face was
   * found. Returns a new Float32Array(45), every value within its parameter range.
   */
  update(obs: FaceObservation | null, timeMs: number): Float32Array {
    try {
      const t = Number.isFinite(timeMs) ? timeMs : this.lastTimeMs;
      this.lastTimeMs = t;
      let tracked: Float32Array | null = null;
      if (obs) {
        const clean = sanitizeObservation(obs);
        this.remember(clean, t);
        const relative = this.current.calibration ? applyCalibration(clean, this.current.calibration) : clean;
        tracked = applyHeadStrength(convertSanitized(relative, this.current.converter), this.current.headStrength);
        if (this.current.smoothing.enabled) {
          // After a gap start from the fresh pose; the presence fade already hides the jump.
          if (!this.faceWasPresent) this.filter.reset();
          tracked = this.filter.filter(tracked, t);
        }
      }
      this.faceWasPresent = tracked !== null;
      const out = this.presence.update(tracked, t);
      out[PoseParam.breathing] = this.breathing.update(t);
      this.lastOutput = out;
      return out;
    } catch {
      // Defensive: a frame must never break the video pipeline; repeat the last good pose.
      return Float32Array.from(this.lastOutput);
    }
  }

  private remember(obs: SanitizedObservation, timeMs: number): void {
    this.recent.push({ obs, timeMs });
    if (this.recent.length > CALIBRATION_FRAMES) this.recent.shift();
  }
}
