/**
 * What happens on each tick (a camera frame, or the fallback clock without a camera): take the
 * face tracker's newest result and hand its worker this frame when it is idle and the budget
 * allows, update the pose, start a render unless one is in flight, and send
 * a composited frame to every consumer that is due. Nothing here waits on the renderer or a
 * loading part, so frames keep flowing whatever the tracker and renderer are doing.
 */
import type { FaceObservation } from '../../core/pose/blendshapes';
import type { TrackedFrame } from '../tracker/tracker-client';
import type { Slot } from './slot';
import type { StageTimer } from './stage-timer';
import { TrackingBudget } from './tracking-budget';

/**
 * The face tracker as the scheduler uses it (TrackerClient, running MediaPipe on a worker, or a
 * fake): frames go in when it is idle, results come out later; nothing here waits for it.
 */
export interface Tracker {
  /** The tracker's own counts: frames it saw, frames MediaPipe failed on. */
  readonly stats: { frames: number; errors: number };
  /** A frame is being tracked. */
  readonly busy: boolean;
  /** Why it cannot go on (its worker died or hung), or null: a failed tracker is replaced. */
  readonly failed: string | null;
  /**
   * Hands over the newest camera frame if idle (the tracker takes its own copy: the caller keeps
   * `frame`). `readAt` (wall clock, ms) comes back with the result.
   */
  track(frame: VideoFrame, timestampMs: number, readAt: number): boolean;
  /** The newest result since the last call, or null. */
  take(): TrackedFrame | null;
  /**
   * Called when a result comes in from the worker (never from within `track`): the scheduler
   * wakes and uses it at once instead of at the next camera frame.
   */
  onResult?: (() => void) | null;
  close(): void;
}

/** The renderer as the scheduler uses it: the image stays valid until the next call. */
export interface FrameRenderer {
  render(pose: Float32Array): Promise<CanvasImageSource>;
  /** Least time between renders while no new face observation came in (render-plan.ts); default 0. */
  readonly idleRenderMs?: number;
  /**
   * Present where rendering and tracking share the CPU: told when a face detection starts and
   * ends, and while one runs no render of an unchanged observation starts (its result comes soon).
   */
  trackingBusy?(busy: boolean): void;
}

/** An outgoing track: composites the current scene and sends it. */
export interface FrameSink {
  /** True when this tick should composite and send (the picture changed, or a keep-alive is due). */
  due(timestampUs: number): boolean;
  /** Draws the scene for this frame onto the sink's canvas. */
  draw(): void;
  send(timestampUs: number): void;
}

export interface SchedulerDeps<R extends FrameRenderer> {
  tracker: Slot<Tracker>;
  renderer: Slot<R>;
  pose: { update(obs: FaceObservation | null, timeMs: number): Float32Array };
  sinks(): Iterable<FrameSink>;
  timer: StageTimer;
  now(): number;
}

/**
 * A camera frame kept for the tracker is handed over between camera frames only this young (ms):
 * it is the newest frame while frames keep coming 33 ms apart, and a stalled camera's last frame
 * is not tracked again and again.
 */
export const HELD_FRAME_MAX_AGE_MS = 50;

/** A tracker failing on this share of at least TRACKER_CHECK_FRAMES frames is replaced. */
export const TRACKER_CHECK_FRAMES = 30;
const TRACKER_FAILING_SHARE = 0.9;

export class FrameScheduler<R extends FrameRenderer> {
  /** The last pose (45 THA4 parameters). */
  pose: Float32Array = new Float32Array(45);
  faceFound = false;
  /** Wall-clock time (ms) the current frame was read, for frame stamps. */
  frameReadAt = 0;
  /** When the camera frame behind the shown character pose was read (bench:call's pose stamp). */
  renderedReadAt = 0;
  /** Frames the renderer delivered: a new value means a new picture (the image object may be reused). */
  renderedFrames = 0;

  private lastObs: FaceObservation | null = null;
  /** Read time of the camera frame behind lastObs (0: no tracked frame behind the pose). */
  private trackedReadAt = 0;
  private trackBudget = new TrackingBudget();
  private health = { tracker: null as Tracker | null, frames: 0, errors: 0, thrown: 0, baseErrors: 0 };
  /** The renderer whose frame is in flight (a frame stuck on a lost GPU must not block its successor). */
  private renderingWith: R | null = null;
  private renderedBy: R | null = null;
  private renderedImage: CanvasImageSource | null = null;
  /** Face observations taken from the tracker, and how many the last render started had seen. */
  private observations = 0;
  private renderedObservations = -1;
  private renderStartedAt = -Infinity;
  /** What the renderer was last told about the tracker (FrameRenderer.trackingBusy). */
  private toldBusy: { renderer: R | null; busy: boolean } = { renderer: null, busy: false };
  /** Timestamp (µs) and clock time (ms) of the last tick or wake: a wake's timestamp goes on from them. */
  private lastUs = -Infinity;
  private lastAt = 0;
  /** The last tick had a camera frame (without one, as in camera-free mode, no result is used). */
  private tracking = false;
  /**
   * The newest camera frame the tracker did not get (a clone, with its tick's timestamp, read time
   * and clock time): when a result comes in between camera frames and the budget allows another
   * run, this frame goes at once instead of waiting up to a frame interval for the next one.
   */
  private held: { frame: VideoFrame; us: number; readAt: number; at: number } | null = null;
  private readonly wakeUp = (): void => this.wake();

