/**
 * Opens an AnimeCam track: the offscreen pipeline sends the character over a loopback
 * RTCPeerConnection, and the received track is dressed to look and behave like a camera's.
 * One getUserMedia call is one source (one peer connection, one pipeline consumer); clones share
 * it, and the last track of a source to stop releases it, as with a camera.
 */
import type { BridgeToPage } from '../shared/messages';
import { normalizeConstraints, selectSettings, type TrackSettingsPlan } from './camera-model';
import { ANIMECAM_DEVICE, ANIMECAM_LABEL } from './constraints';
import { onBridgeMessage, sendToBridge } from './page-channel';
import { capabilities, photoCapabilities, type DeviceIds } from './virtual-device';
import { answerLoopback, closeLoopback, once } from './loopback';
import { createSourceFeed, type SourceFeed } from './source-feed';

// Captured at start: call sites later may wrap or replace these (Meet and Teams instrument WebRTC).
const trackStop = MediaStreamTrack.prototype.stop;
const trackClone = MediaStreamTrack.prototype.clone;
const mutedOf = Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'muted')!.get!;
const readyStateOf = Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'readyState')!.get!;
/** The received track's own settings: its width and height are those of the last frame it got. */
const frameSettingsOf = MediaStreamTrack.prototype.getSettings;
const streamTracks = MediaStream.prototype.getTracks;
const streamClone = MediaStream.prototype.clone;
const Stream = window.MediaStream;
const dispatch = EventTarget.prototype.dispatchEvent;
const Overconstrained = window.OverconstrainedError;

interface ImageCaptureLike {
  takePhoto(...args: unknown[]): Promise<Blob>;
  grabFrame(): Promise<ImageBitmap>;
  getPhotoCapabilities(): Promise<unknown>;
  getPhotoSettings(): Promise<unknown>;
}

type Pending = { resolve(sdp: string): void; reject(e: Error): void };
const pending = new Map<number, Pending>();

/** One opened AnimeCam "camera": what the pipeline renders for this getUserMedia call. */
interface Source {
  requestId: number;
  /** The current loopback connection (replaced when the service worker rebuilds it). */
  pc: RTCPeerConnection;
  /** The stable output track's feed (null where the browser has no track generator). */
  feed: SourceFeed | null;
  settings: TrackSettingsPlan;
  ids: DeviceIds;
  tracks: Set<MediaStreamTrack>;
  closed: boolean;
}
const sources = new Map<number, Source>();
/** Every dressed track, to its source (a WeakMap: the page may drop tracks without stopping them). */
const dressed = new WeakMap<MediaStreamTrack, Source>();
let nextId = 1;

onBridgeMessage((msg: BridgeToPage) => {
  if (msg.type === 'bridge/track-offer') {
    const p = pending.get(msg.requestId);
    if (p) p.resolve(msg.sdp);
    else {
      const s = sources.get(msg.requestId);
      if (s) void reconnectSource(s, msg.sdp);
    }
  }
  else if (msg.type === 'bridge/track-error') pending.get(msg.requestId)?.reject(domError(msg.name, msg.message));
  else if (msg.type === 'bridge/track-closed') {
    const s = sources.get(msg.requestId);
    if (s) endSource(s, msg.reason);
  }
});

function domError(name: string, message: string): Error {
  return new DOMException(message, name);
}

function waitOffer(requestId: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(requestId);
      // Withdraw the request first: an offer arriving later must not leave the camera on.
      sendToBridge({ type: 'page/track-ended', requestId });
      reject(domError('NotReadableError', 'AnimeCam did not start in time'));
    }, timeoutMs);
    pending.set(requestId, {
      resolve: (sdp) => (clearTimeout(timer), pending.delete(requestId), resolve(sdp)),
      reject: (e) => (clearTimeout(timer), pending.delete(requestId), reject(e)),
    });
  });
}

