/**
 * The pipeline driven with fake parts (camera, clock, tracker, renderer, outgoing tracks): every
 * tick must send a frame whatever the camera, tracker and renderer are doing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import type { CharacterRenderer } from './character-renderer';
import type { Scene } from './compositor';
import type { TrackedFrame } from '../tracker/tracker-client';
import type { Tracker } from './frame-scheduler';
import { Pipeline, type OutgoingTrack, type PipelineEnv, type PipelineParts } from './pipeline';
import { CAMERA_RETRY_MS } from './camera-source';
import { pictureChanged } from './send-policy';

function deferred<T>() {
  let resolve!: (v: T) => void, reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

class FakeTrack {
  stopped = false;
  readyState: 'live' | 'ended' = 'live';
  constructor(readonly label: string) {}
  stop() {
    this.stopped = true;
    this.readyState = 'ended';
  }
  getSettings() {
    return { width: 640, height: 480, frameRate: 30, deviceId: this.label };
  }
}

class FakeSink implements OutgoingTrack {
  scenes: Scene[] = [];
  sent = 0;
  closed = false;
  get framesSent() {
    return this.sent;
  }
  async offer() {
    return 'v=0';
  }
  async answer() {}
  resize() {}
  due() {
    return true;
  }
  draw(scene: Scene) {
    this.scenes.push(scene);
  }
  send() {
    this.sent++;
  }
  close() {
    this.closed = true;
  }
  get last(): Scene {
    return this.scenes[this.scenes.length - 1];
  }
}

class FakeTracker implements Tracker {
  stats = { frames: 0, errors: 0 };
  closed = false;
  busy = false;
  failed: string | null = null;
  onDetect: () => void = () => undefined;
  private result: TrackedFrame | null = null;
  constructor(private fails = false) {}
  /** Answers at once (MediaPipe's own errors counted, as FaceTracker does): the next tick takes it. */
  track(_frame: VideoFrame, _timestampMs: number, readAt: number) {
    this.stats.frames++;
    this.onDetect();
    if (this.fails) this.stats.errors++;
    this.result = { obs: null, readAt, ms: 5, threw: null };
    return true;
  }
  take() {
    const r = this.result;
    this.result = null;
    return r;
  }
  close() {
    this.closed = true;
  }
}

class FakeRenderer implements CharacterRenderer {
  readonly backend = 'wasm' as const;
  readonly backendNote = 'fake';
  readonly size = 64;
  readonly idleRenderMs = 0;
  readonly still: OffscreenCanvas;
  renders: { pose: Float32Array; done: ReturnType<typeof deferred<OffscreenCanvas>> }[] = [];
  disposed = false;
  constructor(readonly characterId: string, readonly characterName = characterId) {
    this.still = { still: characterId } as unknown as OffscreenCanvas;
  }
  render(pose: Float32Array) {
    const done = deferred<OffscreenCanvas>();
    this.renders.push({ pose, done });
    return done.promise;
  }
  /** Finishes the oldest pending render with a frame named after this renderer. */
  finish(n = this.renders.length) {
    const frame = { frame: this.characterId, n } as unknown as OffscreenCanvas;
    this.renders[n - 1].done.resolve(frame);
    return frame;
  }
  async dispose() {
    this.disposed = true;
  }
}

interface Harness {
  pipeline: Pipeline;
  tick(frame?: boolean): Promise<void>;
  cameraEnded(): void;
  sink: FakeSink;
  trackers: FakeTracker[];
  renderers: FakeRenderer[];
  gum: ReturnType<typeof vi.fn>;
  usedTracks: (FakeTrack | null)[];
  timers: { fn: () => void; ms: number }[];
  runTimers(ms: number): void;
  rendererSettings: Settings[];
  /** Copies the scheduler made of camera frames (frame-scheduler.ts `held`), with their closes. */
  copies: { closes: number }[];
}

