/**
 * Loudness envelope for the mouth: block RMS in dBFS mapped onto [0, 1] between a noise gate and
 * a "fully open" level, then smoothed with separate attack and release times (the mouth opens
 * fast on a syllable and closes a little slower, as a speaking mouth does).
 */

export interface EnvelopeSettings {
  /** Below this level (dBFS) the mouth is closed: room noise, breath. */
  gateDb: number;
  /** At or above this level (dBFS) the mouth is fully open. */
  fullDb: number;
  attackMs: number;
  releaseMs: number;
}

export const DEFAULT_ENVELOPE: EnvelopeSettings = Object.freeze({ gateDb: -48, fullDb: -20, attackMs: 25, releaseMs: 110 });

/** Root mean square of a block of samples (0 for an empty block). */
export function rms(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  let sum = 0;
  const n = Math.max(0, end - start);
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return n > 0 ? Math.sqrt(sum / n) : 0;
}

export function toDb(level: number): number {
  return level > 1e-10 ? 20 * Math.log10(level) : -200;
}

/** Target opening for a level in dBFS: 0 below the gate, 1 at full, linear in dB between. */
export function openingForDb(db: number, s: EnvelopeSettings = DEFAULT_ENVELOPE): number {
  if (!Number.isFinite(db)) return 0;
  return Math.max(0, Math.min(1, (db - s.gateDb) / (s.fullDb - s.gateDb)));
}

export class LoudnessEnvelope {
  private value = 0;

  constructor(private readonly settings: EnvelopeSettings = DEFAULT_ENVELOPE) {}

  get current(): number {
    return this.value;
  }

  /** Feeds one block's RMS level, lasting `blockMs`; returns the smoothed opening. */
  update(level: number, blockMs: number): number {
    const target = openingForDb(toDb(level), this.settings);
    const tau = target > this.value ? this.settings.attackMs : this.settings.releaseMs;
    const a = 1 - Math.exp(-Math.max(0, blockMs) / Math.max(1e-3, tau));
    this.value += (target - this.value) * a;
    // Snap shut at the end of a release, so silence reads as a closed mouth, not a sliver.
    if (target === 0 && this.value < 0.03) this.value = 0;
    return this.value;
  }

  reset(): void {
    this.value = 0;
  }
}
