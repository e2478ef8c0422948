/**
 * The scheduler's tracking step with the real tracker client on a fake worker: the tick never
 * waits for tracking, the worker only ever gets the newest frame, the pose stamp is the read time
 * of the frame the tracker saw, no frame leaks, and a dead worker is replaced.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FaceObservation } from '../../core/pose/blendshapes';
import { FACE, FakeFrame, FakeTrackerWorker } from '../tracker/testing/fake-tracker-worker';
import { TrackerClient } from '../tracker/tracker-client';
import { FrameScheduler, HELD_FRAME_MAX_AGE_MS, TRACKER_CHECK_FRAMES, type FrameRenderer, type Tracker } from './frame-scheduler';
import { Slot } from './slot';
import { StageTimer } from './stage-timer';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

class FakeRenderer implements FrameRenderer {
  pending: ((img: CanvasImageSource) => void)[] = [];
  idleRenderMs = 0;
  started = 0;
  trackingBusy?: (busy: boolean) => void;
  render(): Promise<CanvasImageSource> {
    this.started++;
    return new Promise((r) => this.pending.push(r));
  }
  finish(): void {
    this.pending.shift()?.({} as CanvasImageSource);
  }
}

async function setup(due: () => boolean = () => true) {
  let clock = 0;
  const workers: FakeTrackerWorker[] = [];
  const tracker = new Slot<Tracker>({
    name: 'face tracker',
    create: () => {
      const w = new FakeTrackerWorker();
      workers.push(w);
      return TrackerClient.create({ spawn: () => w, wasmBase: 'w', modelUrl: 'm', now: () => clock, log: () => undefined });
    },
    dispose: (t) => t.close(),
  });
  const renderer = new FakeRenderer();
  const rendererSlot = new Slot<FakeRenderer>({ name: 'renderer', create: async () => renderer, dispose: () => undefined });
  const observed: (FaceObservation | null)[] = [];
  const sent: number[] = [];
  const timer = new StageTimer();
  const scheduler = new FrameScheduler({
    tracker,
    renderer: rendererSlot,
    pose: {
      update: (obs) => {
        observed.push(obs);
        return new Float32Array(45);
      },
    },
    sinks: () => [{ due, draw: () => undefined, send: (us) => sent.push(us) }],
    timer,
    now: () => clock,
  });
  await tracker.ensure();
  await rendererSlot.ensure();
  const frames: FakeFrame[] = [];
  let us = 0;
  /** One camera frame read at wall-clock `readAt`, 33 ms after the last; closed after the tick as FrameClock does. */
  const tick = async (readAt = Date.now() + 33) => {
    clock += 33;
    us += 33_333;
    vi.setSystemTime(readAt);
    const f = new FakeFrame(`frame@${readAt}`);
    frames.push(f);
    const done = scheduler.tick(f.asVideoFrame, us);
    f.close();
    await done;
    return f;
  };
  /** Time passing between camera frames (the next tick still comes 33 ms after the last). */
  const advance = (ms: number) => {
    clock += ms;
  };
  return { scheduler, tracker, workers, renderer, observed, sent, timer, frames, tick, advance, now: () => clock, worker: () => workers[workers.length - 1] };
}

