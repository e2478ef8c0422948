import { beforeEach, describe, expect, it } from 'vitest';
import { FACE, FakeFrame, FakeTrackerWorker } from './testing/fake-tracker-worker';
import { TrackerClient, type TrackerClientOptions } from './tracker-client';

const URLS = { wasmBase: 'chrome-extension://x/mediapipe', modelUrl: 'chrome-extension://x/models/face_landmarker.task' };

async function started(worker = new FakeTrackerWorker(), extra: Partial<TrackerClientOptions> = {}) {
  const logs: string[] = [];
  let now = 0;
  const client = await TrackerClient.create({ spawn: () => worker, ...URLS, log: (m) => logs.push(m), now: () => now, ...extra });
  return { client, worker, logs, advance: (ms: number) => (now += ms) };
}

/** Every clone the client made was closed exactly once; the caller's own frames were left alone. */
function expectNoLeaks(callerFrames: FakeFrame[]): void {
  for (const f of callerFrames) {
    expect(f.closes, `caller frame ${f.id}`).toBe(0);
    for (const c of f.clones) expect(c.closes, `copy of ${f.id}`).toBe(1);
  }
}

describe('TrackerClient', () => {
  beforeEach(() => {
    FakeFrame.all = [];
  });

  it('starts the worker with the packaged URLs and reports the delegate it chose', async () => {
    const worker = new FakeTrackerWorker();
    const sent: unknown[] = [];
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (m, t) => {
      sent.push(m);
      post(m, t);
    };
    const { client } = await started(worker);
    expect(sent).toEqual([{ type: 'init', ...URLS, delegate: 'auto' }]);
    expect(client.delegate).toBe('CPU');
    expect(client.busy).toBe(false);
    expect(client.failed).toBeNull();
  });

  it('rejects with the worker’s message when the tracker cannot start (bad model URL), and ends the worker', async () => {
    const worker = new FakeTrackerWorker({ fail: 'Face model could not be loaded from chrome-extension://x/missing.task: HTTP 404' });
    await expect(started(worker)).rejects.toThrow(/^Face model could not be loaded from chrome-extension:\/\/x\/missing\.task: HTTP 404$/);
    expect(worker.terminated).toBe(true);
  });

  it('rejects when the worker itself fails while starting (missing script, syntax error)', async () => {
    const worker = new FakeTrackerWorker({ crash: 'Uncaught SyntaxError' });
    await expect(started(worker)).rejects.toThrow(/Face tracking worker failed while starting: Uncaught SyntaxError/);
    expect(worker.terminated).toBe(true);
    await expect(TrackerClient.create({ spawn: () => { throw new Error('blocked by CSP'); }, ...URLS })).rejects.toThrow(/could not be started: blocked by CSP/);
  });

  it('hands over a clone only while idle, never queues, and returns each result with its frame’s read time', async () => {
    const { client, worker } = await started();
    const f1 = new FakeFrame('f1');
    const f2 = new FakeFrame('f2');
    const f3 = new FakeFrame('f3');
    expect(client.track(f1.asVideoFrame, 10, 1000)).toBe(true);
    expect(client.busy).toBe(true);
    // Busy: newer frames are not copied, not queued.
    expect(client.track(f2.asVideoFrame, 20, 1033)).toBe(false);
    expect(f2.clones).toHaveLength(0);
    expect(worker.received).toHaveLength(1);
    expect(worker.received[0]).toMatchObject({ type: 'track', timestampMs: 10 });
    expect(worker.received[0].frame).toBe(f1.clones[0]);
    expect(f1.clones[0].transferred).toBe(true);
    expect(client.take()).toBeNull();

    worker.answer(FACE, { ms: 42 });
    expect(client.busy).toBe(false);
    expect(client.take()).toEqual({ obs: FACE, readAt: 1000, ms: 42, threw: null });
    expect(client.take()).toBeNull(); // taken once

    // Idle again: the newest frame goes, not the one dropped while busy.
    expect(client.track(f3.asVideoFrame, 30, 1066)).toBe(true);
    expect(worker.received[1].frame).toBe(f3.clones[0]);
    worker.answer(null, { ms: 45 });
    expect(client.take()).toMatchObject({ obs: null, readAt: 1066 });
    expect(client.stats).toEqual({ frames: 2, errors: 0 });
    expectNoLeaks([f1, f2, f3]);
  });

  it('keeps the worker’s error counts and flags frames the worker itself failed on', async () => {
    const { client, worker } = await started();
    const f = new FakeFrame('f');
    client.track(f.asVideoFrame, 1, 1);
    worker.answer(null, { mediapipeError: true });
    expect(client.stats).toEqual({ frames: 1, errors: 1 });
    expect(client.take()?.threw).toBeNull();
    client.track(f.asVideoFrame, 2, 2);
    worker.answer(null, { threw: 'TypeError: x' });
    expect(client.take()?.threw).toBe('TypeError: x');
    expectNoLeaks([f]);
  });

  it('closes the copy itself when it cannot be sent, and is idle again', async () => {
    const { client, worker } = await started();
    worker.postMessage = () => {
      throw new DOMException('could not clone', 'DataCloneError');
    };
    const f = new FakeFrame('f');
    expect(client.track(f.asVideoFrame, 1, 500)).toBe(false);
    expect(client.busy).toBe(false);
    expect(client.take()).toMatchObject({ obs: null, readAt: 500, threw: expect.stringMatching(/could not be sent: could not clone/) });
    expectNoLeaks([f]);
  });

  it('a frame that cannot be cloned (already closed) is a failed frame, not a crash', async () => {
    const { client } = await started();
    const f = new FakeFrame('f');
    f.close();
    expect(client.track(f.asVideoFrame, 1, 1)).toBe(false);
    expect(client.busy).toBe(false);
    expect(client.take()?.threw).toMatch(/could not be cloned/);
  });

  it('a worker that dies counts as failed; one that hangs on a frame too', async () => {
    const dies = await started();
    dies.worker.crash('out of memory');
    expect(dies.client.failed).toBe('its worker failed: out of memory');
    expect(dies.logs.at(-1)).toMatch(/worker failed: out of memory/);
    expect(dies.client.track(new FakeFrame('late').asVideoFrame, 1, 1)).toBe(false);

    const hangs = await started(new FakeTrackerWorker(), { stallMs: 5000 });
    hangs.client.track(new FakeFrame('f').asVideoFrame, 1, 1);
    hangs.advance(4999);
    expect(hangs.client.failed).toBeNull();
    hangs.advance(2);
    expect(hangs.client.failed).toBe('its worker did not answer for 5 s');
  });

  it('an unreadable answer is a failed frame and frees the worker', async () => {
    const { client, worker } = await started();
    client.track(new FakeFrame('f').asVideoFrame, 1, 7);
    worker.inbox.shift()!.frame.close();
    worker.onmessageerror?.({} as MessageEvent);
    expect(client.busy).toBe(false);
    expect(client.take()).toMatchObject({ readAt: 7, threw: 'the result could not be read' });
  });

  it('tells its listener when the worker answers (a result or an unreadable one), never from within track', async () => {
    const { client, worker } = await started();
    let told = 0;
    client.onResult = () => {
      told++;
      expect(client.busy).toBe(false); // the result is there to take when the listener runs
    };
    client.track(new FakeFrame('f').asVideoFrame, 1, 1);
    expect(told).toBe(0);
    worker.answer(FACE);
    expect(told).toBe(1);
    expect(client.take()?.obs).toEqual(FACE);
    client.track(new FakeFrame('g').asVideoFrame, 2, 2);
    worker.inbox.shift()!.frame.close();
    worker.onmessageerror?.({} as MessageEvent);
    expect(told).toBe(2);
    // A frame that fails to go out is a result too, but is taken at the caller's next tick.
    worker.postMessage = () => {
      throw new DOMException('could not clone', 'DataCloneError');
    };
    client.track(new FakeFrame('h').asVideoFrame, 3, 3);
    expect(told).toBe(2);
    client.close();
    expect(client.onResult).toBeNull();
  });

  it('passes the worker’s log lines on', async () => {
    const { worker, logs } = await started();
    worker.log('face detection failed: x');
    expect(logs).toContain('face detection failed: x');
  });

  it('close ends the worker (and the frame it held); late answers are dropped', async () => {
    const { client, worker } = await started();
    const f = new FakeFrame('f');
    client.track(f.asVideoFrame, 1, 1);
    client.close();
    expect(worker.terminated).toBe(true);
    expect(client.take()).toBeNull();
    expect(client.track(new FakeFrame('g').asVideoFrame, 2, 2)).toBe(false);
    expectNoLeaks([f]);
    client.close(); // twice is fine
  });
});
