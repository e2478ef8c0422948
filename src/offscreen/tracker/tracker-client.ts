/**
 * The face tracker as the offscreen document's main thread sees it: a client of the tracking
 * worker (face-tracker.worker.ts). It hands the worker a frame only when the worker is idle (never
 * a queue of stale frames), keeps the newest result for the scheduler to take, and never blocks:
 * the main thread's cost per tracked frame is a VideoFrame clone and a postMessage.
 */
import type { FaceObservation } from '../../core/pose/blendshapes';
import type { Delegate, DelegateChoice } from './delegate-choice';
import type { FromTrackerWorker, ToTrackerWorker } from './tracker-protocol';

/** One tracked camera frame, as the scheduler takes it. */
export interface TrackedFrame {
  obs: FaceObservation | null;
  /** Wall-clock time (ms) the camera frame behind `obs` was read (the caller's `readAt`). */
  readAt: number;
  /** Detection time in the worker (ms). */
  ms: number;
  /** The frame failed outside MediaPipe's own error handling (it counts as a failed frame). */
  threw: string | null;
}

/** The parts of a Worker the client uses (a fake in unit tests). */
export interface WorkerLike {
  onmessage: ((e: MessageEvent<FromTrackerWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
  postMessage(message: ToTrackerWorker, transfer: Transferable[]): void;
  terminate(): void;
}

export interface TrackerClientOptions {
  spawn(): WorkerLike;
  wasmBase: string;
  modelUrl: string;
  delegate?: Delegate | 'auto';
  /** A worker busy with one frame for this long is taken for hung (ms). */
  stallMs?: number;
  now?(): number;
  log?(message: string): void;
}

const DEFAULT_STALL_MS = 10_000;
const defaultLog = (m: string) => console.warn(`[AnimeCam:tracker] ${m}`);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class TrackerClient {
  readonly stats = { frames: 0, errors: 0 };
  /** Called after a result came in from the worker (not for a frame that failed to go out). */
  onResult: (() => void) | null = null;
  private busySince: number | null = null;
  private pending: { readAt: number } | null = null;
  private latest: TrackedFrame | null = null;
  private died: string | null = null;
  private closed = false;
  private readonly now: () => number;
  private readonly stallMs: number;
  private readonly log: (m: string) => void;

  private constructor(private readonly worker: WorkerLike, readonly choice: DelegateChoice, opts: TrackerClientOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.stallMs = opts.stallMs ?? DEFAULT_STALL_MS;
    this.log = opts.log ?? defaultLog;
    worker.onmessage = (e) => this.onMessage(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this.died = `its worker failed: ${e.message || 'unknown error'}`;
      this.log(`face tracking worker failed: ${e.message || 'unknown error'}`);
    };
    // A result that cannot be read is a failed frame (the worker answered, so it is idle again).
    worker.onmessageerror = () => this.answered({ obs: null, ms: 0, threw: 'the result could not be read' });
  }

  /**
   * Starts the worker and its tracker. Rejects with FaceTracker.create's message (naming the model
   * or wasm URL) when the tracker cannot start, or with the worker's error when the worker cannot.
   */
  static create(opts: TrackerClientOptions): Promise<TrackerClient> {
    const log = opts.log ?? defaultLog;
    let worker: WorkerLike;
    try {
      worker = opts.spawn();
    } catch (e) {
      return Promise.reject(new Error(`Face tracking worker could not be started: ${message(e)}`));
    }
    return new Promise<TrackerClient>((resolve, reject) => {
      const fail = (why: string) => {
        worker.onmessage = worker.onerror = worker.onmessageerror = null;
        worker.terminate();
        reject(new Error(why));
      };
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'log') log(m.message);
        else if (m.type === 'failed') fail(m.error);
        else if (m.type === 'ready') resolve(new TrackerClient(worker, m.choice, opts));
      };
      worker.onerror = (e) => {
        e.preventDefault?.();
        fail(`Face tracking worker failed while starting: ${e.message || 'unknown error (the worker script may be missing)'}`);
      };
      worker.onmessageerror = () => fail('Face tracking worker sent an unreadable message while starting');
      try {
        worker.postMessage({ type: 'init', wasmBase: opts.wasmBase, modelUrl: opts.modelUrl, delegate: opts.delegate ?? 'auto' }, []);
      } catch (e) {
        fail(`Face tracking worker could not be started: ${message(e)}`);
      }
    });
  }

  get delegate(): Delegate {
    return this.choice.delegate;
  }

  /** A frame is with the worker. */
  get busy(): boolean {
    return this.busySince !== null;
  }

  /** Why this tracker cannot go on (its worker died or hung), or null while it works. */
  get failed(): string | null {
    if (this.died) return this.died;
    if (this.busySince !== null && this.now() - this.busySince > this.stallMs) {
      return `its worker did not answer for ${Math.round(this.stallMs / 1000)} s`;
    }
    return null;
  }

  /**
   * Hands `frame` to the worker when it is idle (else does nothing). The worker gets its own copy;
   * the caller keeps `frame` and closes it as usual. `readAt` comes back with the result.
   * Returns whether the frame was handed over.
   */
  track(frame: VideoFrame, timestampMs: number, readAt: number): boolean {
    if (this.busy || this.closed || this.died) return false;
    this.busySince = this.now();
    this.pending = { readAt };
    // A transferred clone shares the camera's buffer: 0.24 ms median on the main thread here,
    // against 14 ms for createImageBitmap(frame), which copies the pixels on this thread.
    let copy: VideoFrame;
    try {
      copy = frame.clone();
    } catch (e) {
      this.finish({ obs: null, ms: 0, threw: `the frame could not be cloned: ${message(e)}` });
      return false;
    }
    return this.send(copy, timestampMs);
  }

  private send(frame: VideoFrame, timestampMs: number): boolean {
    try {
      this.worker.postMessage({ type: 'track', frame, timestampMs }, [frame]);
      return true;
    } catch (e) {
      frame.close(); // not transferred: still ours
      this.finish({ obs: null, ms: 0, threw: `the frame could not be sent: ${message(e)}` });
      return false;
    }
  }

  /** The newest tracked frame since the last call, or null. */
  take(): TrackedFrame | null {
    const t = this.latest;
    this.latest = null;
    return t;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.busySince = null;
    this.latest = null;
    this.onResult = null;
    this.worker.onmessage = this.worker.onerror = this.worker.onmessageerror = null;
    this.worker.terminate();
  }

  private onMessage(m: FromTrackerWorker): void {
    if (m.type === 'log') this.log(m.message);
    else if (m.type === 'result') {
      this.stats.frames = m.frames;
      this.stats.errors = m.errors;
      this.answered({ obs: m.obs, ms: m.ms, threw: m.threw ?? null });
    }
  }

  /** The worker answered: the result is kept, and the listener told. */
  private answered(r: Omit<TrackedFrame, 'readAt'>): void {
    if (this.finish(r)) this.onResult?.();
  }

  /** Keeps the result of the pending frame; false when there is none (closed, or a late answer). */
  private finish(r: Omit<TrackedFrame, 'readAt'>): boolean {
    if (this.closed || !this.pending) return false;
    this.latest = { ...r, readAt: this.pending.readAt };
    this.pending = null;
    this.busySince = null;
    return true;
  }
}