describe('FrameScheduler tracking on a worker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(100_000);
    for (const level of ['warn', 'error', 'info'] as const) vi.spyOn(console, level).mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('never waits for tracking: while the worker is busy every tick sends and nothing more is handed over', async () => {
    const s = await setup();
    for (let i = 0; i < 10; i++) await s.tick();
    expect(s.sent).toHaveLength(10);
    expect(s.worker().received).toHaveLength(1);
    expect(s.observed).toEqual(Array(10).fill(null));
  });

  it('hands the worker the newest frame once it is idle, and feeds the pose the newest observation every tick', async () => {
    const s = await setup();
    const first = await s.tick();
    await s.tick();
    const third = await s.tick();
    s.worker().answer(FACE, { ms: 20 }); // posed at once (wake), not at the next tick
    expect(s.observed).toEqual([null, null, null, FACE]);
    // The worker, idle and due, gets the newest camera frame at once: the last tick's, kept for it.
    const received = s.worker().received;
    expect(received).toHaveLength(2);
    expect(received[0].frame).toBe(first.clones[0]);
    const held = third.clones[0];
    expect(held.clones).toContain(received[1].frame as unknown as FakeFrame); // the tracker's own copy
    expect(held.closes).toBe(1);
    for (let i = 0; i < 3; i++) await s.tick(); // busy: nothing more goes
    expect(received).toHaveLength(2);
    expect(s.observed.slice(3)).toEqual([FACE, FACE, FACE, FACE]);
    expect(s.scheduler.faceFound).toBe(true);
    expect(s.timer.summary().tracking).toMatchObject({ median: 20, count: 1 });
    expect(s.timer.summary()['tracking-handoff'].count).toBe(2);
  });

  it('starts the next detection as a result arrives between camera frames, with the frame kept from the last tick', async () => {
    const s = await setup();
    await s.tick(1000); // handed over at clock 33
    const second = await s.tick(1033); // busy: kept
    s.advance(30); // the result comes 63 ms after the start, 30 ms after the last camera frame
    s.worker().answer(FACE, { ms: 60 });
    const received = s.worker().received;
    expect(received).toHaveLength(2);
    expect(second.clones[0].clones).toContain(received[1].frame as unknown as FakeFrame);
    expect(received[1].timestampMs).toBeGreaterThan(received[0].timestampMs);
    // The next camera frame finds the worker busy, and its own frame is kept in place of the last.
    const third = await s.tick(1066);
    expect(received).toHaveLength(2);
    expect(second.clones[0].closes).toBe(1);
    expect(third.clones).toHaveLength(1);
    // Its pose is stamped with the read time of the kept frame.
    s.worker().answer(FACE, { ms: 60 });
    for (let i = 0; i < 3; i++) {
      s.renderer.finish();
      await flush();
    }
    expect(s.scheduler.renderedReadAt).toBe(1033);
  });

  it('does not hand over a kept frame before the budget allows, nor once it is too old (a stalled camera)', async () => {
    const s = await setup();
    await s.tick(); // handed over at clock 33
    const second = await s.tick(); // busy: kept
    s.worker().answer(FACE, { ms: 30 }); // 33 ms after the start: too soon (15 Hz at most)
    expect(s.worker().received).toHaveLength(1);
    expect(second.clones[0].closes).toBe(0);
    await s.tick(); // 66 ms after the start: this camera frame goes
    expect(s.worker().received).toHaveLength(2);
    expect(second.clones[0].closes).toBe(1);
    const fourth = await s.tick(); // busy: kept
    s.advance(HELD_FRAME_MAX_AGE_MS + 1);
    s.worker().answer(FACE, { ms: 30 }); // due, but the kept frame no longer stands for what the camera sees
    expect(s.worker().received).toHaveLength(2);
    expect(fourth.clones[0].closes).toBe(1);
    await s.tick(); // the next camera frame goes
    expect(s.worker().received).toHaveLength(3);
  });

  it('stamps the rendered pose with the read time of the frame the tracker saw, not the tick’s', async () => {
    const s = await setup();
    await s.tick(1000); // tracked; a render starts (no observation yet: the tick's own read time)
    await s.tick(1033);
    s.renderer.finish();
    await flush();
    expect(s.scheduler.renderedReadAt).toBe(1000);
    s.worker().answer(FACE); // the observation of the frame read at 1000 renders at once
    expect(s.renderer.started).toBe(2);
    await s.tick(1300);
    s.renderer.finish();
    await flush();
    expect(s.scheduler.renderedReadAt).toBe(1000);
    expect(s.scheduler.frameReadAt).toBe(1300);
    // The next frame handed over (the budget decides which tick) sets the next stamp; a render
    // of the older observation is in flight when its result comes.
    let handedAt = 1300;
    while (s.worker().inbox.length === 0) await s.tick((handedAt += 33));
    await s.tick(handedAt + 33);
    expect(s.renderer.pending).toHaveLength(1);
    s.worker().answer(FACE);
    s.renderer.finish(); // the older observation's render; the newer one starts as it ends
    await flush();
    expect(s.scheduler.renderedReadAt).toBe(1000);
    expect(s.renderer.pending).toHaveLength(1);
    s.renderer.finish();
    await flush();
    expect(s.scheduler.renderedReadAt).toBe(handedAt);
  });

  it('closes every copy it made exactly once, and never the camera’s frames, over busy and idle ticks', async () => {
    const s = await setup();
    for (let i = 0; i < 60; i++) {
      await s.tick();
      if (i % 3 === 2 && s.worker().inbox.length) s.worker().answer(i % 2 ? FACE : null);
    }
    // Copies of copies too: a frame kept for the tracker is copied again when handed over.
    const all = (f: FakeFrame): FakeFrame[] => f.clones.flatMap((c) => [c, ...all(c)]);
    const copies = s.frames.flatMap(all);
    expect(copies.length).toBeGreaterThan(5);
    for (const r of s.worker().received) expect(copies).toContain(r.frame as unknown as FakeFrame);
    // The one still with the worker is closed by the worker (or when it is ended); the kept one when the pipeline stops.
    s.tracker.current!.close();
    s.scheduler.releaseFrames();
    for (const f of s.frames) expect(f.closes).toBe(1); // by the clock, after its tick
    for (const c of copies) expect(c.closes).toBe(1);
  });

  it('closes the kept frame when the camera goes (a camera-free tick)', async () => {
    const s = await setup();
    await s.tick();
    const kept = await s.tick();
    expect(kept.clones).toHaveLength(1);
    await s.scheduler.tick(null, 10_000_000);
    expect(kept.clones[0].closes).toBe(1);
  });

  it('replaces a tracker whose worker died; frames keep flowing and go to the new worker', async () => {
    const s = await setup();
    await s.tick();
    const first = s.worker();
    const firstClient = s.tracker.current;
    first.crash('out of memory');
    await s.tick();
    await flush();
    expect(s.workers).toHaveLength(2);
    expect(first.terminated).toBe(true);
    expect(s.tracker.current).not.toBe(firstClient);
    await s.tick();
    await s.tick();
    expect(s.sent).toHaveLength(4);
    expect(s.worker().received).toHaveLength(1);
  });

  it('replaces a tracker that fails on nearly every frame', async () => {
    const s = await setup();
    for (let i = 0; s.workers.length === 1 && i < 400; i++) {
      await s.tick();
      if (s.worker().inbox.length) s.worker().answer(null, { mediapipeError: true });
      await flush();
    }
    expect(s.workers).toHaveLength(2);
    expect(s.workers[0].frames).toBeGreaterThanOrEqual(TRACKER_CHECK_FRAMES);
    expect(s.workers[0].terminated).toBe(true);
  });

  it('keeps tracking under 15 Hz, and one run at a time on the worker', async () => {
    const s = await setup();
    // 3 s of 30 fps camera, the worker answering at once with 30 ms or 100 ms runs.
    const handoffs = async (ms: number) => {
      const before = s.worker().received.length;
      for (let i = 0; i < 90; i++) {
        await s.tick();
        if (s.worker().inbox.length) s.worker().answer(FACE, { ms });
      }
      return (s.worker().received.length - before) / 3;
    };
    const fast = await handoffs(30);
    expect(fast).toBeLessThanOrEqual(15);
    expect(fast).toBeGreaterThan(10);
    await handoffs(100); // the smoothed run time settles
    const slow = await handoffs(100); // a start every 100 ms: every third camera frame
    expect(slow).toBeLessThanOrEqual(10.4);
    expect(slow).toBeGreaterThan(9);
  });

  it('paces renders of an unchanged observation, and renders a new observation at once', async () => {
    const s = await setup();
    s.renderer.idleRenderMs = 100;
    // One second of camera ticks (33 ms apart), the renderer finishing each frame at once, no observation.
    for (let i = 0; i < 30; i++) {
      await s.tick();
      s.renderer.finish();
      await flush();
    }
    expect(s.renderer.started).toBeGreaterThanOrEqual(7);
    expect(s.renderer.started).toBeLessThanOrEqual(10);
    // A new observation: the very next tick renders, however soon after the last render.
    await s.tick();
    s.renderer.finish();
    await flush();
    const before = s.renderer.started;
    s.worker().answer(FACE);
    await s.tick();
    expect(s.renderer.started).toBe(before + 1);
    // Without pacing (a GPU), every tick with an idle renderer renders.
    s.renderer.idleRenderMs = 0;
    s.renderer.finish();
    await flush();
    const unpaced = s.renderer.started;
    for (let i = 0; i < 5; i++) {
      await s.tick();
      s.renderer.finish();
      await flush();
    }
    expect(s.renderer.started).toBe(unpaced + 5);
  });

  it('where renders share the CPU with tracking: tells the renderer when a detection runs and starts no render of an unchanged observation meanwhile', async () => {
    const s = await setup();
    const told: boolean[] = [];
    s.renderer.trackingBusy = (busy) => told.push(busy);
    const step = async () => {
      await s.tick();
      s.renderer.finish();
      await flush();
    };
    // The worker stays busy with the first frame: only the first picture is rendered.
    for (let i = 0; i < 10; i++) await step();
    expect(told).toEqual([true]);
    expect(s.renderer.started).toBe(1);
    // A new observation renders as it arrives, and the worker, idle and due (90 ms runs: a start
    // every 90 ms), gets the frame kept from the last tick at once.
    s.worker().answer(FACE, { ms: 90 });
    expect(s.renderer.started).toBe(2);
    expect(told).toEqual([true, false, true]);
    await step();
    expect(s.renderer.started).toBe(2);
    // The next result comes a tick later, before the budget allows a start: unchanged
    // observations render while the worker is idle.
    s.worker().answer(FACE, { ms: 90 });
    expect(told).toEqual([true, false, true, false]);
    expect(s.renderer.started).toBe(3);
    s.renderer.finish();
    await flush();
    await step(); // 66 ms after the start: not due yet, an idle render
    expect(s.renderer.started).toBe(4);
    // Then a detection starts again: idle renders wait.
    await step();
    expect(told).toEqual([true, false, true, false, true]);
    expect(s.renderer.started).toBe(4);
  });

  it('uses a result as it arrives: poses and renders it at once, and sends the new picture as the render ends, between camera frames', async () => {
    const s = await setup();
    await s.tick(1000); // hands the frame over; a first render starts
    s.renderer.finish();
    await flush();
    expect(s.sent).toHaveLength(2); // the tick's, and the rendered picture's at once
    const sentAfterTick = s.sent.length;
    s.advance(10);
    s.worker().answer(FACE, { ms: 60 });
    // No camera frame came: the observation is posed and its render started all the same.
    expect(s.observed).toEqual([null, FACE]);
    expect(s.renderer.started).toBe(2);
    expect(s.worker().received).toHaveLength(1); // frames go to the tracker only with camera frames
    s.advance(15);
    s.renderer.finish();
    await flush();
    expect(s.scheduler.renderedReadAt).toBe(1000);
    expect(s.sent.length).toBe(sentAfterTick + 2); // the result's wake and the render's
    // Timestamps go on from the tick's by the time that passed, and stay strictly increasing.
    const [tickUs, resultUs, renderedUs] = s.sent.slice(-3);
    expect(resultUs - tickUs).toBe(10_000);
    expect(renderedUs - tickUs).toBe(25_000);
    await s.tick(1033);
    expect(s.sent[s.sent.length - 1]).toBeGreaterThan(renderedUs);
  });

  it('uses no result that arrives after the camera went away (camera-free ticks pose no face)', async () => {
    const s = await setup();
    await s.tick(); // a frame goes to the tracker
    await s.scheduler.tick(null, 1_000_000); // then the camera is gone
    s.worker().answer(FACE);
    expect(s.observed).toEqual([null, null]);
    expect(s.scheduler.faceFound).toBe(false);
  });

  it('keeps timestamps strictly increasing when a wake runs ahead of the next camera frame', async () => {
    const s = await setup();
    await s.tick();
    s.advance(50); // the camera's next frame is late, and its timestamp older than the wake's
    s.renderer.finish();
    await flush();
    await s.tick();
    await s.tick();
    for (let i = 1; i < s.sent.length; i++) expect(s.sent[i]).toBeGreaterThan(s.sent[i - 1]);
    expect(s.sent).toHaveLength(4);
  });

  it('counts as sent only the ticks that sent a picture (the status shows that rate, not the tick rate)', async () => {
    let n = 0;
    const s = await setup(() => n++ % 3 === 0);
    for (let i = 0; i < 60; i++) await s.tick();
    expect(s.sent).toHaveLength(20);
    expect(s.timer.rate('sent', s.now())).toBeCloseTo(1000 / 99, 0);
  });
});
