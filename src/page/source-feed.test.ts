/** The feed's timing decisions: when the held frame is repeated and when the input counts as lost. */
import { describe, expect, it } from 'vitest';
import { displaySizeFor, FEED_TIMING as T, feedTick as tickAt, frameInterval, nextCheckIn, nextTimestamp, repeatAt, repeatSlot, type FeedClock } from './source-feed';

const clock = (o: Partial<FeedClock>): FeedClock => ({ inputSince: 0, inputFrames: 0, lastFrameAt: null, lastWriteAt: -Infinity, lastReportAt: null, ...o });
/** At the default 30 fps. */
const feedTick = (now: number, c: FeedClock) => tickAt(now, c, 30);

/**
 * The feed as its timer drives it (a check re-armed with nextCheckIn, firing `lateMs` late, or at
 * a fixed period as in a hidden tab), frames arriving at `arrivals` (ms): the output's write times.
 */
function simulate(frameRate: number, untilMs: number, arrivals: number[], opts: { lateMs?: number; everyMs?: number } = {}): number[] {
  const c = clock({});
  const writes: number[] = [];
  const queue = [...arrivals];
  let nextCheck: number = T.checkEveryMs;
  for (;;) {
    const arrival = queue.length ? queue[0] : Infinity;
    const t = Math.min(arrival, nextCheck);
    if (t > untilMs) break;
    if (arrival <= nextCheck) {
      queue.shift();
      c.inputFrames++;
      const first = c.lastFrameAt === null;
      c.lastFrameAt = t;
      c.lastWriteAt = t;
      writes.push(t);
      if (first) nextCheck = t + nextCheckIn(t, c, frameRate); // the feed re-arms its timer at the first frame
      continue;
    }
    if (tickAt(t, c, frameRate).repeat) {
      c.lastWriteAt = repeatSlot(t, c.lastWriteAt, frameRate);
      writes.push(t);
    }
    nextCheck = opts.everyMs ? t + opts.everyMs : t + nextCheckIn(t, c, frameRate) + (opts.lateMs ?? 0);
  }
  return writes;
}
const gaps = (w: number[]) => w.slice(1).map((t, i) => t - w[i]);

