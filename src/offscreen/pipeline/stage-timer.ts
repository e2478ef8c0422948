/** Rolling per-stage timings (ms) and rates, for the status view and the call benchmark. */
export class StageTimer {
  private samples = new Map<string, number[]>();
  private events = new Map<string, number[]>();

  constructor(private keep = 300) {}

  add(stage: string, ms: number): void {
    const a = this.samples.get(stage) ?? [];
    a.push(ms);
    if (a.length > this.keep) a.shift();
    this.samples.set(stage, a);
  }

  /** Records that something happened now (a frame sent, a render finished) for rate estimates. */
  mark(event: string, nowMs = performance.now()): void {
    const a = this.events.get(event) ?? [];
    a.push(nowMs);
    while (a.length && nowMs - a[0] > 2000) a.shift();
    this.events.set(event, a);
  }

  /** Events per second over the last two seconds. */
  rate(event: string, nowMs = performance.now()): number {
    const a = (this.events.get(event) ?? []).filter((t) => nowMs - t <= 2000);
    if (a.length < 2) return 0;
    return ((a.length - 1) * 1000) / (a[a.length - 1] - a[0]);
  }

  summary(): Record<string, { median: number; p95: number; count: number }> {
    const out: Record<string, { median: number; p95: number; count: number }> = {};
    for (const [k, a] of this.samples) {
      const s = [...a].sort((x, y) => x - y);
      out[k] = { median: s[Math.floor(s.length / 2)] ?? 0, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0, count: s.length };
    }
    return out;
  }

  resetStage(stage: string): void {
    this.samples.delete(stage);
    this.events.delete(stage);
  }

  reset(): void {
    this.samples.clear();
    this.events.clear();
  }
}
