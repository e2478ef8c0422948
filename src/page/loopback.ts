/**
 * The page's end of a loopback connection from the offscreen document: answers the extension's
 * offer (sending the call's microphone back when the offer asks for it) and gives the received
 * video track. A source answers one offer when it opens, and one more each time the service
 * worker rebuilds its connection (a new offscreen document).
 */
import { attachMicrophone } from './mic-share';

// Captured at start: call sites later may wrap or replace these (Meet and Teams instrument WebRTC).
const PC = window.RTCPeerConnection;
// Typed without the legacy callback overloads we never use.
const pcProto = {
  setRemoteDescription: PC.prototype.setRemoteDescription as (this: RTCPeerConnection, d: RTCSessionDescriptionInit) => Promise<void>,
  setLocalDescription: PC.prototype.setLocalDescription as (this: RTCPeerConnection) => Promise<void>,
  close: PC.prototype.close,
};
const listen = EventTarget.prototype.addEventListener;
const unlisten = EventTarget.prototype.removeEventListener;

export interface Loopback {
  pc: RTCPeerConnection;
  /** The received video track (resolves once the connection delivers it). */
  track: Promise<MediaStreamTrack>;
}

export function once(target: EventTarget, type: string, test: () => boolean, timeoutMs: number): Promise<boolean> {
  if (test()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      unlisten.call(target, type, check);
      resolve(ok);
    };
    const check = () => test() && done(true);
    const timer = setTimeout(() => done(test()), timeoutMs);
    listen.call(target, type, check);
  });
}

/** Answers `offer` on a new connection; `sendAnswer` carries the answer to the extension. Closes the connection if it fails. */
export async function answerLoopback(offer: string, sendAnswer: (sdp: string) => void): Promise<Loopback> {
  const pc = new PC();
  const track = new Promise<MediaStreamTrack>((resolve) => {
    listen.call(pc, 'track', (e: Event) => {
      const t = (e as RTCTrackEvent).track;
      if (t.kind === 'video') resolve(t);
    });
  });
  try {
    await pcProto.setRemoteDescription.call(pc, { type: 'offer', sdp: offer });
    attachMicrophone(pc); // the call's own microphone, for the voice mouth (only if the offer asks)
    await pcProto.setLocalDescription.call(pc);
    // Loopback gathers in milliseconds; never hang the call on it.
    await once(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete', 2000);
    sendAnswer(pc.localDescription!.sdp);
    return { pc, track };
  } catch (e) {
    pcProto.close.call(pc);
    throw e;
  }
}

export function closeLoopback(pc: RTCPeerConnection): void {
  pcProto.close.call(pc);
}
