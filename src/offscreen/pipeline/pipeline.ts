/**
 * The live pipeline: real camera -> face tracking -> pose -> character renderer -> compositor ->
 * one outgoing track per consumer. Driven by camera frames (or a worker clock without a camera);
 * every tick sends a frame, so the tracks never go black or freeze while parts are loading,
 * failing or being recreated.
 */
import { PoseDriver, DEFAULT_POSE_DRIVER_SETTINGS } from '../../core/pose/pose-driver';
import type { CameraErrorKind, PipelineStatus } from '../../shared/messages';
import { DEFAULT_SETTINGS, sanitizeSettings, type Settings } from '../../shared/settings';
import { cameraErrorKind } from '../camera';
import type { FaceTracker } from '../tracker/face-tracker';
import { composite, type Scene } from './compositor';
import { Consumer, type Plan } from './consumers';
import { FrameClock } from './frame-clock';
import type { CharacterRenderer } from './character-renderer';
import { StageTimer } from './stage-timer';
import { CharacterLife } from './character-life';

/** Parts that load slowly or may be missing; injected so the pipeline can run without them. */
export interface PipelineParts {
  createTracker(): Promise<FaceTracker>;
  /** Loads the selected character and makes its renderer (null: no character in the library). */
  createRenderer(settings: Settings): Promise<CharacterRenderer | null>;
  onConsumerClosed(id: string, reason: string): void;
  /** The user's background image (null when it is gone). */
  loadBackground(id: string): Promise<ImageBitmap | null>;
}

const RELEASE_AFTER_MS = 1000;
const CAMERA_RETRY_MS = 3000;

export class Pipeline {
  private settings: Settings = DEFAULT_SETTINGS;
  private consumers = new Map<string, Consumer>();
  private clock: FrameClock;
  private cameraTrack: MediaStreamTrack | null = null;
  private camera: { state: PipelineStatus['camera']; label?: string; error?: { kind: CameraErrorKind; message: string } } = { state: 'off' };
  private cameraOpening: Promise<void> | null = null;
  private tracker: FaceTracker | null = null;
  private trackerLoading: Promise<void> | null = null;
  private driver = new PoseDriver(DEFAULT_POSE_DRIVER_SETTINGS);
  private renderer: CharacterRenderer | null = null;
  private rendererLoading: Promise<void> | null = null;
  private characterError: string | undefined;
  /** The renderer whose frame is in flight (a frame stuck on a lost GPU must not block its successor). */
  private renderingWith: CharacterRenderer | null = null;
  private hasRendered = false;
  private rendered: OffscreenCanvas | ImageBitmap | null = null;
  private pose: Float32Array = new Float32Array(45);
  private faceFound = false;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  readonly timer = new StageTimer();
  readonly life = new CharacterLife(); // character life: idle motion, expressions, voice, camera-free

  constructor(private parts: PipelineParts) {
    this.clock = new FrameClock((f, us) => this.tick(f, us), 30, () => this.onCameraLost());
    navigator.mediaDevices.addEventListener('devicechange', () => {
      // A camera came back (or another appeared): retry if we are running without one.
      if (this.running && this.camera.state === 'error') void this.openCamera();
    });
  }

  // ---- settings ----

  private background: { id: string; image: ImageBitmap | null } | null = null;

  applySettings(raw: unknown): void {
    const before = this.settings;
    this.settings = sanitizeSettings(raw);
    this.driver.setSettings(this.settings.pose);
    this.life.setSettings(this.settings); // character life
    const bg = this.settings.background;
    if (bg.kind === 'image' && this.background?.id !== bg.imageId) {
      const entry: { id: string; image: ImageBitmap | null } = { id: bg.imageId, image: null };
      this.background = entry;
      this.parts
        .loadBackground(bg.imageId)
        .then((image) => {
          if (this.background === entry) entry.image = image;
          else image?.close();
        })
        .catch((e) => console.warn('[AnimeCam:offscreen] background image could not be loaded:', e));
    }
    if (!this.running) return;
    if (before.cameraId !== this.settings.cameraId || this.life.needsCamera() !== (this.camera.state !== 'off')) void this.openCamera(); // character life: camera-free
    if (before.characterId !== this.settings.characterId || before.renderSize !== this.settings.renderSize || before.renderBackend !== this.settings.renderBackend) {
      void this.reloadCharacter();
    }
  }

