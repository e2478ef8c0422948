/**
 * A source's stable output track. The frames come over a loopback peer connection from the
 * offscreen document, and that connection dies with the document (closed, crashed, or replaced
 * by the service worker). The page must never see its camera track end or freeze for that, so
 * the track handed to the page is a MediaStreamTrackGenerator in this window, fed from whichever
 * received track is current (read with a MediaStreamTrackProcessor). While no frame comes in, the
 * last one is written again with a new timestamp (encoders and recorders keep going); when a new
 * connection comes up, its track becomes the input. Every frame is re-stamped from one clock, so
 * timestamps stay increasing across inputs.
 */

// Captured at start: the page may later replace any of these (this runs before its scripts).
const Generator = typeof MediaStreamTrackGenerator === 'function' ? MediaStreamTrackGenerator : null;
const Processor = typeof MediaStreamTrackProcessor === 'function' ? MediaStreamTrackProcessor : null;
const Frame = typeof VideoFrame === 'function' ? VideoFrame : null;
const api = Generator && Processor && Frame
  ? {
      writable: Object.getOwnPropertyDescriptor(Generator.prototype, 'writable')!.get! as (this: MediaStreamTrackGenerator) => WritableStream<VideoFrame>,
      readable: Object.getOwnPropertyDescriptor(Processor.prototype, 'readable')!.get! as (this: MediaStreamTrackProcessor) => ReadableStream<VideoFrame>,
      getReader: ReadableStream.prototype.getReader as (this: ReadableStream<VideoFrame>) => ReadableStreamDefaultReader<VideoFrame>,
      read: ReadableStreamDefaultReader.prototype.read as (this: ReadableStreamDefaultReader<VideoFrame>) => Promise<ReadableStreamReadResult<VideoFrame>>,
      cancel: ReadableStreamDefaultReader.prototype.cancel,
      getWriter: WritableStream.prototype.getWriter as (this: WritableStream<VideoFrame>) => WritableStreamDefaultWriter<VideoFrame>,
      write: WritableStreamDefaultWriter.prototype.write as (this: WritableStreamDefaultWriter<VideoFrame>, f: VideoFrame) => Promise<void>,
      closeWriter: WritableStreamDefaultWriter.prototype.close,
      closeFrame: Frame.prototype.close,
      trackStop: MediaStreamTrack.prototype.stop,
      trackClone: MediaStreamTrack.prototype.clone,
    }
  : null;
const every = setInterval;
const stopEvery = clearInterval;
const after = setTimeout;
const cancelAfter = clearTimeout;
const clock = performance.now.bind(performance);

/** When to repeat the held frame and when to report the input lost (ms). */
export const FEED_TIMING = {
  /** No frame for this long: write the last one again... */
  holdAfterMs: 400,
  /** ...this often (5 fps keeps encoders and the far end's picture alive). */
  repeatEveryMs: 200,
  /** A connection that delivered frames and then none for this long is lost. */
  lostAfterMs: 2000,
  /** A new connection gets this long for its first frame (the new document starts its pipeline). */
  startGraceMs: 8000,
  /** While still lost, ask again this often (a message may be lost while the service worker restarts). */
  reportAgainMs: 8000,
} as const;
export type FeedTiming = { [K in keyof typeof FEED_TIMING]: number };

export interface FeedClock {
  /** When the current input was set. */
  inputSince: number;
  /** Frames the current input delivered. */
  inputFrames: number;
  /** Last frame from any input (null: none yet, nothing to hold). */
  lastFrameAt: number | null;
  /** Last frame written to the output (received or repeated). */
  lastWriteAt: number;
  /** Last time the loss was reported for the current input (null: not yet). */
  lastReportAt: number | null;
}

/** What a tick of the feed does now: repeat the held frame, and/or report the input lost. Pure. */
export function feedTick(now: number, c: FeedClock, t: FeedTiming = FEED_TIMING): { repeat: boolean; reportLost: boolean } {
  const repeat = c.lastFrameAt !== null && now - c.lastFrameAt >= t.holdAfterMs && now - c.lastWriteAt >= t.repeatEveryMs;
  const deadline = c.inputFrames > 0 && c.lastFrameAt !== null ? Math.max(c.lastFrameAt + t.lostAfterMs, c.inputSince + t.lostAfterMs) : c.inputSince + t.startGraceMs;
  const reportLost = now >= deadline && (c.lastReportAt === null || now - c.lastReportAt >= t.reportAgainMs);
  return { repeat, reportLost };
}

