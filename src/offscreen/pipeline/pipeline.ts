/**
 * The live pipeline: real camera -> face tracking -> pose -> character renderer -> compositor ->
 * one outgoing track per consumer. It only wires the parts, each in its own file:
 *   camera-source.ts    opening the camera, retry, lost, device change, the diagnostics probe
 *   slot.ts             tracker and renderer: load, replace on failure, dispose the old one
 *   frame-scheduler.ts  what each tick does (track, pose, render, send)
 *   scene.ts            what each frame shows (background, character, card); compositor.ts draws it
 *   status.ts           the status the UI reads
 * Driven by camera frames (or a worker clock without a camera); a tick sends a frame when the
 * picture changed and at least every KEEP_ALIVE_MS (send-policy.ts), and the page repeats it up to
 * the track's frame rate, so the tracks never go black or freeze while parts load, fail or are recreated.
 */
import type { CalibrationData } from '../../core/pose/calibration';
import { PoseDriver, DEFAULT_POSE_DRIVER_SETTINGS } from '../../core/pose/pose-driver';
import type { PipelineStatus } from '../../shared/messages';
import { DEFAULT_SETTINGS, sanitizeSettings, type Settings } from '../../shared/settings';
import { browserCameraDeps, CameraSource, type CameraDeps } from './camera-source';
import type { CharacterRenderer } from './character-renderer';
import type { Scene } from './compositor';
import { Consumer, type Plan } from './consumers';
import { FrameClock, type Tick } from './frame-clock';
import { FrameScheduler, type FrameSink, type Tracker } from './frame-scheduler';
import { BackgroundImage, buildScene } from './scene';
import { Slot } from './slot';
import { StageTimer } from './stage-timer';
import { buildStatus } from './status';
import { CharacterLife } from './character-life';
import { maxSendPixels } from './render-plan';

/** Parts that load slowly or may be missing; injected so the pipeline can run without them. */
export interface PipelineParts {
  createTracker(): Promise<Tracker>;
  /** Loads the selected character and makes its renderer (null: no character in the library). */
  createRenderer(settings: Settings): Promise<CharacterRenderer | null>;
  onConsumerClosed(id: string, reason: string): void;
  /** The user's background image (null when it is gone). */
  loadBackground(id: string): Promise<ImageBitmap | null>;
}

/** An outgoing track as the pipeline uses it (Consumer, or a fake in unit tests). */
export interface OutgoingTrack {
  offer(): Promise<string>;
  answer(sdp: string): Promise<void>;
  resize(plan: Plan): void;
  /** True when this tick should draw and send `scene` (its picture changed, or a keep-alive is due). */
  due(timestampUs: number, scene: Scene): boolean;
  draw(scene: Scene): void;
  send(timestampUs: number): void;
  close(): void;
  /** Frames written to the track so far. */
  readonly framesSent: number;
  /** The loopback connection (the page may share its microphone over it for the voice mouth). */
  readonly pc?: RTCPeerConnection;
}

/** The browser pieces the pipeline drives (fakes in unit tests). */
export interface PipelineEnv {
  camera: CameraDeps;
  clock(tick: Tick, onCameraEnded: () => void): { useCamera(track: MediaStreamTrack | null): void; stop(): void };
  consumer(id: string, plan: Plan, onClosed: (reason: string) => void): OutgoingTrack;
  now(): number;
}

export function browserPipelineEnv(): PipelineEnv {
  return {
    camera: browserCameraDeps(),
    clock: (tick, onCameraEnded) => new FrameClock(tick, 30, onCameraEnded),
    consumer: (id, plan, onClosed) => new Consumer(id, plan, onClosed),
    now: () => performance.now(),
  };
}

const RELEASE_AFTER_MS = 1000;
const NO_CHARACTER = 'No character yet: add one in AnimeCam’s options';

export class Pipeline {
  private settings: Settings = DEFAULT_SETTINGS;
  private consumers = new Map<string, OutgoingTrack>();
  private clock: ReturnType<PipelineEnv['clock']>;
  private camera: CameraSource;
  private tracker: Slot<Tracker>;
  private renderer: Slot<CharacterRenderer>;
  private driver = new PoseDriver(DEFAULT_POSE_DRIVER_SETTINGS);
  private scheduler: FrameScheduler<CharacterRenderer>;
  private background: BackgroundImage;
  private releaseTimer: unknown = null;
  private running = false;
  private closedFramesSent = 0;
  readonly timer = new StageTimer();
  readonly life = new CharacterLife(); // character life: idle motion, expressions, voice, camera-free

  constructor(private parts: PipelineParts, private env: PipelineEnv = browserPipelineEnv()) {
    this.clock = env.clock((f, us) => this.scheduler.tick(f, us), () => this.camera.lost());
    this.camera = new CameraSource(env.camera, (track) => this.clock.useCamera(track));
    this.tracker = new Slot<Tracker>({ name: 'face tracker', create: () => parts.createTracker(), dispose: (t) => t.close() });
    this.renderer = new Slot<CharacterRenderer>({
      name: 'renderer',
      create: () => parts.createRenderer(this.settings),
      dispose: (r) => r.dispose(),
      // A lost GPU device: keep sending the last frame, and make a new renderer (WASM if need be).
      watch: (r) => r.lost,
    });
    this.background = new BackgroundImage((id) => parts.loadBackground(id));
    this.scheduler = new FrameScheduler({
      tracker: this.tracker,
      renderer: this.renderer,
      // Idle motion, voice mouth and expression keys on top of the tracked pose (character-life.ts).
      pose: { update: (obs, t) => this.life.apply(this.driver.update(obs, t), this.driver.faceWeight, t) },
      sinks: () => this.sinks(),
      timer: this.timer,
      now: env.now,
    });
  }

