/**
 * Test build only (exposed by index.ts): composites one scene with both compositors inside the
 * offscreen document and compares the pictures at the source (no VP8 in between), and times both
 * paths on the main thread. Reads pixels back, so it is never used per frame.
 */
import { composite, STAMP_BITS, STAMP_BLOCK, type Scene } from '../pipeline/compositor';
import { GpuCompositor } from './gpu-compositor';
import { gpuFrameOf } from './gpu-frame';

export interface CompositorComparison {
  /** Largest and mean absolute difference of block means (0-255, RGB) between the two pictures. */
  maxBlockDiff: number;
  meanBlockDiff: number;
  /** The red value at the centre of each stamp block (2 rows of STAMP_BITS), 2D then GPU. */
  stamps2d: number[];
  stampsGpu: number[];
  /** Block means (RGB per block, row-major), for a failure message. */
  blocks2d: number[];
  blocksGpu: number[];
}

function pixelsOf(source: CanvasImageSource, w: number, h: number): Uint8ClampedArray {
  const c = new OffscreenCanvas(w, h);
  const ctx = c.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(source, 0, 0);
  return ctx.getImageData(0, 0, w, h).data;
}

function blockMeans(px: Uint8ClampedArray, w: number, h: number, block: number): number[] {
  const out: number[] = [];
  for (let by = 0; by + block <= h; by += block) {
    for (let bx = 0; bx + block <= w; bx += block) {
      let r = 0, g = 0, b = 0;
      for (let y = by; y < by + block; y++) {
        for (let x = bx; x < bx + block; x++) {
          const i = (y * w + x) * 4;
          r += px[i]!;
          g += px[i + 1]!;
          b += px[i + 2]!;
        }
      }
      const n = block * block;
      out.push(r / n, g / n, b / n);
    }
  }
  return out;
}

function stampReds(px: Uint8ClampedArray, w: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < 2; row++) for (let i = 0; i < STAMP_BITS; i++) out.push(px[((row * STAMP_BLOCK + STAMP_BLOCK / 2) * w + i * STAMP_BLOCK + STAMP_BLOCK / 2) * 4]!);
  return out;
}

function gpuFrame(scene: Scene) {
  const frame = gpuFrameOf(scene.character);
  if (!frame) throw new Error('the scene has no live GPU frame');
  return frame;
}

/**
 * Composites each scene with both compositors, all in one task (the renderer replaces and closes
 * its frame between tasks), then compares the pictures.
 */
export async function compareCompositors(scenes: Scene[], w: number, h: number, block = 16): Promise<CompositorComparison[]> {
  const drawn = scenes.map((scene) => {
    const frame = gpuFrame(scene);
    const canvas2d = new OffscreenCanvas(w, h);
    composite(canvas2d.getContext('2d', { alpha: false })!, w, h, scene);
    const gpu = new GpuCompositor(frame.device);
    try {
      return { frame, canvas2d, bitmap: gpu.draw(scene, frame, w, h) };
    } finally {
      gpu.dispose();
    }
  });
  const out: CompositorComparison[] = [];
  for (const { frame, canvas2d, bitmap } of drawn) {
    await frame.device.queue.onSubmittedWorkDone();
    const a = pixelsOf(canvas2d, w, h);
    const b = pixelsOf(bitmap, w, h);
    bitmap.close();
    const blocks2d = blockMeans(a, w, h, block);
    const blocksGpu = blockMeans(b, w, h, block);
    const diffs = blocks2d.map((v, i) => Math.abs(v - blocksGpu[i]!));
    out.push({
      maxBlockDiff: Math.max(...diffs),
      meanBlockDiff: diffs.reduce((s, d) => s + d, 0) / diffs.length,
      stamps2d: stampReds(a, w),
      stampsGpu: stampReds(b, w),
      blocks2d,
      blocksGpu,
    });
  }
  return out;
}

/**
 * Main-thread ms per frame of each compositor, as a track uses it: composite the scene and make
 * the VideoFrame that would be sent (then close it). `n` frames each, after 3 untimed ones; the
 * GPU's own time is not in these figures (the WebGPU queue is drained between frames).
 */
export async function timeCompositors(scene: Scene, w: number, h: number, n: number): Promise<{ ms2d: number; msGpu: number; frames: number }> {
  const frame = gpuFrame(scene);
  // The renderer closes its frame when the next one comes: the 2D run draws a copy of it.
  const copy = await createImageBitmap(scene.character as ImageBitmap);
  const scene2d: Scene = { ...scene, character: copy };
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { alpha: false, desynchronized: true })!;
  const run2d = () => {
    composite(ctx, w, h, scene2d);
    new VideoFrame(canvas, { timestamp: 0 }).close();
  };
  const gpu = new GpuCompositor(frame.device);
  const runGpu = () => {
    const bitmap = gpu.draw(scene, frame, w, h);
    new VideoFrame(bitmap, { timestamp: 0 }).close();
    bitmap.close();
  };
  const time = async (run: () => void, gpuQueue: boolean): Promise<number> => {
    for (let i = 0; i < 3; i++) run();
    await frame.device.queue.onSubmittedWorkDone();
    let ms = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      run();
      ms += performance.now() - t0;
      // Untimed: a task per frame, as ticks are, and the GPU done (the live path never queues more).
      await new Promise((r) => setTimeout(r, 0));
      if (gpuQueue) await frame.device.queue.onSubmittedWorkDone();
    }
    await frame.device.queue.onSubmittedWorkDone();
    return ms / n;
  };
  try {
    return { ms2d: await time(run2d, false), msGpu: await time(runGpu, true), frames: n };
  } finally {
    gpu.dispose();
    copy.close();
  }
}