  constructor(private deps: SchedulerDeps<R>) {}

  /** The last frame of the renderer in service (null until it made one). */
  get rendered(): CanvasImageSource | null {
    const r = this.deps.renderer.current;
    return r && this.renderedBy === r ? this.renderedImage : null;
  }

  async tick(frame: VideoFrame | null, us: number): Promise<void> {
    const { timer, now } = this.deps;
    const t0 = now();
    us = this.advance(us, t0);
    this.tracking = frame !== null;
    this.frameReadAt = Date.now();
    const obs = this.track(frame, us, t0);
    this.faceFound = obs !== null;
    const t1 = now();
    this.pose = this.deps.pose.update(obs, t1);
    timer.add('pose', now() - t1);
    const busy = this.tellTracking();
    this.maybeRender(this.pose, busy);
    this.sendDue(us);
  }

  /**
   * Between camera frames, when a tracking result or a rendered frame arrives. Waiting for the
   * next camera frame would cost half a frame interval on average (17 ms at 30 fps), twice per
   * pose (result to render, render to send): the result is posed and rendered, and a new picture
   * sent, at once. When the tracker is idle and due, it gets the camera frame held from the last
   * tick (see `held`).
   */
  wake(): void {
    if (this.lastUs === -Infinity) return; // before the first tick there is nothing to send
    const { timer, now } = this.deps;
    const t0 = now();
    const us = this.advance(Math.round(this.lastUs + (t0 - this.lastAt) * 1000), t0);
    const current = this.deps.tracker.current;
    const tracker = this.tracking && current && !current.failed ? current : null;
    if (tracker && this.takeResult(tracker)) {
      this.faceFound = this.lastObs !== null;
      this.pose = this.deps.pose.update(this.lastObs, t0);
      timer.add('pose', now() - t0);
    }
    // A new observation renders now: the one just taken, or one that came in during the render that just ended.
    if (this.observations !== this.renderedObservations) this.maybeRender(this.pose, this.tellTracking());
    if (tracker) this.trackHeld(tracker, t0);
    this.frameReadAt = Date.now();
    this.sendDue(us);
  }

  /** Closes the held camera frame (the camera stops, the pipeline stops). */
  releaseFrames(): void {
    this.held?.frame.close();
    this.held = null;
  }

  /** Hands the held camera frame to an idle tracker when the budget allows (see `held`). */
  private trackHeld(tracker: Tracker, t0: number): void {
    const h = this.held;
    if (!h || tracker.busy) return;
    if (t0 - h.at > HELD_FRAME_MAX_AGE_MS) return this.releaseFrames();
    if (!this.trackBudget.due(t0)) return;
    this.held = null;
    this.handOver(tracker, h.frame, h.us, h.readAt);
    h.frame.close();
    this.tellTracking();
  }

  /** Gives the tracker a frame (it takes its own copy); a result wakes the scheduler. */
  private handOver(tracker: Tracker, frame: VideoFrame, us: number, readAt: number): void {
    const h0 = this.deps.now();
    tracker.onResult = this.wakeUp;
    if (tracker.track(frame, us / 1000, readAt)) this.trackBudget.started(h0);
    // The main thread's whole share of tracking: a clone and a postMessage.
    this.deps.timer.add('tracking-handoff', this.deps.now() - h0);
  }

  /** This tick's or wake's timestamp, strictly after the last one (a wake may run ahead of the camera's). */
  private advance(us: number, at: number): number {
    this.lastUs = Math.max(us, this.lastUs + 1);
    this.lastAt = at;
    return this.lastUs;
  }

  /**
   * The send step: each sink that is due (its picture changed, or its keep-alive: send-policy.ts)
   * composites and sends. Stage times are recorded only for ticks that sent something.
   */
  private sendDue(us: number): void {
    const { timer, now } = this.deps;
    const t2 = now();
    const sending: FrameSink[] = [];
    for (const s of this.deps.sinks()) {
      if (!s.due(us)) continue;
      s.draw();
      sending.push(s);
    }
    if (!sending.length) return;
    const t3 = now();
    for (const s of sending) s.send(us);
    timer.add('composite', t3 - t2);
    timer.add('transport-send', now() - t3);
    timer.mark('sent', now());
  }

