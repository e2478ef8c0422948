/**
 * Test doubles for the tracking worker and camera frames (unit tests only): a worker that answers
 * when told to and closes the frames it was given, as face-tracker.worker.ts does, and frames that
 * count their clones and closes so tests can prove no frame leaks or is closed twice.
 */
import type { FaceObservation } from '../../../core/pose/blendshapes';
import type { WorkerLike } from '../tracker-client';
import type { FromTrackerWorker, ToTrackerWorker, TrackFrame } from '../tracker-protocol';

export class FakeFrame {
  static all: FakeFrame[] = [];
  closes = 0;
  transferred = false;
  clones: FakeFrame[] = [];
  constructor(readonly id: string) {
    FakeFrame.all.push(this);
  }
  clone(): FakeFrame {
    if (this.closes > 0) throw new DOMException('closed', 'InvalidStateError');
    const c = new FakeFrame(`${this.id}'`);
    this.clones.push(c);
    return c;
  }
  close(): void {
    this.closes++;
  }
  get asVideoFrame(): VideoFrame {
    return this as unknown as VideoFrame;
  }
}

export class FakeTrackerWorker implements WorkerLike {
  onmessage: ((e: MessageEvent<FromTrackerWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: ((e: MessageEvent) => void) | null = null;
  terminated = false;
  /** Frames the worker holds (received, not answered yet). */
  inbox: TrackFrame[] = [];
  received: TrackFrame[] = [];
  frames = 0;
  errors = 0;
  /** How it answers 'init'. */
  constructor(private readonly start: { fail?: string; crash?: string; silent?: boolean } = {}) {}

  postMessage(message: ToTrackerWorker, transfer: Transferable[]): void {
    if (this.terminated) return;
    for (const t of transfer) (t as unknown as FakeFrame).transferred = true;
    if (message.type === 'init') {
      if (this.start.silent) return;
      queueMicrotask(() => {
        if (this.start.crash) this.onerror?.({ message: this.start.crash, preventDefault() {} } as ErrorEvent);
        else if (this.start.fail) this.emit({ type: 'failed', error: this.start.fail });
        else this.emit({ type: 'ready', choice: { delegate: 'CPU', reason: 'fake', timings: [] } });
      });
      return;
    }
    this.inbox.push(message);
    this.received.push(message);
  }

  /** Tracks the frame it holds: closes it (it owns it) and answers. */
  answer(obs: FaceObservation | null = null, opts: { ms?: number; mediapipeError?: boolean; threw?: string } = {}): void {
    const msg = this.inbox.shift();
    if (!msg) throw new Error('the worker holds no frame');
    msg.frame.close();
    this.frames++;
    if (opts.mediapipeError) this.errors++;
    this.emit({ type: 'result', obs, ms: opts.ms ?? 40, frames: this.frames, errors: this.errors, ...(opts.threw ? { threw: opts.threw } : {}) });
  }

  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }

  log(message: string): void {
    this.emit({ type: 'log', message });
  }

  terminate(): void {
    this.terminated = true;
    // A terminated worker's frames go with it.
    for (const m of this.inbox.splice(0)) m.frame.close();
  }

  private emit(m: FromTrackerWorker): void {
    if (!this.terminated) this.onmessage?.({ data: m } as MessageEvent<FromTrackerWorker>);
  }
}

export const FACE: FaceObservation = { blendshapes: { jawOpen: 0.5 }, matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };
