/**
 * The call's own microphone, as the page shares it back over the AnimeCam track's loopback
 * connection (never a second capture): each consumer's connection offers to receive one audio
 * track; the newest live one feeds the voice mouth.
 */
import { VoiceMouth } from '../../core/voice/voice-mouth';

export class VoiceInput {
  readonly mouth = new VoiceMouth();
  private current: { id: string; track: MediaStreamTrack; reader: ReadableStreamDefaultReader<AudioData>; sink: HTMLAudioElement } | null = null;
  private readonly tracks = new Map<string, MediaStreamTrack>();

  /** Before the offer: asks this consumer's page for its microphone (receive-only audio). */
  offerTo(id: string, pc: RTCPeerConnection): void {
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addEventListener('track', (e) => {
      if (e.track.kind !== 'audio') return;
      this.tracks.set(id, e.track);
      // The page starts sending when it has a microphone; until then the track is muted.
      e.track.addEventListener('unmute', () => this.follow(id, e.track));
      this.follow(id, e.track);
    });
  }

  remove(id: string): void {
    this.tracks.delete(id);
    if (this.current?.id !== id) return;
    this.stopReading();
    const next = [...this.tracks.entries()].at(-1);
    if (next) this.follow(next[0], next[1]);
  }

  /** True while samples arrived within the last half second. */
  live(nowMs: number): boolean {
    return nowMs - this.mouth.lastInputMs < 500;
  }

  private stopReading(): void {
    this.current?.reader.cancel().catch(() => undefined);
    if (this.current) this.current.sink.srcObject = null;
    this.current = null;
    this.mouth.reset();
  }

  private follow(id: string, track: MediaStreamTrack): void {
    if (this.current?.track === track || track.readyState !== 'live') return;
    this.stopReading();
    const reader = new MediaStreamTrackProcessor<AudioData>({ track }).readable.getReader();
    // Chromium decodes received WebRTC audio only for a playout: a muted element gives it one.
    const sink = new Audio();
    sink.muted = true;
    sink.srcObject = new MediaStream([track]);
    void sink.play().catch(() => undefined);
    this.current = { id, track, reader, sink };
    void this.read(reader);
  }

  private async read(reader: ReadableStreamDefaultReader<AudioData>): Promise<void> {
    let buf = new Float32Array(0);
    for (;;) {
      let r: ReadableStreamReadResult<AudioData>;
      try {
        r = await reader.read();
      } catch {
        return;
      }
      if (r.done) return;
      const data = r.value;
      try {
        const n = data.numberOfFrames;
        if (buf.length < n) buf = new Float32Array(n);
        data.copyTo(buf, { planeIndex: 0, format: 'f32-planar' });
        this.mouth.push(buf.subarray(0, n), data.sampleRate, performance.now());
      } catch (e) {
        console.warn('[AnimeCam:offscreen] voice: could not read audio:', e);
      } finally {
        data.close();
      }
    }
  }
}
