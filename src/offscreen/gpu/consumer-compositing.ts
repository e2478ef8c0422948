/**
 * The GPU branch of an outgoing track (consumers.ts): when the scene's character is a live frame of
 * the WGSL renderer (gpu-frame.ts), the track's picture is composited by a GpuCompositor on that
 * frame's device and sent as a VideoFrame of the WebGPU canvas's snapshot; otherwise (WASM,
 * onnxruntime-web, the readback fallback, the still before the first frame, a lost device) the
 * 2D compositor serves. A compositor on a lost or replaced device is dropped; one that throws is
 * not tried again on that device, so a failing GPU never loops on exceptions.
 */
import type { Scene } from '../pipeline/compositor';
import { GpuCompositor } from './gpu-compositor';
import { gpuFrameOf } from './gpu-frame';

/** What the branch needs of a GpuCompositor (a fake in unit tests). */
export type Compositor = Pick<GpuCompositor, 'device' | 'busy' | 'draw' | 'dispose'>;

export class ConsumerGpuCompositing {
  private compositor: Compositor | null = null;
  private failedOn: WeakSet<GPUDevice> = new WeakSet();
  /** The last GPU-composited picture, while the GPU path is in use (null: send the 2D canvas). */
  private picture: ImageBitmap | null = null;
  /** Frames composited on the GPU so far (diagnostics). */
  frames = 0;

  constructor(private make: (device: GPUDevice) => Compositor = (d) => new GpuCompositor(d)) {}

  /** Composites on the GPU when it can; false means the caller draws with the 2D compositor. */
  draw(scene: Scene, w: number, h: number): boolean {
    const frame = gpuFrameOf(scene.character);
    if (!frame || this.failedOn.has(frame.device)) {
      this.drop();
      return false;
    }
    try {
      if (this.compositor?.device !== frame.device) {
        this.drop();
        this.compositor = this.make(frame.device);
      }
      // The GPU has not finished the last frame: send that one again rather than queue more.
      if (this.compositor.busy && this.picture) return true;
      const next = this.compositor.draw(scene, frame, w, h);
      this.picture?.close();
      this.picture = next;
      this.frames++;
      return true;
    } catch (e) {
      console.warn('[AnimeCam:offscreen] GPU compositor failed; compositing on a 2D canvas on this device:', e);
      this.failedOn.add(frame.device);
      this.drop();
      return false;
    }
  }

  /** The frame to send when the last draw was on the GPU (null: send the 2D canvas). */
  videoFrame(timestampUs: number): VideoFrame | null {
    return this.picture ? new VideoFrame(this.picture, { timestamp: timestampUs }) : null;
  }

  drop(): void {
    this.picture?.close();
    this.picture = null;
    this.compositor?.dispose();
    this.compositor = null;
  }
}
