/** The feed's timing decisions: when the held frame is repeated and when the input counts as lost. */
import { describe, expect, it } from 'vitest';
import { FEED_TIMING as T, feedTick, nextTimestamp, type FeedClock } from './source-feed';

const clock = (o: Partial<FeedClock>): FeedClock => ({ inputSince: 0, inputFrames: 0, lastFrameAt: null, lastWriteAt: -Infinity, lastReportAt: null, ...o });

describe('feedTick', () => {
  it('repeats nothing before the first frame, and nothing while frames flow', () => {
    expect(feedTick(100, clock({})).repeat).toBe(false);
    expect(feedTick(1000, clock({ inputFrames: 30, lastFrameAt: 950, lastWriteAt: 950 }))).toEqual({ repeat: false, reportLost: false });
  });

  it('repeats the held frame after a gap, at the repeat rate', () => {
    const c = clock({ inputFrames: 30, lastFrameAt: 1000, lastWriteAt: 1000 });
    expect(feedTick(1000 + T.holdAfterMs - 1, c).repeat).toBe(false);
    expect(feedTick(1000 + T.holdAfterMs, c).repeat).toBe(true);
    c.lastWriteAt = 1000 + T.holdAfterMs;
    expect(feedTick(1000 + T.holdAfterMs + T.repeatEveryMs - 1, c).repeat).toBe(false);
    expect(feedTick(1000 + T.holdAfterMs + T.repeatEveryMs, c).repeat).toBe(true);
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
