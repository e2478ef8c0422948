/**
 * The live WebGPU renderer: our WGSL kernels (src/render/webgpu) on the pipeline's own GPUDevice,
 * the frame drawn into a WebGPU canvas and handed on as an ImageBitmap. Nothing is read back per
 * frame: one small uniform write (the pose), the dispatches, one render pass, one snapshot.
 *
 * At the automatic size the frame size adapts (adaptive-size.ts): a renderer for the new size is
 * made on the same device while the current one keeps serving, then swapped in.
 */
import type { StateDict } from '../../core/character/tensor';
import { createWgslRenderer, type WgslRenderer } from '../../render/webgpu/wgsl-renderer';
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
  /** Renders a frame; settles when the GPU has done it. The caller closes the bitmap. */
  render(pose: Float32Array): Promise<ImageBitmap>;
  dispose(): void;
}

/** One frame size's kernels and presenter. */
export interface Stage {
  readonly size: number;
  /** Records the frame's dispatches and its draw into the canvas. */
  encode(pose: Float32Array, encoder: GPUCommandEncoder): void;
  /** The canvas's picture, after the submit. */
  snapshot(): ImageBitmap;
  free(): void;
}

async function makeStage(device: GPUDevice, character: GpuCharacter, size: number): Promise<Stage> {
  const kernels: WgslRenderer = await createWgslRenderer({ device, character, size });
  let presenter: FramePresenter;
  try {
    presenter = createFramePresenter(device, kernels.output, size);
  } catch (e) {
    kernels.dispose();
    throw e;
  }
  return {
    size,
    encode(pose, encoder) {
      kernels.encode(pose, encoder);
      presenter.encode(encoder);
    },
    snapshot: () => presenter.snapshot(),
    free() {
      presenter.dispose();
      kernels.dispose();
    },
  };
}

export async function createGpuCharacterRenderer(
  device: GPUDevice,
  character: GpuCharacter,
  opts: { size: number; adaptive: boolean },
  // Injected in unit tests (no GPU in Node).
  deps: { makeStage(size: number): Promise<Stage>; now(): number } = { makeStage: (n) => makeStage(device, character, n), now: () => performance.now() },
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
        const bitmap = s.snapshot();
        const scope = device.popErrorScope();
        await device.queue.onSubmittedWorkDone();
        const error = await scope;
        if (error) {
          bitmap.close();
          throw new Error(`GPU frame failed: ${error.message}`);
        }
        const change = sizer?.frame(s.size, now() - t0, now());
        if (change) {
          adaptation = describeChange(change);
          void follow();
        }
        return bitmap;
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