  // ---- settings ----

  applySettings(raw: unknown): void {
    const before = this.settings;
    this.settings = sanitizeSettings(raw);
    this.driver.setSettings(this.settings.pose);
    this.life.setSettings(this.settings);
    this.background.follow(this.settings.background);
    if (!this.running) return;
    this.camera.setDevice(this.settings.cameraId);
    this.followCameraNeed();
    if (before.characterId !== this.settings.characterId || before.renderSize !== this.settings.renderSize || before.renderBackend !== this.settings.renderBackend) {
      void this.reloadCharacter();
    }
  }

  /** Captures the neutral face from recent frames; the caller saves it in settings (null: no face seen). */
  calibrate(): CalibrationData | null {
    return this.driver.calibrate();
  }

  // ---- consumers ----

  async openConsumer(id: string, plan: Plan, origin: string | null = null): Promise<string> {
    this.closeConsumer(id, 'replaced', false);
    this.life.addConsumer(id, origin);
    const c = this.env.consumer(id, plan, (reason) => this.closeConsumer(id, reason, true));
    if (c.pc) this.life.offerVoice(id, c.pc); // the call's own microphone, for the voice mouth
    this.consumers.set(id, c);
    if (this.releaseTimer !== null) this.env.camera.clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    c.draw(this.scene()); // a first frame at once, before the camera or character is ready
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
    this.closedFramesSent += c.framesSent;
    this.life.removeConsumer(id);
    if (this.consumers.size > 0) this.followCameraNeed();
    c.close();
    if (notify) this.parts.onConsumerClosed(id, reason);
    if (this.consumers.size === 0 && this.releaseTimer === null) {
      this.releaseTimer = this.env.camera.setTimeout(() => this.stop(), RELEASE_AFTER_MS);
    }
  }

  /** Frames sent to all open tracks, plus those of tracks already closed. */
  framesSent(): number {
    let n = this.closedFramesSent;
    for (const c of this.consumers.values()) n += c.framesSent;
    return n;
  }

  // ---- lifecycle ----

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.timer.reset();
    if (this.life.needsCamera()) void this.camera.start(this.settings.cameraId);
    else this.clock.useCamera(null); // camera-free: the worker clock paces the frames
    void this.tracker.ensure();
    void this.renderer.ensure();
  }

  /**
   * Camera-free mode (every open consumer's site asks for it) never opens the real camera; the
   * camera comes back when a consumer that needs it opens, or the setting changes.
   */
  private followCameraNeed(): void {
    if (!this.running) return;
    if (this.life.needsCamera()) {
      if (this.camera.state.state === 'off') void this.camera.start(this.settings.cameraId);
    } else if (this.camera.state.state !== 'off') {
      this.clock.useCamera(null); // the clock first, so the ended track is not taken for a lost camera
      this.camera.stop();
    }
  }

  /** No consumer left: release the camera (the document may live on for previews and pings). */
  private stop(): void {
    this.releaseTimer = null;
    if (this.consumers.size > 0) return;
    this.running = false;
    this.clock.stop();
    this.scheduler.releaseFrames();
    this.camera.stop();
  }

  /** Stops the real camera as if unplugged (diagnostics and tests). */
  dropCamera(): boolean {
    return this.camera.drop();
  }

  /** The camera source, for the diagnostics probe (`background/open-camera`). */
  get cameraSource(): CameraSource {
    return this.camera;
  }

  /** Loads the selected character again (library or settings changed); the old one serves meanwhile. */
  reloadCharacter(): Promise<void> {
    return this.renderer.load();
  }

  // ---- what is shown and reported ----

  /** This tick's sinks: one scene for all, each consumer deciding whether it changed for it. */
  private sinks(): FrameSink[] {
    if (this.consumers.size === 0) return [];
    const scene = this.scene();
    return [...this.consumers.values()].map((c) => ({ due: (us: number) => c.due(us, scene), draw: () => c.draw(scene), send: (us: number) => c.send(us) }));
  }

  private characterError(): string | undefined {
    return this.renderer.error ?? (this.renderer.absent ? NO_CHARACTER : undefined);
  }

  private scene(): Scene {
    const r = this.renderer.current;
    return buildScene({
      settings: this.settings,
      camera: this.camera.state,
      backgroundImage: this.background.image,
      rendered: this.scheduler.rendered,
      still: r?.still ?? null,
      hasRenderer: r !== null,
      characterError: this.characterError(),
      frameReadAt: this.scheduler.frameReadAt,
      renderedReadAt: this.scheduler.renderedReadAt,
      renderedVersion: this.scheduler.renderedFrames,
      maxSendPixels: maxSendPixels(r?.backend ?? null),
    });
  }

  status(): PipelineStatus {
    const base = buildStatus({
      running: this.running,
      camera: this.camera.state,
      faceFound: this.scheduler.faceFound,
      renderer: this.renderer.current,
      characterError: this.characterError(),
      consumers: this.consumers.size,
      pose: this.scheduler.pose,
      timer: this.timer,
    });
    return { ...base, ...this.life.status(this.camera.state.state === 'on') };
  }
}
