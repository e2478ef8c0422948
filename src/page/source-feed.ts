/**
 * A source's stable output track. The frames come over a loopback peer connection from the
 * offscreen document, and that connection dies with the document (closed, crashed, or replaced
 * by the service worker). The page must never see its camera track end or freeze for that, so
 * the track handed to the page is a MediaStreamTrackGenerator in this window, fed from whichever
 * received track is current (read with a MediaStreamTrackProcessor). The offscreen document sends
 * a frame only when the picture changes (and a keep-alive a few times a second): whenever no frame
 * came for about one frame interval, the last one is written again with a new timestamp, so the
 * track delivers at its frame rate as a camera does (encoders and recorders keep going). When a new
 * connection comes up, its track becomes the input. Every frame is re-stamped from one clock, so
 * timestamps stay increasing across inputs. Repeats are timer-driven: in a hidden tab (timers at
 * 1 Hz) the track delivers what arrives (the keep-alive rate at least) plus a repeat a second.
 * Frames may travel smaller than the track (the CPU path sends 1280x720 as 640x360): each is
 * written with the track's size as its display size, so the page sees the size it asked for and
 * whatever consumes the frame scales it. Each frame written is a new one made from the received
 * frame's pixels (see Picture), so repeats are frames of their own with increasing timestamps.
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
      displayWidth: Object.getOwnPropertyDescriptor(Frame.prototype, 'displayWidth')!.get! as (this: VideoFrame) => number,
      displayHeight: Object.getOwnPropertyDescriptor(Frame.prototype, 'displayHeight')!.get! as (this: VideoFrame) => number,
      format: Object.getOwnPropertyDescriptor(Frame.prototype, 'format')!.get! as (this: VideoFrame) => VideoPixelFormat | null,
      visibleRect: Object.getOwnPropertyDescriptor(Frame.prototype, 'visibleRect')!.get! as (this: VideoFrame) => DOMRectReadOnly | null,
      colorSpace: Object.getOwnPropertyDescriptor(Frame.prototype, 'colorSpace')!.get! as (this: VideoFrame) => VideoColorSpace,
      colorSpaceJson: VideoColorSpace.prototype.toJSON as (this: VideoColorSpace) => VideoColorSpaceInit,
      allocationSize: Frame.prototype.allocationSize as (this: VideoFrame) => number,
      copyTo: Frame.prototype.copyTo as (this: VideoFrame, dest: AllowSharedBufferSource) => Promise<PlaneLayout[]>,
      trackStop: MediaStreamTrack.prototype.stop,
      trackClone: MediaStreamTrack.prototype.clone,
    }
  : null;
const after = setTimeout;
const cancelAfter = clearTimeout;
const clock = performance.now.bind(performance);

/** When to repeat the held frame and when to report the input lost. */
export const FEED_TIMING = {
  /**
   * A repeat fills a frame slot this share of an interval late: a new frame arriving a little
   * late (jitter) is then not doubled by a repeat just before it.
   */
  repeatSlack: 0.2,
  /** A connection that delivered frames and then none for this long (ms) is lost (the offscreen document sends at least every 200 ms). */
  lostAfterMs: 2000,
  /** A new connection gets this long (ms) for its first frame (the new document starts its pipeline). */
  startGraceMs: 8000,
  /** While still lost, ask again this often (ms): a message may be lost while the service worker restarts. */
  reportAgainMs: 8000,
  /** The loss is checked at least this often (ms). */
  checkEveryMs: 200,
} as const;
export type FeedTiming = { [K in keyof typeof FEED_TIMING]: number };

export interface FeedClock {
  /** When the current input was set. */
  inputSince: number;
  /** Frames the current input delivered. */
  inputFrames: number;
  /** Last frame from any input (null: none yet, nothing to hold). */
  lastFrameAt: number | null;
  /** Last write to the output: when a received frame was written, or the frame slot a repeat filled. */
  lastWriteAt: number;
  /** Last time the loss was reported for the current input (null: not yet). */
  lastReportAt: number | null;
}

/** The frame interval (ms) of a track at `frameRate` (kept within 1-120 fps). */
export function frameInterval(frameRate: number): number {
  return 1000 / Math.min(120, Math.max(1, frameRate || 30));
}