describe('feedTick', () => {
  it('repeats nothing before the first frame, and nothing while frames flow', () => {
    expect(feedTick(100, clock({})).repeat).toBe(false);
    expect(feedTick(1000, clock({ inputFrames: 30, lastFrameAt: 975, lastWriteAt: 975 }))).toEqual({ repeat: false, reportLost: false });
  });

  it('repeats the held frame once nothing was written for a frame interval (plus a little slack)', () => {
    const c = clock({ inputFrames: 30, lastFrameAt: 1000, lastWriteAt: 1000 });
    const due = 1000 + frameInterval(30) * (1 + T.repeatSlack);
    expect(repeatAt(c, 30)).toBe(due);
    expect(feedTick(due - 0.1, c).repeat).toBe(false);
    expect(feedTick(due, c).repeat).toBe(true);
    expect(nextCheckIn(1000, c, 30)).toBe(Math.ceil(due - 1000));
    // At a lower track rate (applyConstraints), the hold is longer.
    expect(tickAt(1000 + 110, c, 10).repeat).toBe(false);
    expect(tickAt(1000 + 120, c, 10).repeat).toBe(true);
    // Nothing held yet: only the loss check.
    expect(nextCheckIn(0, clock({}), 30)).toBe(T.checkEveryMs);
  });

  it('a held picture reaches the output at the track frame rate (30 and a constrained 15 fps)', () => {
    for (const rate of [30, 15]) {
      for (const lateMs of [0, 3]) {
        // One frame at 0, then nothing for 10 s: a still picture (the keep-alive aside).
        const w = simulate(rate, 10_000, [0], { lateMs });
        expect(w.length / 10).toBeGreaterThan(rate - 0.5);
        expect(w.length / 10).toBeLessThan(rate + 0.5);
        expect(Math.max(...gaps(w))).toBeLessThan(1.5 * frameInterval(rate));
      }
    }
  });

  it('fills the gaps between sparse new frames (a 7 fps character) up to the frame rate, writing each new frame at once', () => {
    const arrivals = Array.from({ length: 70 }, (_, i) => Math.round(i * 142.9 + 3));
    const w = simulate(30, 10_000, arrivals, { lateMs: 1 });
    expect(w.length / 10).toBeGreaterThan(29);
    // A new frame is written when it comes, not held for the next slot (latency first): each
    // adds about half a frame to the rate (about 34 fps with 7 new frames a second).
    expect(w.length / 10).toBeLessThan(30 + 0.7 * 7);
    expect(Math.max(...gaps(w))).toBeLessThan(1.5 * frameInterval(30));
    for (const a of arrivals) expect(w).toContain(a);
  });

  it('adds nothing while frames arrive at the rate, a few ms of jitter included', () => {
    const arrivals = Array.from({ length: 300 }, (_, i) => Math.round(i * 33.33 + ((i * 7) % 5)));
    expect(simulate(30, arrivals[299], arrivals)).toHaveLength(300);
  });

  it('checks that fall behind (a hidden tab, timers once a second) write one repeat per check, not a burst', () => {
    const w = simulate(30, 10_000, [0], { everyMs: 1000 });
    expect(w.length).toBeLessThanOrEqual(11);
    expect(repeatSlot(5000, 1000, 30)).toBe(5000);
    expect(repeatSlot(1040, 1000, 30)).toBeCloseTo(1000 + frameInterval(30));
  });

  it('reports a delivering input lost after lostAfterMs of silence, then again only after reportAgainMs', () => {
    const c = clock({ inputFrames: 30, lastFrameAt: 5000, lastWriteAt: 5000 });
    expect(feedTick(5000 + T.lostAfterMs - 1, c).reportLost).toBe(false);
    expect(feedTick(5000 + T.lostAfterMs, c).reportLost).toBe(true);
    c.lastReportAt = 5000 + T.lostAfterMs;
    expect(feedTick(5000 + T.lostAfterMs + T.reportAgainMs - 1, c).reportLost).toBe(false);
    expect(feedTick(5000 + T.lostAfterMs + T.reportAgainMs, c).reportLost).toBe(true);
  });

  it('gives a new input its start grace before calling it lost, while still repeating the old frame', () => {
    // The old input delivered until 1000; the new connection came at 3000 and has sent nothing yet.
    const c = clock({ inputSince: 3000, inputFrames: 0, lastFrameAt: 1000, lastWriteAt: 2900 });
    const early = feedTick(3000 + T.startGraceMs - 1, c);
    expect(early).toEqual({ repeat: true, reportLost: false });
    expect(feedTick(3000 + T.startGraceMs, c).reportLost).toBe(true);
  });

  it('counts silence on a new input from when it was set, not from the old input\'s last frame', () => {
    const c = clock({ inputSince: 3000, inputFrames: 1, lastFrameAt: 1000, lastWriteAt: 3000 });
    expect(feedTick(3000 + T.lostAfterMs - 1, c).reportLost).toBe(false);
    expect(feedTick(3000 + T.lostAfterMs, c).reportLost).toBe(true);
  });
});

describe('nextTimestamp', () => {
  it('follows the clock and never goes back or repeats', () => {
    expect(nextTimestamp(10, 0)).toBe(10_000);
    expect(nextTimestamp(10, 10_000)).toBe(10_001);
    expect(nextTimestamp(5, 10_000)).toBe(10_001);
    expect(nextTimestamp(20.5, 10_001)).toBe(20_500);
  });
});

describe('displaySizeFor', () => {
  it("gives a scaled-down frame the track's size", () => {
    expect(displaySizeFor({ width: 640, height: 360 }, { width: 1280, height: 720 })).toEqual({ displayWidth: 1280, displayHeight: 720 });
    expect(displaySizeFor({ width: 640, height: 360 }, { width: 1920, height: 1080 })).toEqual({ displayWidth: 1920, displayHeight: 1080 });
  });

  it('leaves frames of the track size, of another aspect, or of an unknown track as they are', () => {
    expect(displaySizeFor({ width: 1280, height: 720 }, { width: 1280, height: 720 })).toBeNull();
    // The document is still sending the old aspect after applyConstraints: not stretched.
    expect(displaySizeFor({ width: 640, height: 360 }, { width: 640, height: 480 })).toBeNull();
    expect(displaySizeFor({ width: 640, height: 360 }, {})).toBeNull();
    expect(displaySizeFor({ width: 0, height: 0 }, { width: 1280, height: 720 })).toBeNull();
  });
});