async function harness(opts: { trackerFails?: boolean } = {}): Promise<Harness> {
  let tickFn: (f: VideoFrame | null, us: number) => Promise<void> | void = () => undefined;
  let clockMs = 0;
  let ended: () => void = () => undefined;
  const usedTracks: (FakeTrack | null)[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const trackers: FakeTracker[] = [];
  const renderers: FakeRenderer[] = [];
  const rendererSettings: Settings[] = [];
  let cameraCount = 0;
  const gum = vi.fn(async () => {
    const track = new FakeTrack(`camera ${++cameraCount}`);
    return { getTracks: () => [track], getVideoTracks: () => [track] } as unknown as MediaStream;
  });
  const sink = new FakeSink();
  const env: PipelineEnv = {
    camera: {
      getUserMedia: gum,
      onDeviceChange: () => undefined,
      setTimeout: (fn, ms) => {
        const t = { fn, ms };
        timers.push(t);
        return t;
      },
      clearTimeout: (h) => {
        const i = timers.indexOf(h as { fn: () => void; ms: number });
        if (i >= 0) timers.splice(i, 1);
      },
    },
    clock: (tick, onCameraEnded) => {
      tickFn = tick;
      ended = onCameraEnded;
      return { useCamera: (t) => usedTracks.push(t as unknown as FakeTrack | null), stop: () => undefined };
    },
    consumer: () => sink,
    // A camera-paced clock: each tick is 100 ms apart, so the tracking budget lets every frame be tracked.
    now: () => clockMs,
  };
  const parts: PipelineParts = {
    async createTracker() {
      const t = new FakeTracker(opts.trackerFails);
      trackers.push(t);
      return t;
    },
    async createRenderer(settings) {
      rendererSettings.push(settings);
      const r = new FakeRenderer(settings.characterId ?? 'first');
      renderers.push(r);
      return r;
    },
    onConsumerClosed: () => undefined,
    loadBackground: async () => null,
  };
  const pipeline = new Pipeline(parts, env);
  pipeline.applySettings(DEFAULT_SETTINGS);
  await pipeline.openConsumer('tab:0:1', { width: 640, height: 360, frameRate: 30 });
  await flush();
  let us = 0;
  const copies: { closes: number }[] = [];
  return {
    pipeline,
    copies,
    sink,
    trackers,
    renderers,
    gum,
    usedTracks,
    timers,
    rendererSettings,
    tick: async (frame = true) => {
      us += 33_333;
      clockMs += 100;
      // The scheduler keeps a copy of a frame the tracker did not take (frame-scheduler.ts `held`).
      const clone = () => {
        const c = { closes: 0, close: () => void c.closes++ };
        copies.push(c);
        return c;
      };
      const cameraFrame = { clone, close: () => undefined } as unknown as VideoFrame;
      await tickFn(frame ? cameraFrame : null, us);
      await flush();
    },
    cameraEnded: () => ended(),
    runTimers(ms: number) {
      for (const t of timers.filter((x) => x.ms === ms)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

describe('Pipeline with fake parts', () => {
  beforeEach(() => {
    for (const level of ['warn', 'error', 'info'] as const) vi.spyOn(console, level).mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('starts: opens the camera once, loads tracker and renderer, and sends a frame every tick', async () => {
    const h = await harness();
    expect(h.gum).toHaveBeenCalledTimes(1);
    expect(h.usedTracks).toHaveLength(1);
    expect(h.pipeline.status()).toMatchObject({ running: true, camera: 'on', cameraLabel: 'camera 1', consumers: 1 });
    expect(h.sink.last.card).toBe('AnimeCam is starting…');
    for (let i = 0; i < 3; i++) await h.tick();
    expect(h.sink.sent).toBe(3);
    expect(h.pipeline.framesSent()).toBe(3);
    expect(h.renderers[0].renders).toHaveLength(1);
    const frame = h.renderers[0].finish();
    await flush();
    await h.tick();
    expect(h.sink.last).toMatchObject({ character: frame, card: null });
  });

  it('camera lost mid-frame: the frame is still sent, then frames keep coming and the camera is retried', async () => {
    const h = await harness();
    await h.tick();
    h.trackers[0].onDetect = () => h.cameraEnded(); // the track ends while this frame is tracked
    await h.tick();
    h.trackers[0].onDetect = () => undefined;
    expect(h.sink.sent).toBe(2);
    expect(h.pipeline.status()).toMatchObject({ camera: 'error', cameraError: { kind: 'missing' } });
    // A missing camera shows the character (neutral pose), not an error card.
    expect(h.sink.last.card).not.toMatch(/cannot use the camera/);
    for (let i = 0; i < 5; i++) await h.tick(false);
    expect(h.sink.sent).toBe(7);
    expect(h.pipeline.status().faceFound).toBe(false);
    // The retry opens the camera again and the clock follows the new track.
    h.runTimers(CAMERA_RETRY_MS);
    await flush();
    expect(h.gum).toHaveBeenCalledTimes(2);
    expect(h.pipeline.status()).toMatchObject({ camera: 'on', cameraLabel: 'camera 2' });
    expect(h.usedTracks.at(-1)).toMatchObject({ label: 'camera 2' });
  });

  it('a camera that cannot be opened: frames flow on the fallback clock with a card, and it is retried', async () => {
    const h = await harness();
    h.gum.mockImplementationOnce(async () => Promise.reject(Object.assign(new Error('in use'), { name: 'NotReadableError' })));
    h.pipeline.applySettings({ ...DEFAULT_SETTINGS, cameraId: 'other' });
    await flush();
    expect(h.usedTracks.at(-1)).toBeNull();
    expect(h.pipeline.status()).toMatchObject({ camera: 'error', cameraError: { kind: 'busy', message: 'NotReadableError: in use' } });
    await h.tick(false);
    expect(h.sink.last.card).toMatch(/cannot use the camera: NotReadableError/);
    h.runTimers(CAMERA_RETRY_MS);
    await flush();
    expect(h.pipeline.status().camera).toBe('on');
  });

  it('tracker fails on every frame: frames keep flowing, and the tracker is replaced and closed', async () => {
    const h = await harness({ trackerFails: true });
    const first = h.trackers[0];
    for (let i = 0; i < 35; i++) await h.tick();
    expect(h.sink.sent).toBe(35);
    expect(h.pipeline.status().faceFound).toBe(false);
    expect(h.trackers.length).toBeGreaterThanOrEqual(2);
    expect(first.closed).toBe(true);
    expect(h.trackers[1].stats.frames).toBeGreaterThan(0);
  });

  it('tracker worker dies: frames keep flowing, and the tracker is replaced and closed', async () => {
    const h = await harness();
    await h.tick();
    const first = h.trackers[0];
    first.failed = 'its worker failed: out of memory';
    await h.tick();
    await flush();
    expect(h.sink.sent).toBe(2);
    expect(h.trackers).toHaveLength(2);
    expect(first.closed).toBe(true);
    await h.tick();
    expect(h.trackers[1].stats.frames).toBe(1);
  });

  it('renderer slower than the camera: one render in flight, every tick still sends, newest frame shown', async () => {
    const h = await harness();
    const r = h.renderers[0];
    for (let i = 0; i < 10; i++) await h.tick();
    expect(h.sink.sent).toBe(10);
    expect(r.renders).toHaveLength(1);
    const f1 = r.finish(1);
    await flush();
    await h.tick();
    expect(h.sink.last.character).toBe(f1);
    expect(r.renders).toHaveLength(2); // the next render starts on the tick after
    for (let i = 0; i < 5; i++) await h.tick();
    expect(r.renders).toHaveLength(2);
    expect(h.sink.last.character).toBe(f1); // the last frame holds until the next one is ready
  });

  it('the scene changes picture only with a new rendered frame, even in one reused canvas (stamps on)', async () => {
    const h = await harness();
    h.pipeline.applySettings({ ...DEFAULT_SETTINGS, stampFrames: true });
    const r = h.renderers[0];
    const canvas = { reused: true } as unknown as OffscreenCanvas;
    const shown = () => ({ scene: h.sink.last, width: 640, height: 360 });
    await h.tick();
    r.renders[0].done.resolve(canvas);
    await flush();
    await h.tick();
    const first = shown();
    expect(first.scene.character).toBe(canvas);
    await h.tick(); // the next render is in flight: same picture, new tick stamp
    expect(h.sink.last.stamp).toBeDefined();
    expect(pictureChanged(first, shown())).toBe(false);
    r.renders[1].done.resolve(canvas); // a new frame drawn into the same canvas
    await flush();
    await h.tick();
    expect(h.sink.last.character).toBe(canvas);
    expect(pictureChanged(first, shown())).toBe(true);
  });

  it('a failing render replaces the renderer; the old one is disposed', async () => {
    const h = await harness();
    await h.tick();
    h.renderers[0].renders[0].done.reject(new Error('device lost'));
    await flush();
    await flush();
    expect(h.renderers).toHaveLength(2);
    expect(h.renderers[0].disposed).toBe(true);
    await h.tick();
    expect(h.renderers[1].renders).toHaveLength(1);
  });

  it('settings change during a render: the late frame of the old character is dropped, the new one renders', async () => {
    const h = await harness();
    await h.tick();
    const old = h.renderers[0];
    expect(old.renders).toHaveLength(1);
    h.pipeline.applySettings({ ...DEFAULT_SETTINGS, characterId: 'second', framing: { ...DEFAULT_SETTINGS.framing, scale: 0.5 } });
    await flush();
    expect(h.renderers).toHaveLength(2);
    expect(h.rendererSettings[1].characterId).toBe('second');
    expect(old.disposed).toBe(true);
    old.finish(1); // the old renderer's frame arrives late
    await flush();
    await h.tick();
    const scene = h.sink.last;
    expect(scene.character).toBe(h.renderers[1].still); // the new character's still, not the late frame
    expect(scene.framing.scale).toBe(0.5);
    expect(h.renderers[1].renders).toHaveLength(1);
    const f = h.renderers[1].finish();
    await flush();
    await h.tick();
    expect(h.sink.last.character).toBe(f);
    expect(h.pipeline.status().character).toEqual({ id: 'second', name: 'second' });
  });

  it('the last consumer gone: the camera is released after a moment', async () => {
    const h = await harness();
    h.pipeline.closeConsumer('tab:0:1', 'closed by the page', false);
    expect(h.sink.closed).toBe(true);
    h.runTimers(1000);
    expect(h.pipeline.status()).toMatchObject({ running: false, camera: 'off', consumers: 0 });
  });

  it('stopping closes the camera frame kept for a busy tracker', async () => {
    const h = await harness();
    await h.tick();
    h.trackers[0].busy = true;
    await h.tick(); // the tracker is busy: this frame is kept for it
    expect(h.copies).toHaveLength(1);
    expect(h.copies[0].closes).toBe(0);
    h.pipeline.closeConsumer('tab:0:1', 'closed by the page', false);
    h.runTimers(1000);
    expect(h.copies[0].closes).toBe(1);
  });

  it('calibrate returns what the pose driver captured (null without a face)', async () => {
    const h = await harness();
    expect(h.pipeline.calibrate()).toBeNull();
  });
});
