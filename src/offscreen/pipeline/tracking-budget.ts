/**
 * When face tracking may run on the offscreen document's main thread. Tracking shares two cores
 * with the render workers and the encoders: it gets at most half of its thread and at most
 * `maxHz`, and when frames take longer to render than `renderTargetMs` it runs less often (down to
 * `minHz`), so a slow machine drops tracking rate before the character's latency grows.
 */
export interface TrackingBudgetOptions {
  maxHz: number;
  minHz: number;
  renderTargetMs: number;
}

export const DEFAULT_TRACKING_BUDGET: TrackingBudgetOptions = { maxHz: 15, minHz: 5, renderTargetMs: 100 };

export class TrackingBudget {
  private lastEnd = -Infinity;
  private lastMs = 0;
  private renderMs = 0;

  constructor(private readonly opts: TrackingBudgetOptions = DEFAULT_TRACKING_BUDGET) {}

  /** Minimum time from the end of one tracking run to the start of the next (ms). */
  interval(): number {
    const { maxHz, minHz, renderTargetMs } = this.opts;
    const slow = this.renderMs / renderTargetMs;
    const hz = slow <= 1 ? maxHz : Math.max(minHz, maxHz / slow);
    // Period = run + rest; the rest is at least the run itself (half the thread), as before.
    return Math.max(this.lastMs, 1000 / hz - this.lastMs);
  }

  due(now: number): boolean {
    return now - this.lastEnd >= this.interval();
  }

  tracked(start: number, end: number): void {
    this.lastMs = end - start;
    this.lastEnd = end;
  }

  /** A frame took `ms` to render (smoothed, so one slow frame does not halve tracking). */
  rendered(ms: number): void {
    this.renderMs = this.renderMs === 0 ? ms : this.renderMs + 0.2 * (ms - this.renderMs);
  }
}