export async function openAnimeCamTrack(settings: TrackSettingsPlan, constraints: MediaTrackConstraints | true, ids: DeviceIds): Promise<MediaStreamTrack> {
  const requestId = nextId++;
  sendToBridge({ type: 'page/open-track', requestId, width: settings.width, height: settings.height, frameRate: settings.frameRate });
  const offer = await waitOffer(requestId, 20_000);
  // The feed repeats the held frame at the track's frame rate and gives frames the track's size;
  // applyConstraints may change both.
  const feed = createSourceFeed(() => reportLost(requestId), () => sources.get(requestId)?.settings ?? settings);
  let pc: RTCPeerConnection | null = null;
  try {
    const link = await answerLoopback(offer, (sdp) => sendToBridge({ type: 'page/track-answer', requestId, sdp }));
    pc = link.pc;
    const received = await link.track;
    let track = received;
    // A camera's track is unmuted when getUserMedia resolves: wait for the first frame. A very
    // slow start (a loaded machine) still resolves, muted, rather than fail the call.
    if (feed) {
      feed.setInput(received);
      await feed.firstFrame(30_000);
      track = feed.output;
    } else await once(received, 'unmute', () => !mutedOf.call(received), 30_000);
    const source: Source = { requestId, pc, feed, settings, ids, tracks: new Set(), closed: false };
    sources.set(requestId, source);
    return dress(track, source, normalizeConstraints(constraints));
  } catch (e) {
    feed?.stop();
    if (pc) closeLoopback(pc);
    sendToBridge({ type: 'page/track-ended', requestId });
    throw e;
  }
}

/**
 * The source's frames stopped. Asks for a new connection only when this one is no longer
 * connected: a busy offscreen document (loading a model) pauses frames on a healthy connection,
 * and the feed holds the picture meanwhile. A slow first start has its own timeout.
 */
function reportLost(requestId: number): boolean {
  const s = sources.get(requestId);
  if (!s || s.closed || s.pc.connectionState === 'connected') return false;
  sendToBridge({ type: 'page/track-lost', requestId });
  return true;
}

/**
 * A new offer for an open source (the service worker made a new offscreen document): answer it on
 * a new connection and feed its track into the same output. The page's track never changes.
 */
async function reconnectSource(s: Source, offer: string): Promise<void> {
  if (s.closed || !s.feed) return;
  closeLoopback(s.pc); // the old connection's far end is gone or replaced
  try {
    const link = await answerLoopback(offer, (sdp) => sendToBridge({ type: 'page/track-answer', requestId: s.requestId, sdp }));
    if (s.closed) return closeLoopback(link.pc);
    s.pc = link.pc;
    const track = await link.track;
    if (!s.closed && s.pc === link.pc) s.feed.setInput(track);
  } catch (e) {
    // The feed keeps holding the last frame and asks again (FEED_TIMING.reportAgainMs).
    console.info(`[AnimeCam] could not reconnect the track: ${String(e)}`);
  }
}

function define(o: object, name: string, value: unknown): void {
  Object.defineProperty(o, name, { value, configurable: true, writable: true });
}

// resizeMode is missing from TypeScript's DOM types.
function settingsOf(s: Source): MediaTrackSettings & { resizeMode: string } {
  const p = s.settings;
  return {
    aspectRatio: p.width / p.height,
    deviceId: s.ids.deviceId,
    facingMode: 'user',
    frameRate: p.frameRate,
    groupId: s.ids.groupId,
    height: p.height,
    resizeMode: p.resizeMode,
    width: p.width,
  };
}

function releaseIfUnused(s: Source): void {
  if (s.closed || s.tracks.size) return;
  s.closed = true;
  sources.delete(s.requestId);
  closeLoopback(s.pc);
  s.feed?.stop();
  sendToBridge({ type: 'page/track-ended', requestId: s.requestId });
}

/** How long applyConstraints waits for frames of the new size (the pipeline resizes in ~100 ms). */
const FRAME_SIZE_WAIT_MS = 3000;