/** When the held frame is next written again: one frame interval (plus the slack) after the last write. */
export function repeatAt(c: FeedClock, frameRate: number, t: FeedTiming = FEED_TIMING): number {
  return c.lastWriteAt + frameInterval(frameRate) * (1 + t.repeatSlack);
}

/** What a check of the feed does now: repeat the held frame (nothing written for a frame interval), and/or report the input lost. Pure. */
export function feedTick(now: number, c: FeedClock, frameRate: number, t: FeedTiming = FEED_TIMING): { repeat: boolean; reportLost: boolean } {
  const repeat = c.lastFrameAt !== null && now >= repeatAt(c, frameRate, t);
  const deadline = c.inputFrames > 0 && c.lastFrameAt !== null ? Math.max(c.lastFrameAt + t.lostAfterMs, c.inputSince + t.lostAfterMs) : c.inputSince + t.startGraceMs;
  const reportLost = now >= deadline && (c.lastReportAt === null || now - c.lastReportAt >= t.reportAgainMs);
  return { repeat, reportLost };
}

/**
 * The slot a repeat written at `now` fills: the next one on a grid a frame interval apart, so
 * repeats keep the track's rate exactly; or `now` when the checks fell a frame behind (a busy
 * page, or a hidden one whose timers run once a second).
 */
export function repeatSlot(now: number, lastWriteAt: number, frameRate: number): number {
  const slot = lastWriteAt + frameInterval(frameRate);
  return now - slot < frameInterval(frameRate) ? slot : now;
}

/** The delay (ms) to the next check: the next repeat, or the loss check, whichever comes first. */
export function nextCheckIn(now: number, c: FeedClock, frameRate: number, t: FeedTiming = FEED_TIMING): number {
  const due = c.lastFrameAt === null ? Infinity : repeatAt(c, frameRate, t) - now;
  // Whole milliseconds, rounded up: a timer firing before the slot would find nothing to do.
  return Math.max(1, Math.min(t.checkEveryMs, Math.ceil(due)));
}

/**
 * A picture the feed writes (again): every frame written is a new one, made from the picture's
 * pixels, stamped from the feed's clock. A frame made from another VideoFrame keeps that frame's
 * capture time, and Chrome's track then reports that time instead of the one given: repeats came
 * out with their original's timestamp (out of order with fresh ones), and in a loaded call a site's
 * sender took only 5-7 of the 18 frames a second the track delivered (bench:call, its media-source
 * stats); with frames of their own it took all 18. Where the pixels cannot be read (an opaque GPU
 * frame) the frame itself is kept and re-stamped, as before.
 */
interface Picture {
  /** Display size. */
  width: number;
  height: number;
  frame: VideoFrame | null;
  pixels: { data: Uint8Array; init: VideoFrameBufferInit } | null;
}

/** What the feed needs to know of the track it feeds (it follows applyConstraints). */
export interface FeedTrackShape {
  frameRate: number;
  width?: number;
  height?: number;
}

/**
 * The display size to give a frame of `frame` size on a track of `track` size: the track's, when
 * the frame is a scaled copy of it (same aspect within 1 %); else none (the frame keeps its own:
 * while the offscreen document switches to a new aspect, frames are not stretched).
 */
export function displaySizeFor(frame: { width: number; height: number }, track: { width?: number; height?: number }): { displayWidth: number; displayHeight: number } | null {
  const { width, height } = track;
  if (!width || !height || !frame.width || !frame.height) return null;
  if (frame.width === width && frame.height === height) return null;
  if (Math.abs(frame.width / frame.height / (width / height) - 1) > 0.01) return null;
  return { displayWidth: width, displayHeight: height };
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
 * then used as it is, without surviving a lost connection). `shape` is the track's current rate
 * and size (they follow applyConstraints). `onLost` is called when the input
 * stopped delivering (see FEED_TIMING): the caller asks for a new connection and returns true, or
 * returns false when it does not (yet): then it is asked again at the next tick.
 */
