/**
 * How often a frame is handed to the face-tracking worker. Tracking no longer blocks the main
 * thread, but its worker shares the cores with the two render workers and the video encoders, so:
 * - at most `maxHz`;
 * - fewer runs while frames take longer to render than `renderTargetMs` (rate scaled by
 *   target / render time), down to `minHz`;
 * - at most `maxShare` of one core: from one start to the next at least run time / maxShare
 *   (run time smoothed). This cap wins over `minHz`: where one detection takes over
 *   maxShare / minHz (150 ms at the defaults), tracking runs below minHz rather than take more.
 * Pure: the caller says when a run started and how long it took.
 */
export interface TrackingBudgetOptions {
  maxHz: number;
  minHz: number;
  renderTargetMs: number;
  /** Largest share of one core tracking may use (0..1]. */
  maxShare: number;
}

/**
 * A whole core (no share cap beyond the worker being busy). Run times are wall times: on a loaded
 * machine a 20 ms detection takes 50-70 ms, so a cap on them throttles tracking exactly when the
 * cores are busiest. With starts between camera frames (frame-scheduler.ts `held`), bench:call on
 * 2 cores gave 11.1 distinct poses/s (6 runs, 10.3-11.9) at p50 171-199 / p95 270-339 ms latency,
 * against 9.7 (9.0-10.8) at three quarters of a core and 9.8 (7.9-10.3, 7 runs) for the older
 * build that started only on camera frames at three quarters, runs interleaved in one session.
 */
export const DEFAULT_TRACKING_BUDGET: TrackingBudgetOptions = { maxHz: 15, minHz: 5, renderTargetMs: 100, maxShare: 1 };

/**
 * Ticks come with camera frames (33 ms apart at 30 fps): a start due within this many ms counts as
 * due, so 15 Hz means every second frame rather than every third.
 */
const DUE_SLACK_MS = 4;

/** Weight of the newest sample in the smoothed run and render times. */
const SMOOTHING = 0.2;

const smooth = (avg: number, ms: number): number => (avg === 0 ? ms : avg + SMOOTHING * (ms - avg));

export class TrackingBudget {
  private lastStart = -Infinity;
  private runMs = 0;
  private renderMs = 0;

  constructor(private readonly opts: TrackingBudgetOptions = DEFAULT_TRACKING_BUDGET) {}

  /** The rate the render times allow (Hz), before the core-share cap. */
  rateHz(): number {
    const { maxHz, minHz, renderTargetMs } = this.opts;
    const slow = this.renderMs / renderTargetMs;
    return slow <= 1 ? maxHz : Math.max(minHz, maxHz / slow);
  }

  /** Minimum time from the start of one tracking run to the start of the next (ms). */
  interval(): number {
    return Math.max(1000 / this.rateHz(), this.runMs / this.opts.maxShare);
  }

  due(now: number): boolean {
    return now - this.lastStart >= this.interval() - DUE_SLACK_MS;
  }

  /** A frame was handed to the tracker at `now`. */
  started(now: number): void {
    this.lastStart = now;
  }

  /** A tracking run took `ms` on its worker (smoothed, so one slow run does not halve the rate). */
  tracked(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.runMs = smooth(this.runMs, ms);
  }

  /** A frame took `ms` to render (smoothed, so one slow frame does not halve tracking). */
  rendered(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.renderMs = smooth(this.renderMs, ms);
  }
}
