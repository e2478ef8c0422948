/**
 * MediaPipe's VIDEO mode rejects a timestamp that is not strictly greater than the last one
 * (the graph then stops). Camera clocks can repeat or jump back, so timestamps are forced forward.
 */
export class MonotonicClock {
  private last = -Infinity;

  /** `ms` itself when it moves forward, otherwise 1 ms past the previous timestamp. */
  next(ms: number): number {
    const t = Number.isFinite(ms) && ms > this.last ? ms : this.last === -Infinity ? 0 : this.last + 1;
    this.last = t;
    return t;
  }
}