export function createSourceFeed(onLost: () => boolean, shape: () => FeedTrackShape = () => ({ frameRate: 30 }), timing: FeedTiming = FEED_TIMING): SourceFeed | null {
  if (!api || !Generator || !Processor || !Frame) return null;
  const a = api;
  const VF = Frame;
  const generator = new Generator({ kind: 'video' });
  const writer = a.getWriter.call(a.writable.call(generator));
  // The page gets a clone: a plain MediaStreamTrack, as a camera's is (the generator itself would
  // show its own prototype and `writable`).
  const output = a.trackClone.call(generator);
  const c: FeedClock = { inputSince: clock(), inputFrames: 0, lastFrameAt: null, lastWriteAt: -Infinity, lastReportAt: null };
  /** The last picture: its pixels where they can be read, else the frame itself (kept open). */
  let held: Picture | null = null;
  let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
  let lastTs = 0;
  let writing = false;
  let written = 0;
  let stopped = false;
  let firstWritten: (() => void)[] = [];

  /** Writes `p` as a new frame stamped `now`; `slot` is the write time recorded (a repeat's slot on the frame grid). */
  function write(p: Picture, now = clock(), slot = now): void {
    if (writing || stopped) return; // the sink is behind: skip rather than queue
    let out: VideoFrame;
    try {
      const display = displaySizeFor(p, shape());
      const timestamp = nextTimestamp(now, lastTs);
      out = p.pixels ? new VF(p.pixels.data, { ...p.pixels.init, ...display, timestamp }) : new VF(p.frame as VideoFrame, display ? { timestamp, ...display } : { timestamp });
      lastTs = timestamp;
    } catch {
      return; // a frame closed under us
    }
    c.lastWriteAt = slot;
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

  /** A received frame as a Picture: its pixels copied out (the frame is closed), else the frame. */
  async function pictureOf(f: VideoFrame): Promise<Picture> {
    const width = a.displayWidth.call(f), height = a.displayHeight.call(f);
    const format = a.format.call(f);
    const rect = a.visibleRect.call(f);
    if (format && rect) {
      try {
        const colorSpace = a.colorSpaceJson.call(a.colorSpace.call(f));
        const data = new Uint8Array(a.allocationSize.call(f));
        const layout = await a.copyTo.call(f, data);
        a.closeFrame.call(f);
        return { width, height, frame: null, pixels: { data, init: { format, codedWidth: rect.width, codedHeight: rect.height, timestamp: 0, layout, colorSpace } } };
      } catch {
        // unreadable after all: keep the frame
      }
    }
    return { width, height, frame: f, pixels: null };
  }

  function release(p: Picture | null): void {
    if (p?.frame) a.closeFrame.call(p.frame);
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
      const picture = await pictureOf(res.value);
      if (r !== reader || stopped) {
        release(picture);
        return;
      }
      c.inputFrames++;
      const first = c.lastFrameAt === null;
      c.lastFrameAt = clock();
      write(picture);
      if (first) {
        // The timer waited for the loss check: from now on it follows the repeat slots.
        cancelAfter(timer);
        timer = after(check, nextCheckIn(clock(), c, shape().frameRate, timing));
      }
      release(held);
      held = picture; // kept to repeat while no new frame comes
    }
  }

  // One timer, re-armed at each check for the next repeat slot (or the loss check): no wake-ups
  // beyond one per frame, and none of its own while frames arrive faster than the slots.
  function check(): void {
    if (stopped) return;
    const rate = shape().frameRate;
    const now = clock();
    const d = feedTick(now, c, rate, timing);
    if (d.repeat && held) write(held, now, repeatSlot(now, c.lastWriteAt, rate));
    if (d.reportLost) {
      try {
        if (onLost()) c.lastReportAt = clock();
      } catch {
        // reporting must never stop the feed
      }
    }
    timer = after(check, nextCheckIn(clock(), c, rate, timing));
  }
  let timer = after(check, timing.checkEveryMs);

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
      cancelAfter(timer);
      if (reader) a.cancel.call(reader).catch(() => undefined);
      reader = null;
      release(held);
      held = null;
      a.closeWriter.call(writer).catch(() => undefined);
      a.trackStop.call(output);
      a.trackStop.call(generator);
    },
  };
}