  /**
   * Face tracking runs on the tracker's worker, never on this thread: each tick takes the newest
   * result if one came in and, when the worker is idle and the budget (tracking-budget.ts) allows,
   * hands it this frame. The pose uses the newest observation, stamped with the read time of the
   * camera frame the tracker saw (trackedReadAt), not this tick's.
   */
  private track(frame: VideoFrame | null, us: number, t0: number): FaceObservation | null {
    const tracker = this.deps.tracker.current;
    this.releaseFrames(); // this tick's frame is the newest
    if (!frame || !tracker) {
      this.lastObs = null;
      this.trackedReadAt = 0;
      return null;
    }
    const failed = tracker.failed;
    if (failed) {
      // Until its successor is ready the pose eases to neutral, as for a lost face.
      void this.deps.tracker.replace(tracker, failed);
      this.lastObs = null;
      return null;
    }
    this.takeResult(tracker);
    if (!tracker.busy && this.trackBudget.due(t0)) this.handOver(tracker, frame, us, this.frameReadAt);
    else this.held = { frame: frame.clone(), us, readAt: this.frameReadAt, at: t0 };
    return this.lastObs;
  }

  /** Takes the tracker's newest result, if one came in; returns whether one did. */
  private takeResult(tracker: Tracker): boolean {
    const done = tracker.take();
    if (!done) return false;
    this.observations++;
    if (done.threw) console.error('[AnimeCam:offscreen] face tracker threw:', done.threw);
    this.lastObs = done.obs;
    this.trackedReadAt = done.readAt;
    this.trackBudget.tracked(done.ms);
    this.deps.timer.add('tracking', done.ms);
    this.checkTracker(tracker, done.threw !== null);
    return true;
  }

  /**
   * A tracker that fails on (nearly) every frame (its WebGL context died with a GPU process
   * reset, say) is replaced; until then the pose eases to neutral as for a lost face.
   */
  private checkTracker(t: Tracker, threw: boolean): void {
    const h = this.health;
    if (h.tracker !== t) Object.assign(h, { tracker: t, frames: 0, thrown: 0, baseErrors: t.stats.errors });
    h.frames++;
    if (threw) h.thrown++;
    if (h.frames < TRACKER_CHECK_FRAMES) return;
    const errors = t.stats.errors - h.baseErrors + h.thrown;
    const frames = h.frames;
    Object.assign(h, { frames: 0, thrown: 0, baseErrors: t.stats.errors });
    if (errors < frames * TRACKER_FAILING_SHARE) return;
    void this.deps.tracker.replace(t, `it failed on ${errors} of ${frames} frames`);
  }

  /**
   * Tells a renderer that shares the CPU with tracking whether a detection is running (on change,
   * and to a new renderer); returns whether that renderer should hold its idle renders.
   */
  private tellTracking(): boolean {
    const r = this.deps.renderer.current;
    if (!r?.trackingBusy) return false;
    const busy = this.deps.tracker.current?.busy ?? false;
    const told = this.toldBusy;
    if (told.renderer !== r || told.busy !== busy) {
      r.trackingBusy(busy);
      this.toldBusy = { renderer: r, busy };
    }
    return busy;
  }

  private maybeRender(pose: Float32Array, trackingBusy: boolean): void {
    const slot = this.deps.renderer;
    const r = slot.current;
    if (!r || this.renderingWith === r) return;
    const t0 = this.deps.now();
    // A new observation renders at once; in between, renders are paced (render-plan.ts idleRenderMs)
    // and, where they share the CPU with tracking, wait while a detection runs.
    const idle = this.observations === this.renderedObservations;
    if (idle && (trackingBusy || t0 - this.renderStartedAt < (r.idleRenderMs ?? 0))) return;
    this.renderingWith = r;
    this.renderedObservations = this.observations;
    this.renderStartedAt = t0;
    const readAt = this.trackedReadAt || this.frameReadAt;
    let rendering: Promise<CanvasImageSource>;
    try {
      rendering = r.render(pose);
    } catch (e) {
      rendering = Promise.reject(e);
    }
    rendering.then(
      (img) => {
        if (this.renderingWith === r) this.renderingWith = null;
        if (slot.current !== r) return; // a late frame from a replaced renderer
        this.renderedImage = img;
        this.renderedBy = r;
        this.renderedReadAt = readAt;
        this.renderedFrames++;
        const ms = this.deps.now() - t0;
        this.trackBudget.rendered(ms);
        this.deps.timer.add('render', ms);
        this.deps.timer.mark('render');
        // The new picture goes out now, not at the next camera frame (see wake). A failure there
        // is not the renderer's.
        try {
          this.wake();
        } catch (e) {
          console.error('[AnimeCam:offscreen] sending a rendered frame failed:', e);
        }
      },
      (e: unknown) => {
        if (this.renderingWith === r) this.renderingWith = null;
        console.error('[AnimeCam:offscreen] render failed; recreating the renderer:', e);
        void slot.replace(r, 'a frame failed');
      },
    );
  }
}
