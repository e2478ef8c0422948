/**
 * The live WebGPU renderer: our WGSL kernels on a GPUDevice this module owns, the frame drawn into
 * a WebGPU OffscreenCanvas and handed on as an ImageBitmap, with no readback per frame. When the
 * device is lost, the next renderer gets a new device (the pipeline recreates its renderer when
 * `lost` settles).
 */
import type { StateDict } from '../../core/character/tensor';
import { createWgslRenderer } from '../../render/webgpu/wgsl-renderer';
import { createFramePresenter } from './present';

let current: GPUDevice | null = null;

/** Diagnostics: destroys the device the live renderer uses, as a driver reset would. */
export function loseOwnedGpuDevice(): boolean {
  if (!current) return false;
  current.destroy();
  return true;
}

export interface GpuFrameRenderer {
  readonly size: number;
  readonly lost: Promise<GPUDeviceLostInfo>;
  /** Renders a frame; settles when the GPU has done it (for frame pacing and timing). */
  render(pose: Float32Array): Promise<ImageBitmap>;
  dispose(): void;
}

export async function createGpuFrameRenderer(
  character: { face: StateDict; body: StateDict; imageTensor: Float32Array },
  size: number,
): Promise<GpuFrameRenderer> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  current = device;
  const lost = device.lost;
  void lost.then(() => {
    if (current === device) current = null;
  });
  try {
    const renderer = await createWgslRenderer({ device, character, size });
    const presenter = createFramePresenter(device, renderer.output, size);
    return {
      size,
      lost,
      async render(pose) {
        const enc = device.createCommandEncoder();
        renderer.encode(pose, enc);
        presenter.encode(enc);
        device.queue.submit([enc.finish()]);
        const bitmap = presenter.snapshot();
        await device.queue.onSubmittedWorkDone();
        return bitmap;
      },
      dispose() {
        renderer.dispose();
        device.destroy();
      },
    };
  } catch (e) {
    device.destroy();
    throw e;
  }
}
