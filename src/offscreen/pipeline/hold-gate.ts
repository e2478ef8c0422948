/**
 * A gate a worker waits at before each run while another part holds it (the body worker while a
 * face detection runs: render-protocol.ts BodyHold). Never shut for longer than `maxMs` per wait,
 * so a release that never comes (a tracker replaced mid-run) cannot stop the worker.
 */
export class HoldGate {
  private held: { until: Promise<void>; release(): void } | null = null;

  constructor(
    private readonly maxMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  get isHeld(): boolean {
    return this.held !== null;
  }

  set(on: boolean): void {
    if (on && !this.held) {
      let release: () => void = () => undefined;
      const until = new Promise<void>((r) => (release = r));
      this.held = { until, release };
    } else if (!on && this.held) {
      this.held.release();
      this.held = null;
    }
  }

  /** Settles at once when open; else when released, or after maxMs. */
  wait(): Promise<void> {
    return this.held ? Promise.race([this.held.until, this.sleep(this.maxMs)]) : Promise.resolve();
  }
}
