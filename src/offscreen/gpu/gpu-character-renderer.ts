/**
 * The live WebGPU renderer: our WGSL kernels (src/render/webgpu) on the pipeline's own GPUDevice,
 * the frame drawn into a WebGPU canvas and handed on as an ImageBitmap. Nothing is read back per
 * frame: one small uniform write (the pose), the dispatches, one render pass, one snapshot.
 * Where the browser cannot show a WebGPU canvas at all (see gpu.ts), the frame is read back
 * instead (one copy and map per frame) and drawn on a 2D canvas: still our kernels, but slower.
 *
 * At the automatic size the frame size adapts (adaptive-size.ts): a renderer for the new size is
 * made on the same device while the current one keeps serving, then swapped in.
 */
import type { StateDict } from '../../core/character/tensor';
import { createWgslRenderer, type WgslRenderer } from '../../render/webgpu/wgsl-renderer';
import { frameToCanvasRgba } from '../pipeline/frame-pixels';
import { AdaptiveSize, describeChange } from './adaptive-size';
import { createFramePresenter, type FramePresenter } from './present';

export interface GpuCharacter {
  face: StateDict;
  body: StateDict;
  imageTensor: Float32Array;
}

export interface GpuCharacterRenderer {
  /** The size frames are rendered at now. */
  readonly size: number;
  /** What the size adaptation did last (null when it did nothing, or the size is fixed). */
  readonly adaptation: string | null;
  readonly lost: Promise<GPUDeviceLostInfo>;
  /**
   * Renders a frame; settles when the GPU has done it. An ImageBitmap is the caller's to close;
   * a canvas (the readback mode) stays valid until the next frame.
   */
  render(pose: Float32Array): Promise<ImageBitmap | OffscreenCanvas>;
  dispose(): void;
}

/** One frame size's kernels and presenter. */
export interface Stage {
  readonly size: number;
  /** Records the frame's dispatches and its draw into the canvas (or its copy for readback). */
  encode(pose: Float32Array, encoder: GPUCommandEncoder): void;
  /** Called right after the submit: the picture, once the GPU has made it. */
  picture(): Promise<ImageBitmap | OffscreenCanvas>;
  free(): void;
}

async function makeStage(device: GPUDevice, character: GpuCharacter, size: number, present: boolean): Promise<Stage> {
  const kernels: WgslRenderer = await createWgslRenderer({ device, character, size });
  try {
    return present ? presentStage(device, kernels, size) : readbackStage(device, kernels, size);
  } catch (e) {
    kernels.dispose();
    throw e;
  }
}

function presentStage(device: GPUDevice, kernels: WgslRenderer, size: number): Stage {
  const presenter: FramePresenter = createFramePresenter(device, kernels.output, size);
  return {
    size,
    encode(pose, encoder) {
      kernels.encode(pose, encoder);
      presenter.encode(encoder);
    },
    picture: () => Promise.resolve(presenter.snapshot()),
    free() {
      presenter.dispose();
      kernels.dispose();
    },
  };
}

/** The fallback where WebGPU canvases cannot be shown: the frame comes back to a 2D canvas. */
function readbackStage(device: GPUDevice, kernels: WgslRenderer, size: number): Stage {
  const bytes = kernels.output.size;
  const staging = device.createBuffer({ label: 'frame readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d')!;
  const pixels = new ImageData(size, size);
  return {
    size,
    encode(pose, encoder) {
      kernels.encode(pose, encoder);
      encoder.copyBufferToBuffer(kernels.output, 0, staging, 0, bytes);
    },
    async picture() {
      await staging.mapAsync(GPUMapMode.READ);
      try {
        frameToCanvasRgba(new Float32Array(staging.getMappedRange()), size, pixels.data);
      } finally {
        staging.unmap();
      }
      ctx.putImageData(pixels, 0, 0);
      return canvas;
    },
    free() {
      staging.destroy();
      kernels.dispose();
    },
  };
}

export async function createGpuCharacterRenderer(
  device: GPUDevice,
  character: GpuCharacter,
  opts: { size: number; adaptive: boolean; present: boolean },
  // Injected in unit tests (no GPU in Node).
  deps: { makeStage(size: number): Promise<Stage>; now(): number } = { makeStage: (n) => makeStage(device, character, n, opts.present), now: () => performance.now() },
): Promise<GpuCharacterRenderer> {
  const { now } = deps;
  const sizer = opts.adaptive ? new AdaptiveSize(opts.size) : null;
  /** Frames of each stage not yet done on the GPU: a replaced stage is freed once it is idle. */
  const inFlight = new Map<Stage, number>();
  const retired = new Set<Stage>();
  let stage = await deps.makeStage(sizer?.size ?? opts.size);
  let adaptation: string | null = null;
  let disposed = false;
  let building = false;

  const retire = (s: Stage) => {
    retired.add(s);
    if (!inFlight.get(s)) {
      retired.delete(s);
      s.free();
    }
  };

  // One new stage at a time; the size asked for last wins.
  const follow = async (): Promise<void> => {
    if (!sizer || building) return;
    building = true;
    while (!disposed && sizer.size !== stage.size) {
      const want = sizer.size;
      try {
        const next = await deps.makeStage(want);
        if (disposed) {
          next.free();
          break;
        }
        const old = stage;
        stage = next;
        retire(old);
        console.info(`[AnimeCam:offscreen] GPU render size now ${want} px`);
      } catch (e) {
        console.warn(`[AnimeCam:offscreen] could not make the ${want} px GPU renderer; keeping ${stage.size} px:`, e);
        break;
      }
    }
    building = false;
  };

  return {
    get size() {
      return stage.size;
    },
    get adaptation() {
      return adaptation;
    },
    lost: device.lost,
    async render(pose) {
      if (disposed) throw new Error('GPU renderer disposed');
      const s = stage;
      inFlight.set(s, (inFlight.get(s) ?? 0) + 1);
      try {
        const t0 = now();
        // Pushed and popped in the same task, so a renderer being made meanwhile keeps its own scope.
        device.pushErrorScope('validation');
        const encoder = device.createCommandEncoder({ label: 'frame' });
        s.encode(pose, encoder);
        device.queue.submit([encoder.finish()]);
        const picture = s.picture();
        const scope = device.popErrorScope();
        await device.queue.onSubmittedWorkDone();
        const [image, error] = await Promise.all([picture, scope]);
        if (error) {
          if ('close' in image) image.close();
          throw new Error(`GPU frame failed: ${error.message}`);
        }
        const change = sizer?.frame(s.size, now() - t0, now());
        if (change) {
          adaptation = describeChange(change);
          void follow();
        }
        return image;
      } finally {
        const left = (inFlight.get(s) ?? 1) - 1;
        if (left > 0) inFlight.set(s, left);
        else inFlight.delete(s);
        if (left <= 0 && retired.has(s)) retire(s);
      }
    },
    dispose() {
      disposed = true;
      retire(stage);
    },
  };
}