/** Timestamps (µs) that only increase, whatever each input's own clock says. */
export function nextTimestamp(nowMs: number, previousUs: number): number {
  return Math.max(previousUs + 1, Math.round(nowMs * 1000));
}

export interface SourceFeed {
  /** The track the page gets (and dresses): it lives until stop(). */
  readonly output: MediaStreamTrack;
  /** Frames now come from this received track (the previous input is let go). */
  setInput(track: MediaStreamTrack): void;
  /** Resolves true at the first frame written, false after timeoutMs without one. */
  firstFrame(timeoutMs: number): Promise<boolean>;
  stop(): void;
}

/**
 * The feed for one source, or null where the browser has no generator (the received track is
 * then used as it is, without surviving a lost connection). `onLost` is called when the input
 * stopped delivering (see FEED_TIMING): the caller asks for a new connection and returns true, or
 * returns false when it does not (yet): then it is asked again at the next tick.
 */
export function createSourceFeed(onLost: () => boolean, timing: FeedTiming = FEED_TIMING): SourceFeed | null {
  if (!api || !Generator || !Processor || !Frame) return null;
  const a = api;
  const VF = Frame;
  const generator = new Generator({ kind: 'video' });
  const writer = a.getWriter.call(a.writable.call(generator));
  // The page gets a clone: a plain MediaStreamTrack, as a camera's is (the generator itself would
  // show its own prototype and `writable`).
  const output = a.trackClone.call(generator);
  const c: FeedClock = { inputSince: clock(), inputFrames: 0, lastFrameAt: null, lastWriteAt: -Infinity, lastReportAt: null };
  let held: VideoFrame | null = null;
  let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
  let lastTs = 0;
  let writing = false;
  let written = 0;
  let stopped = false;
  let firstWritten: (() => void)[] = [];

  function write(source: VideoFrame): void {
    if (writing || stopped) return; // the sink is behind: skip rather than queue
    const now = clock();
    lastTs = nextTimestamp(now, lastTs);
    let out: VideoFrame;
    try {
      out = new VF(source, { timestamp: lastTs });
    } catch {
      return; // a frame closed under us
    }
    c.lastWriteAt = now;
    writing = true;
    a.write.call(writer, out).then(
      () => {
        writing = false;
        written++;
        const w = firstWritten;
        firstWritten = [];
        w.forEach((f) => f());
      },
      () => {
        writing = false;
        a.closeFrame.call(out);
      },
    );
  }

  async function pump(r: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
    for (;;) {
      let res: ReadableStreamReadResult<VideoFrame>;
      try {
        res = await a.read.call(r);
      } catch {
        return;
      }
      if (res.done) return;
      const frame = res.value;
      if (r !== reader || stopped) {
        a.closeFrame.call(frame);
        return;
      }
      c.inputFrames++;
      c.lastFrameAt = clock();
      write(frame);
      if (held) a.closeFrame.call(held);
      held = frame; // kept to repeat while no new frame comes
    }
  }

  const timer = every(() => {
    if (stopped) return;
    const d = feedTick(clock(), c, timing);
    if (d.repeat && held) write(held);
    if (d.reportLost) {
      try {
        if (onLost()) c.lastReportAt = clock();
      } catch {
        // reporting must never stop the feed
      }
    }
  }, Math.min(timing.repeatEveryMs, 200));

  return {
    output,
    setInput(track) {
      if (stopped) return;
      if (reader) a.cancel.call(reader).catch(() => undefined);
      reader = a.getReader.call(a.readable.call(new Processor!({ track })));
      c.inputSince = clock();
      c.inputFrames = 0;
      c.lastReportAt = null;
      void pump(reader);
    },
    firstFrame(timeoutMs) {
      if (written > 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const t = after(() => resolve(false), timeoutMs);
        firstWritten.push(() => {
          cancelAfter(t);
          resolve(true);
        });
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopEvery(timer);
      if (reader) a.cancel.call(reader).catch(() => undefined);
      reader = null;
      if (held) a.closeFrame.call(held);
      held = null;
      a.closeWriter.call(writer).catch(() => undefined);
      a.trackStop.call(output);
      a.trackStop.call(generator);
    },
  };
}
