/**
 * The tracks handed out: one per page (or preview) that asked, each a MediaStreamTrackGenerator
 * fed with composited frames at its own size, sent over a loopback RTCPeerConnection.
 * (Measured: 30 fps at 16 ms median; VideoFrames cannot be posted into a page directly.)
 * A frame is composited and sent only when the picture changed, plus a keep-alive
 * (send-policy.ts); the page repeats the last frame up to the track's frame rate.
 */
import { withoutHostAddresses } from '../../shared/sdp-privacy';
import { composite, STAMP_BLOCK, type Scene } from './compositor';
import { sendSize, sendStampBlock } from './send-size';
import { SendGate, type Shown } from './send-policy';
import { ConsumerGpuCompositing } from '../gpu/consumer-compositing';

export interface Plan {
  width: number;
  height: number;
  frameRate: number;
}

export class Consumer {
  readonly pc = new RTCPeerConnection();
  readonly generator = new MediaStreamTrackGenerator({ kind: 'video' });
  readonly canvas: OffscreenCanvas;
  readonly ctx: OffscreenCanvasRenderingContext2D;
  private writer = this.generator.writable.getWriter();
  private gate = new SendGate();
  /** What is on the canvas now (drawn, maybe not sent yet). */
  private drawn: Shown | null = null;
  private writing = false;
  framesSent = 0;
  /** GPU compositing (issue 10): used when the character frame is on the GPU, else the 2D canvas. */
  readonly gpu = new ConsumerGpuCompositing();

  constructor(readonly id: string, public plan: Plan, private onClosed: (reason: string) => void) {
    this.canvas = new OffscreenCanvas(plan.width, plan.height);
    this.ctx = this.canvas.getContext('2d', { alpha: false, desynchronized: true })!;
    this.pc.addEventListener('connectionstatechange', () => {
      const s = this.pc.connectionState;
      if (s === 'failed' || s === 'closed') this.onClosed(`connection ${s}`);
    });
  }

  async offer(): Promise<string> {
    const sender = this.pc.addTrack(this.generator, new MediaStream([this.generator]));
    const params = sender.getParameters();
    // Loopback has bandwidth to spare: keep full resolution and rate, never degrade silently.
    params.degradationPreference = 'maintain-resolution';
    params.encodings = (params.encodings.length ? params.encodings : [{}]).map((e) => ({ ...e, maxBitrate: 12_000_000, maxFramerate: this.plan.frameRate }));
    await sender.setParameters(params).catch(() => undefined);
    await this.pc.setLocalDescription();
    await gatheringDone(this.pc);
    // No host address reaches the page (issue 13): it connects through its own candidates.
    return withoutHostAddresses(this.pc.localDescription!.sdp);
  }

  async answer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  /** The track's new size and rate; the canvas follows at the next draw. */
  resize(plan: Plan): void {
    this.plan = plan;
  }

  /** The size frames of `scene` travel at (send-size.ts). */
  private sizeFor(scene: Scene): { width: number; height: number } {
    return sendSize(this.plan, scene.maxSendPixels ?? Infinity);
  }

  /** Composites the scene onto this track's canvas (sent by the next `send`), at the size frames travel at. */
  draw(scene: Scene): void {
    const { width, height } = this.sizeFor(scene);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    // On the GPU when the character frame is there (a GPU still behind keeps its last picture,
    // which the keep-alive sends again with the scene drawn anew); else on the 2D canvas.
    if (!this.gpu.draw(scene, width, height)) composite(this.ctx, width, height, scene, sendStampBlock(this.plan, { width, height }, STAMP_BLOCK));
    this.drawn = { scene, width, height };
  }

  /** True when this tick should composite and send `scene`: it changed, or the keep-alive is due (at most the track's frame rate). */
  due(timestampUs: number, scene: Scene): boolean {
    return this.gate.due(timestampUs, { scene, ...this.sizeFor(scene) }, this.plan.frameRate);
  }

  /** Sends what is on the canvas; skips (rather than queues) when the encoder is behind. */
  send(timestampUs: number): void {
    if (this.writing || !this.drawn) return;
    this.gate.sent(timestampUs, this.drawn);
    const frame = this.gpu.videoFrame(timestampUs) ?? new VideoFrame(this.canvas, { timestamp: timestampUs });
    this.writing = true;
    this.writer
      .write(frame)
      .then(() => this.framesSent++)
      .catch(() => frame.close())
      .finally(() => (this.writing = false));
  }

  close(): void {
    this.gpu.drop();
    this.writer.close().catch(() => undefined);
    this.generator.stop();
    this.pc.close();
  }
}

function gatheringDone(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000); // never hang the call on a slow gatherer
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
