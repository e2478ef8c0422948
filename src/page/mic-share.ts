/**
 * Shares the microphone the page already captured with AnimeCam's voice mouth: the same track
 * (never a second capture, never a changed one) is sent back over the AnimeCam track's loopback
 * connection when the extension's offer asks for audio. Stopping or muting it in the call stops
 * or mutes it here too.
 */
// Captured at start, like every API the page world uses (call sites wrap WebRTC). Null where
// there is no WebRTC (insecure contexts, unit tests): nothing is shared then.
const api =
  typeof RTCPeerConnection === 'function' && typeof RTCRtpTransceiver === 'function'
    ? {
        getTransceivers: RTCPeerConnection.prototype.getTransceivers,
        replaceTrack: RTCRtpSender.prototype.replaceTrack,
        setDirection: Object.getOwnPropertyDescriptor(RTCRtpTransceiver.prototype, 'direction')?.set,
        getAudioTracks: MediaStream.prototype.getAudioTracks,
      }
    : null;

let microphone: MediaStreamTrack | null = null;
const links: { pc: RTCPeerConnection; sender: RTCRtpSender }[] = [];

function share(track: MediaStreamTrack): void {
  microphone = track;
  for (let i = links.length - 1; i >= 0; i--) {
    if (links[i].pc.signalingState === 'closed') links.splice(i, 1);
    else api?.replaceTrack.call(links[i].sender, track).catch(() => undefined);
  }
}

/** Wraps the original getUserMedia: remembers the newest microphone track the page receives. */
export function noteMicrophones(gum: (c?: MediaStreamConstraints) => Promise<MediaStream>): (c?: MediaStreamConstraints) => Promise<MediaStream> {
  if (!api) return gum;
  return async (c) => {
    const stream = await gum(c);
    const mic = api.getAudioTracks.call(stream).at(-1);
    if (mic) share(mic);
    return stream;
  };
}

/** After the extension's offer is applied: send the microphone on its audio line, if it has one. */
export function attachMicrophone(pc: RTCPeerConnection): void {
  if (!api?.setDirection) return;
  const t = api.getTransceivers.call(pc).find((x) => x.receiver.track.kind === 'audio');
  if (!t) return;
  api.setDirection.call(t, 'sendonly');
  links.push({ pc, sender: t.sender });
  if (microphone?.readyState === 'live') api.replaceTrack.call(t.sender, microphone).catch(() => undefined);
}
