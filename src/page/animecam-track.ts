/**
 * Opens an AnimeCam track: the offscreen pipeline sends the character over a loopback
 * RTCPeerConnection, and the received track is dressed to look and behave like a camera's.
 */
import type { BridgeToPage } from '../shared/messages';
import { ANIMECAM_DEVICE_ID, ANIMECAM_GROUP_ID, ANIMECAM_LABEL, planFor, type VideoPlan } from './constraints';
import { onBridgeMessage, sendToBridge } from './page-channel';
import { capabilities } from './virtual-device';
import { attachMicrophone } from './mic-share';

// Captured at start: call sites later may wrap or replace these (Meet and Teams instrument WebRTC).
const PC = window.RTCPeerConnection;
// Typed without the legacy callback overloads we never use.
const pcProto = {
  setRemoteDescription: PC.prototype.setRemoteDescription as (this: RTCPeerConnection, d: RTCSessionDescriptionInit) => Promise<void>,
  setLocalDescription: PC.prototype.setLocalDescription as (this: RTCPeerConnection) => Promise<void>,
  close: PC.prototype.close,
  addEventListener: EventTarget.prototype.addEventListener,
};
const trackStop = MediaStreamTrack.prototype.stop;
const dispatch = EventTarget.prototype.dispatchEvent;
const Overconstrained = window.OverconstrainedError;

type Pending = { resolve(sdp: string): void; reject(e: Error): void };
const pending = new Map<number, Pending>();
const live = new Map<number, { track: MediaStreamTrack; end(reason: string): void }>();
let nextId = 1;

onBridgeMessage((msg: BridgeToPage) => {
  if (msg.type === 'bridge/track-offer') pending.get(msg.requestId)?.resolve(msg.sdp);
  else if (msg.type === 'bridge/track-error') pending.get(msg.requestId)?.reject(domError(msg.name, msg.message));
  else if (msg.type === 'bridge/track-closed') live.get(msg.requestId)?.end(msg.reason);
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

function gatheringDone(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000); // loopback gathers in milliseconds; never hang the call
    pcProto.addEventListener.call(pc, 'icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

export async function openAnimeCamTrack(plan: VideoPlan, constraints: MediaTrackConstraints | true): Promise<MediaStreamTrack> {
  const requestId = nextId++;
  sendToBridge({ type: 'page/open-track', requestId, ...plan });
  const offer = await waitOffer(requestId, 20_000);
  const pc = new PC();
  const gotTrack = new Promise<MediaStreamTrack>((resolve) => {
    pcProto.addEventListener.call(pc, 'track', (e: Event) => resolve((e as RTCTrackEvent).track));
  });
  try {
    await pcProto.setRemoteDescription.call(pc, { type: 'offer', sdp: offer });
    attachMicrophone(pc); // the call's own microphone, for the voice mouth (only if the offer asks)
    await pcProto.setLocalDescription.call(pc);
    await gatheringDone(pc);
    sendToBridge({ type: 'page/track-answer', requestId, sdp: pc.localDescription!.sdp });
    const track = await gotTrack;
    return dress(track, requestId, pc, plan, constraints === true ? {} : constraints);
  } catch (e) {
    pcProto.close.call(pc);
    sendToBridge({ type: 'page/track-ended', requestId });
    throw e;
  }
}

function define(o: object, name: string, value: unknown): void {
  Object.defineProperty(o, name, { value, configurable: true, writable: true });
}

/** Makes the received track answer like a camera track; stop() and the pipeline end it cleanly. */
function dress(track: MediaStreamTrack, requestId: number, pc: RTCPeerConnection, plan: VideoPlan, constraints: MediaTrackConstraints): MediaStreamTrack {
  let current = plan;
  let asked = constraints;
  let ended = false;
  const baseSettings = track.getSettings.bind(track);
  Object.defineProperty(track, 'label', { get: () => ANIMECAM_LABEL, configurable: true });
  define(track, 'getSettings', () => ({
    ...baseSettings(),
    deviceId: ANIMECAM_DEVICE_ID,
    groupId: ANIMECAM_GROUP_ID,
    width: current.width,
    height: current.height,
    frameRate: current.frameRate,
    aspectRatio: current.width / current.height,
    facingMode: 'user',
    resizeMode: 'none',
  }));
  define(track, 'getCapabilities', capabilities);
  define(track, 'getConstraints', () => ({ ...asked }));
  define(track, 'applyConstraints', async (c: MediaTrackConstraints = {}) => {
    const d = planFor(c, current);
    if (d.kind === 'error') throw new Overconstrained(d.constraint, d.message);
    if (d.kind !== 'animecam') return;
    current = d.plan;
    asked = c;
    sendToBridge({ type: 'page/track-constraints', requestId, ...current });
  });
  const finish = () => {
    if (ended) return;
    ended = true;
    live.delete(requestId);
    trackStop.call(track);
    pcProto.close.call(pc);
    sendToBridge({ type: 'page/track-ended', requestId });
  };
  define(track, 'stop', finish);
  live.set(requestId, {
    track,
    end(reason: string) {
      if (ended) return;
      finish();
      // A camera that goes away ends its track with an 'ended' event: calls show "camera off".
      dispatch.call(track, new Event('ended'));
      console.info(`[AnimeCam] track ended: ${reason}`);
    },
  });
  // Closing the tab or navigating away ends it too.
  window.addEventListener('pagehide', finish, { once: true });
  return track;
}

/** Ends every live AnimeCam track (AnimeCam switched off for the site). */
export function endAllTracks(reason: string): void {
  for (const t of [...live.values()]) t.end(reason);
}