  calibrate(): boolean {
    return this.driver.calibrate() !== null;
  }

  // ---- consumers ----

  async openConsumer(id: string, plan: Plan, origin: string | null = null): Promise<string> {
    this.closeConsumer(id, 'replaced', false);
    this.life.addConsumer(id, origin); // character life: camera-free
    if (this.running && this.life.needsCamera() && this.camera.state === 'off') void this.openCamera(); // character life
    const c = new Consumer(id, plan, (reason) => this.closeConsumer(id, reason, true));
    this.life.offerVoice(id, c.pc); // character life: the call's own microphone, for the voice mouth
    this.consumers.set(id, c);
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    this.drawFor(c); // a first frame at once, before the camera or character is ready
    this.start();
    return c.offer();
  }

  async answer(id: string, sdp: string): Promise<boolean> {
    const c = this.consumers.get(id);
    if (!c) return false;
    await c.answer(sdp);
    return true;
  }

  constrain(id: string, plan: Plan): boolean {
    const c = this.consumers.get(id);
    if (!c) return false;
    c.resize(plan);
    return true;
  }

  closeConsumer(id: string, reason: string, notify: boolean): void {
    const c = this.consumers.get(id);
    if (!c) return;
    this.consumers.delete(id);
    this.life.removeConsumer(id); // character life: camera-free
    if (this.consumers.size > 0 && !this.life.needsCamera()) void this.openCamera(); // character life
    c.close();
    if (notify) this.parts.onConsumerClosed(id, reason);
    if (this.consumers.size === 0) {
      this.releaseTimer ??= setTimeout(() => this.stop(), RELEASE_AFTER_MS);
    }
  }

