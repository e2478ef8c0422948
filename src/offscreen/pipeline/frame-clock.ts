/**
 * Drives the pipeline: one tick per camera frame (read with a track processor, which hidden
 * documents do not throttle), or — while there is no camera — ticks from a worker at a steady
 * rate so the outgoing track never freezes.
 */
export type Tick = (frame: VideoFrame | null, timestampUs: number) => Promise<void> | void;

export class FrameClock {
  private reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
  private ticker: Worker | null = null;
  private busy = false;
  private lastUs = 0;

  constructor(private tick: Tick, private fallbackFps = 30, private onCameraEnded: () => void = () => undefined) {}

  /** Follows this camera track; null switches to the fallback ticker. */
  useCamera(track: MediaStreamTrack | null): void {
    this.stopReader();
    if (!track) {
      this.startTicker();
      return;
    }
    this.stopTicker();
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 1 }).readable.getReader();
    this.reader = reader;
    void this.readLoop(reader);
  }

  private async readLoop(reader: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
    for (;;) {
      let result: ReadableStreamReadResult<VideoFrame>;
      try {
        result = await reader.read();
      } catch {
        break;
      }
      if (result.done) break;
      const frame = result.value;
      if (this.reader !== reader) {
        frame.close();
        break;
      }
      // Never queue work behind a slow frame: the processor drops older frames meanwhile.
      await this.run(frame, this.monotonic(frame.timestamp));
    }
    if (this.reader === reader) {
      // The camera stopped delivering (unplugged, revoked): keep the track alive on the ticker.
      this.reader = null;
      this.startTicker();
      this.onCameraEnded();
    }
  }

  private monotonic(us: number): number {
    this.lastUs = Math.max(this.lastUs + 1, us);
    return this.lastUs;
  }

  private async run(frame: VideoFrame | null, us: number): Promise<void> {
    this.busy = true;
    try {
      await this.tick(frame, us);
    } catch (e) {
      console.error('[AnimeCam:offscreen] frame failed:', e);
    } finally {
      frame?.close();
      this.busy = false;
    }
  }

  private startTicker(): void {
    if (!this.ticker) {
      this.ticker = new Worker(new URL('./ticker.worker.ts', import.meta.url), { type: 'module' });
      this.ticker.onmessage = () => {
        if (!this.busy) void this.run(null, this.monotonic(Math.round(performance.now() * 1000)));
      };
    }
    this.ticker.postMessage({ fps: this.fallbackFps });
  }

  private stopTicker(): void {
    this.ticker?.postMessage(null);
  }

  private stopReader(): void {
    const r = this.reader;
    this.reader = null;
    r?.cancel().catch(() => undefined);
  }

  stop(): void {
    this.stopReader();
    this.ticker?.terminate();
    this.ticker = null;
  }
}
