/** A per-frame problem logged at most once per interval, with a count of what was held back. */
export type LogSink = (message: string, detail?: unknown) => void;

export class RateLimitedLog {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly sink: LogSink,
    private readonly intervalMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  log(message: string, detail?: unknown): void {
    const t = this.now();
    if (t - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const held = this.suppressed;
    this.suppressed = 0;
    this.lastAt = t;
    this.sink(held > 0 ? `${message} (${held} more since the last report)` : message, detail);
  }
}