  // ---- lifecycle ----

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.timer.reset();
    void this.openCamera();
    this.trackerLoading ??= this.loadTracker();
    if (!this.renderer) void this.reloadCharacter();
  }

  /** No consumer left: release the camera (the document may live on for previews and pings). */
  private stop(): void {
    this.releaseTimer = null;
    if (this.consumers.size > 0) return;
    this.running = false;
    this.clock.stop();
    this.cameraTrack?.stop();
    this.cameraTrack = null;
    this.camera = { state: 'off' };
  }

  private async openCamera(): Promise<void> {
    if (this.cameraOpening) return this.cameraOpening;
    // character life: camera-free mode never opens the camera (clock first, so no "camera lost").
    if (!this.life.needsCamera()) return void (this.running && this.clock.useCamera(null), this.cameraTrack?.stop(), (this.cameraTrack = null), (this.camera = { state: 'off' }));
    this.cameraOpening = (async () => {
      this.camera = { state: 'starting' };
      this.cameraTrack?.stop();
      this.cameraTrack = null;
      try {
        const id = this.settings.cameraId;
        const stream = await navigator.mediaDevices.getUserMedia({
          video: { ...(id ? { deviceId: { ideal: id } } : {}), width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
          audio: false,
        });
        if (!this.running || !this.life.needsCamera()) { // character life: camera-free since the request
          stream.getTracks().forEach((t) => t.stop());
          if (this.running) void Promise.resolve().then(() => this.openCamera());
          return;
        }
        const track = stream.getVideoTracks()[0];
        this.cameraTrack = track;
        this.camera = { state: 'on', label: track.label };
        this.clock.useCamera(track);
      } catch (e) {
        const name = e instanceof Error ? e.name : 'Error';
        const message = e instanceof Error ? e.message : String(e);
        this.camera = { state: 'error', error: { kind: cameraErrorKind(name), message: `${name}: ${message}` } };
        console.error('[AnimeCam:offscreen] camera failed:', name, message);
        if (this.running) {
          this.clock.useCamera(null); // keep the track alive without a camera
          this.scheduleCameraRetry();
        }
      } finally {
        this.cameraOpening = null;
      }
    })();
    return this.cameraOpening;
  }

  private onCameraLost(): void {
    this.camera = { state: 'error', error: { kind: 'missing', message: 'The camera stopped delivering frames (unplugged or taken away)' } };
    this.cameraTrack = null;
    console.warn('[AnimeCam:offscreen] camera lost; holding a neutral pose until it returns');
    this.scheduleCameraRetry();
  }

  /** Stops the real camera as if unplugged (diagnostics and tests). */
  dropCamera(): boolean {
    if (!this.cameraTrack) return false;
    this.cameraTrack.stop();
    return true;
  }

  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  /** While running without a camera, try again now and then (a camera may come back or be freed). */
  private scheduleCameraRetry(): void {
    if (this.retryTimer || !this.running) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running && this.camera.state === 'error') void this.openCamera();
    }, CAMERA_RETRY_MS);
  }

  private trackerErrorsSeen = 0;
  private trackerFramesSeen = 0;

  /**
   * A tracker that fails on every frame (its WebGL context died with a GPU process reset, say)
   * is replaced; until then the pose eases to neutral as for a lost face.
   */
  private checkTracker(): void {
    const t = this.tracker;
    if (!t) return;
    const frames = t.stats.frames - this.trackerFramesSeen;
    if (frames < 30) return;
    const errors = t.stats.errors - this.trackerErrorsSeen;
    this.trackerFramesSeen = t.stats.frames;
    this.trackerErrorsSeen = t.stats.errors;
    if (errors < frames * 0.9) return;
    console.warn(`[AnimeCam:offscreen] face tracker failed on ${errors} of ${frames} frames: restarting it`);
    t.close();
    this.tracker = null;
    this.trackerFramesSeen = this.trackerErrorsSeen = 0;
    this.trackerLoading = this.loadTracker();
  }

  private async loadTracker(): Promise<void> {
    try {
      this.tracker = await this.parts.createTracker();
    } catch (e) {
      console.error('[AnimeCam:offscreen] face tracker could not start:', e);
    }
  }

  async reloadCharacter(): Promise<void> {
    const previous = this.rendererLoading;
    this.rendererLoading = (async () => {
      await previous?.catch(() => undefined);
      const old = this.renderer;
      try {
        this.characterError = undefined;
        const next = await this.parts.createRenderer(this.settings);
        this.renderer = next;
        // A lost GPU device: keep sending the last frame, and make a new renderer (WASM if need be).
        void next?.lost?.then(() => {
          if (this.renderer === next) void this.reloadCharacter();
        });
        this.hasRendered = false;
        if (!next) this.characterError = 'No character yet: add one in AnimeCam’s options';
      } catch (e) {
        this.renderer = null;
        this.characterError = e instanceof Error ? e.message : String(e);
        console.error('[AnimeCam:offscreen] character could not be loaded:', e);
      } finally {
        if (old && old !== this.renderer) void old.dispose();
      }
    })();
    return this.rendererLoading;
  }

  // ---- per frame ----

  private frameReadAt = 0;
  private lastObs: ReturnType<FaceTracker['detect']> = null;
  private lastTrackEnd = 0;
  private lastTrackMs = 0;

  private async tick(frame: VideoFrame | null, us: number): Promise<void> {
    const t0 = performance.now();
    this.frameReadAt = Date.now();
    // Tracking is the costliest step on the main thread: give it at most about half of the
    // thread's time, so frames keep flowing to calls at the camera's rate on slow machines.
    let obs = this.lastObs;
    if (frame && this.tracker && t0 - this.lastTrackEnd >= this.lastTrackMs) {
      obs = this.tracker.detect(frame, us / 1000);
      const t = performance.now();
      this.lastTrackMs = t - t0;
      this.lastTrackEnd = t;
      this.lastObs = obs;
      this.timer.add('tracking', this.lastTrackMs);
      this.checkTracker();
    } else if (!frame || !this.tracker) {
      obs = null;
    }
    this.faceFound = obs !== null;
    const t1 = performance.now();
    this.pose = this.life.apply(this.driver.update(obs, t1), this.driver.faceWeight, t1); // character life
    this.timer.add('pose', performance.now() - t1);
    this.maybeRender(this.pose);
    const t2 = performance.now();
    const sending: Consumer[] = [];
    for (const c of this.consumers.values()) {
      if (!c.due(us)) continue;
      this.drawFor(c);
      sending.push(c);
    }
    const t3 = performance.now();
    for (const c of sending) c.send(us);
    this.timer.add('composite', t3 - t2);
    this.timer.add('transport-send', performance.now() - t3);
    this.timer.mark('tick');
  }

  private maybeRender(pose: Float32Array): void {
    const r = this.renderer;
    if (!r || this.renderingWith === r) return;
    this.renderingWith = r;
    const t0 = performance.now();
    r.render(pose)
      .then((img) => {
        if (this.renderer !== r) return; // a late frame from a replaced renderer
        this.rendered = img;
        this.hasRendered = true;
        this.timer.add('render', performance.now() - t0);
        this.timer.mark('render');
      })
      .catch((e: unknown) => {
        console.error('[AnimeCam:offscreen] render failed; recreating the renderer:', e);
        if (this.renderer === r) void this.reloadCharacter();
      })
      .finally(() => {
        if (this.renderingWith === r) this.renderingWith = null;
      });
  }

  private scene(): Scene {
    const bg = this.settings.background;
    const character = this.hasRendered && this.rendered ? this.rendered : this.renderer?.still ?? null;
    let card: string | null = null;
    if (this.camera.state === 'error' && this.camera.error?.kind !== 'missing') card = `AnimeCam cannot use the camera: ${this.camera.error?.message ?? 'error'}`;
    else if (this.characterError) card = this.characterError;
    else if (!this.renderer || !this.hasRendered) card = 'AnimeCam is starting…';
    return {
      background: bg.kind === 'color' ? bg : { kind: 'image', image: this.background?.image ?? null, fallback: '#3a6b8c' },
      framing: this.settings.framing,
      character,
      card,
      ...(this.settings.stampFrames ? { stamp: this.frameReadAt } : {}),
    };
  }

  private drawFor(c: Consumer): void {
    composite(c.ctx, c.canvas.width, c.canvas.height, this.scene());
  }

  status(): PipelineStatus {
    return {
      running: this.running,
      camera: this.camera.state,
      ...(this.camera.error ? { cameraError: this.camera.error } : {}),
      ...(this.camera.label ? { cameraLabel: this.camera.label.slice(0, 512) } : {}),
      faceFound: this.faceFound,
      backend: this.renderer?.backend ?? null,
      ...(this.renderer ? { backendNote: this.renderer.backendNote.slice(0, 2048) } : {}),
      renderSize: this.renderer?.size ?? null,
      renderFps: round(this.timer.rate('render')),
      outputFps: round(this.timer.rate('tick')),
      character: this.renderer ? { id: this.renderer.characterId.slice(0, 128), name: this.renderer.characterName.slice(0, 256) } : null,
      ...(this.characterError ? { characterError: this.characterError.slice(0, 2048) } : {}),
      consumers: this.consumers.size,
      ...this.life.status(this.cameraTrack !== null), // character life
      pose: Array.from(this.pose, (v) => (Number.isFinite(v) ? Math.max(-10, Math.min(10, v)) : 0)),
      stages: Object.entries(this.timer.summary()).map(([name, s]) => ({ name, ...s })),
    };
  }
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

