/**
 * Idle breathing: a raised-cosine cycle that runs on its own clock, independent of tracking.
 */

/** Breathing parameter at a cycle position (in cycles): 0 at the start, 1 half-way. */
export function breathingValue(phase: number): number {
  if (!Number.isFinite(phase)) return 0;
  const frac = phase - Math.floor(phase);
  return (1 - Math.cos(2 * Math.PI * frac)) / 2;
}

/**
 * Keeps the breathing phase. The phase advances by elapsed time / period, so changing the rate
 * continues smoothly from the current position instead of jumping.
 */
export class BreathingCycle {
  private phase = 0;
  private lastMs: number | null = null;

  /** Breaths per minute, clamped to [0, 60]; 0 stops breathing (value 0). */
  constructor(private ratePerMinute: number) {
    this.setRate(ratePerMinute);
  }

  setRate(ratePerMinute: number): void {
    this.ratePerMinute = Number.isFinite(ratePerMinute) ? Math.max(0, Math.min(60, ratePerMinute)) : 0;
  }

  /** Restarts the cycle at the exhaled position. */
  restart(): void {
    this.phase = 0;
    this.lastMs = null;
  }

  /** Current phase in cycles, in [0, 1). */
  get currentPhase(): number {
    return this.phase;
  }

  /** Advances to `timeMs` and returns the breathing value. Time going backwards is ignored. */
  update(timeMs: number): number {
    if (!Number.isFinite(timeMs)) return breathingValue(this.phase);
    if (this.ratePerMinute === 0) {
      // Like THA4: a stopped cycle restarts from the exhaled position.
      this.phase = 0;
      this.lastMs = timeMs;
      return 0;
    }
    const dt = this.lastMs === null ? 0 : Math.max(0, timeMs - this.lastMs);
    this.lastMs = timeMs;
    const periodMs = 60_000 / this.ratePerMinute;
    this.phase = (this.phase + dt / periodMs) % 1;
    return breathingValue(this.phase);
  }
}
