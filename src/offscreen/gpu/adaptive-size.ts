/**
 * The render size on the GPU at the automatic setting: from measured frame times, step between
 * 512, 384 and 256 to hold 30 fps. Pure (time comes in as arguments).
 *
 * No flapping, by three rules:
 * - decisions use the median of a window of frames at the current size, after a few warm-up
 *   frames, and never sooner than `holdMs` after the last change;
 * - down when the median misses the frame budget; up only when the median, scaled by the pixel
 *   ratio to the bigger size, fits in `upShare` of the budget (where frame time follows the pixel
 *   count, the size just left for a miss predicts that miss again, above `upShare`);
 * - a size that was left for being too slow is not tried again for `backoffMs`, doubled each time
 *   it fails again.
 */
export const GPU_SIZES: readonly number[] = [512, 384, 256];

export interface AdaptiveSizeOptions {
  targetFps: number;
  /** Frames per decision (their median is used). */
  window: number;
  /** Frames ignored after each change (pipeline compilation, caches). */
  warmup: number;
  /** Least time between two changes. */
  holdMs: number;
  /** Step up only when the predicted frame time at the bigger size is within this share of the budget. */
  upShare: number;
  /** How long a size left for being too slow is not tried again (doubling on each repeat). */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_ADAPTIVE_SIZE: AdaptiveSizeOptions = {
  targetFps: 30,
  window: 15,
  warmup: 3,
  holdMs: 2000,
  upShare: 0.75,
  backoffMs: 20_000,
  maxBackoffMs: 300_000,
};

export interface SizeChange {
  from: number;
  to: number;
  /** Median frame time at `from` that led to it (ms). */
  medianMs: number;
}

export class AdaptiveSize {
  private _size: number;
  private times: number[] = [];
  private skip: number;
  private changedAt = -Infinity;
  /** Per size: not tried again before this time, and the backoff that set it. */
  private blocked = new Map<number, { until: number; backoff: number }>();
  private _last: SizeChange | null = null;

  constructor(start: number, private opts: AdaptiveSizeOptions = DEFAULT_ADAPTIVE_SIZE) {
    this._size = GPU_SIZES.includes(start) ? start : GPU_SIZES[0];
    this.skip = opts.warmup;
  }

  /** The size frames should be rendered at now. */
  get size(): number {
    return this._size;
  }

  /** The last change (null while the start size holds). */
  get lastChange(): SizeChange | null {
    return this._last;
  }

  /** Frame budget in ms. */
  get budgetMs(): number {
    return 1000 / this.opts.targetFps;
  }

  /**
   * A frame rendered at `size` took `ms`, finished at `now` (ms). Frames of another size (an old
   * renderer still serving while the new one is made) are ignored. Returns the change, if any.
   */
  frame(size: number, ms: number, now: number): SizeChange | null {
    if (size !== this._size || !Number.isFinite(ms) || ms < 0) return null;
    if (this.skip > 0) {
      this.skip--;
      return null;
    }
    this.times.push(ms);
    if (this.times.length < this.opts.window) return null;
    const median = medianOf(this.times);
    this.times = [];
    if (now - this.changedAt < this.opts.holdMs) return null;
    const i = GPU_SIZES.indexOf(this._size);
    const budget = this.budgetMs;
    if (median > budget && i < GPU_SIZES.length - 1) {
      const b = this.blocked.get(this._size);
      const backoff = b && now < b.until + b.backoff ? Math.min(b.backoff * 2, this.opts.maxBackoffMs) : this.opts.backoffMs;
      this.blocked.set(this._size, { until: now + backoff, backoff });
      return this.change(GPU_SIZES[i + 1], median, now);
    }
    if (i > 0) {
      const up = GPU_SIZES[i - 1];
      const predicted = median * (up / this._size) ** 2;
      const b = this.blocked.get(up);
      if (predicted <= budget * this.opts.upShare && !(b && now < b.until)) return this.change(up, median, now);
    }
    return null;
  }

  private change(to: number, medianMs: number, now: number): SizeChange {
    const c = { from: this._size, to, medianMs };
    this._size = to;
    this._last = c;
    this.changedAt = now;
    this.times = [];
    this.skip = this.opts.warmup;
    return c;
  }
}

/** The reason text's addition for a change (shown in the popup and options). */
export function describeChange(c: SizeChange, targetFps = DEFAULT_ADAPTIVE_SIZE.targetFps): string {
  const took = `${c.from} px frames took ${c.medianMs.toFixed(0)} ms`;
  return c.to < c.from
    ? `picture size adapted down to ${c.to} px to hold ${targetFps} fps (${took})`
    : `picture size adapted back up to ${c.to} px (${took}, room for ${targetFps} fps at ${c.to} px)`;
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