/** Resolves when the track's frames are width x height (or it ended, or the wait ran out). */
async function framesSized(track: MediaStreamTrack, width: number, height: number, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const s = frameSettingsOf.call(track);
    if ((s.width === width && s.height === height) || readyStateOf.call(track) === 'ended' || performance.now() > end) return;
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Makes a received (or cloned) track answer like a camera track of `source`. */
function dress(track: MediaStreamTrack, source: Source, constraints: MediaTrackConstraints): MediaStreamTrack {
  let asked = constraints;
  source.tracks.add(track);
  dressed.set(track, source);
  Object.defineProperty(track, 'label', { get: () => ANIMECAM_LABEL, configurable: true });
  define(track, 'getSettings', () => settingsOf(source));
  define(track, 'getCapabilities', () => capabilities(source.ids));
  define(track, 'getConstraints', () => structuredClone(asked));
  define(track, 'applyConstraints', async (c: MediaTrackConstraints = {}) => {
    if (readyStateOf.call(track) === 'ended') return;
    // A camera can pick another native format only while no other track shares it.
    const device = source.tracks.size > 1 ? { ...ANIMECAM_DEVICE, formats: [source.settings.native] } : ANIMECAM_DEVICE;
    const r = selectSettings(device, c, source.settings.native);
    if (!r.ok) throw new Overconstrained(r.constraint, `Cannot satisfy the ${r.constraint} constraint`);
    asked = normalizeConstraints(c);
    const before = source.settings;
    source.settings = r.settings;
    if (before.width !== r.settings.width || before.height !== r.settings.height || before.frameRate !== r.settings.frameRate) {
      sendToBridge({ type: 'page/track-constraints', requestId: source.requestId, width: r.settings.width, height: r.settings.height, frameRate: r.settings.frameRate });
    }
    // A camera's applyConstraints resolves once its frames have the new size: so does ours, or
    // getSettings() would describe frames that have not arrived yet.
    await framesSized(track, r.settings.width, r.settings.height, FRAME_SIZE_WAIT_MS);
  });
  define(track, 'clone', () => {
    const copy = trackClone.call(track);
    if (readyStateOf.call(track) === 'ended') return copy;
    return dress(copy, source, asked);
  });
  define(track, 'stop', () => {
    trackStop.call(track);
    source.tracks.delete(track);
    releaseIfUnused(source);
  });
  return track;
}

/** A camera going away ends every track on it with an 'ended' event: calls show "camera off". */
function endSource(s: Source, reason: string): void {
  const tracks = [...s.tracks];
  s.tracks.clear();
  // Stopped before the source lets go of its feed, so that nothing but this one 'ended' reaches them.
  for (const t of tracks) trackStop.call(t);
  releaseIfUnused(s);
  for (const t of tracks) dispatch.call(t, new Event('ended'));
  console.info(`[AnimeCam] track ended: ${reason}`);
}

/** Ends every live AnimeCam track (AnimeCam switched off for the site). */
export function endAllTracks(reason: string): void {
  for (const s of [...sources.values()]) endSource(s, reason);
}

/** stream.clone() clones each track through the engine, not through track.clone(): route ours. */
export function installTrackHelpers(): void {
  define(MediaStream.prototype, 'clone', function (this: MediaStream): MediaStream {
    const tracks = streamTracks.call(this);
    if (!tracks.some((t) => dressed.has(t))) return streamClone.call(this);
    return new Stream(tracks.map((t) => (dressed.has(t) ? t.clone() : trackClone.call(t))));
  });
  // ImageCapture's photo methods need a camera device behind the track. A camera answers
  // takePhoto() with a still of its picture (Chromium: a PNG), so ours does the same from
  // grabFrame(), and reports photo capabilities and settings like one.
  const IC = (window as unknown as { ImageCapture?: { prototype: ImageCaptureLike } }).ImageCapture;
  if (IC) {
    const proto = IC.prototype;
    const original = { takePhoto: proto.takePhoto, grabFrame: proto.grabFrame, getPhotoCapabilities: proto.getPhotoCapabilities, getPhotoSettings: proto.getPhotoSettings };
    const trackOf = Object.getOwnPropertyDescriptor(proto, 'track')?.get;
    const sourceOf = (ic: ImageCaptureLike): Source | undefined => {
      const track = trackOf?.call(ic) as MediaStreamTrack | undefined;
      return track ? dressed.get(track) : undefined;
    };
    define(proto, 'takePhoto', async function (this: ImageCaptureLike, ...args: unknown[]): Promise<Blob> {
      if (!sourceOf(this)) return original.takePhoto.apply(this, args);
      // Chromium's cameras take the photo at the picture's size, whatever size is asked.
      const bmp = await original.grabFrame.call(this);
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      canvas.getContext('2d')!.drawImage(bmp, 0, 0);
      bmp.close();
      return canvas.convertToBlob({ type: 'image/png' });
    });
    define(proto, 'getPhotoCapabilities', async function (this: ImageCaptureLike): Promise<unknown> {
      if (!sourceOf(this)) return original.getPhotoCapabilities.call(this);
      return photoCapabilities();
    });
    define(proto, 'getPhotoSettings', async function (this: ImageCaptureLike): Promise<unknown> {
      const s = sourceOf(this);
      if (!s) return original.getPhotoSettings.call(this);
      return { imageHeight: s.settings.height, imageWidth: s.settings.width };
    });
  }
  // Closing the tab or navigating away releases every source.
  window.addEventListener('pagehide', () => {
    for (const s of [...sources.values()]) {
      s.tracks.clear();
      releaseIfUnused(s);
    }
  });
}
