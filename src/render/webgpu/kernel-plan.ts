/**
 * What one frame of the WGSL renderer costs, counted from the kernels as laid out (not timed):
 * dispatches, bytes read and written, and arithmetic. Pure.
 *
 * Byte model (DRAM traffic with caches doing their job inside one dispatch): each buffer region
 * a kernel touches is counted once per dispatch: weights and tables it reads, its input
 * activations (a bilinear upsample reads each coarse pixel for several outputs but from cache),
 * its outputs; for the warp, the pasted image's texels a frame samples (at most the whole image).
 * Hidden state never leaves the kernel, so it is not counted.
 */
import { FACE_PATCH_SIZE } from '../../core/character/architecture';
import { IMAGE_SIZE } from '../../core/model-graph/frame-model';
import type { DenseSlot, FirstSlot, ModelLayout, StageLayout } from './model-layout';

/** FLOPs of one activation: round, subtract, abs, subtract, five polynomial steps (mul + add). */
export const SINE_FLOPS = 14;

export interface KernelCost {
  name: string;
  /** Invocations (one per pixel). */
  invocations: number;
  bytesRead: number;
  bytesWritten: number;
  flops: number;
}

export interface FrameCost {
  kernels: KernelCost[];
  dispatches: number;
  bytesRead: number;
  bytesWritten: number;
  flops: number;
  /** Bytes written by the CPU per frame (the pose vectors). */
  uploadBytes: number;
}

const VEC4 = 16;
const denseBytes = (d: DenseSlot): number => (4 * d.outV * d.inV + (d.bias >= 0 ? d.outV : 0)) * VEC4;
/** Multiply-adds of a dense layer per pixel (padded channels count: the kernel does them). */
const denseFlops = (d: DenseSlot, activate: boolean): number => 2 * 16 * d.outV * d.inV + (activate ? 4 * d.outV * SINE_FLOPS : 0);
const tableBytes = (s: FirstSlot, n: number): number => 2 * n * s.outV * VEC4;

function stageCost(st: StageLayout, lastActivates: boolean): { constBytes: number; flopsPerPixel: number } {
  const constBytes = tableBytes(st.first, st.grid) + st.hidden.reduce((a, d) => a + denseBytes(d), 0) + denseBytes(st.out);
  const flopsPerPixel = 4 * st.first.outV * (2 + SINE_FLOPS) + st.hidden.reduce((a, d) => a + denseFlops(d, true), 0) + denseFlops(st.out, lastActivates);
  return { constBytes, flopsPerPixel };
}

/** The kernels of one frame in dispatch order, as wgsl-source.ts generates them. */
export function frameCost(layout: ModelLayout): FrameCost {
  const kernels: KernelCost[] = [];
  const face = layout.face;
  const fc = stageCost(face, false);
  const faceDirect = face.grid === FACE_PATCH_SIZE;
  kernels.push({
    name: 'face',
    invocations: face.grid ** 2,
    bytesRead: fc.constBytes + layout.poseVec4s * VEC4,
    bytesWritten: face.grid ** 2 * VEC4,
    flops: face.grid ** 2 * fc.flopsPerPixel,
  });
  if (!faceDirect) {
    kernels.push({ name: 'faceUp', invocations: FACE_PATCH_SIZE ** 2, bytesRead: face.grid ** 2 * VEC4, bytesWritten: FACE_PATCH_SIZE ** 2 * VEC4, flops: FACE_PATCH_SIZE ** 2 * 4 * 6 });
  }
  const last = layout.levels.length - 1;
  layout.levels.forEach((st, li) => {
    const c = stageCost(st, false);
    const px = st.grid ** 2;
    // Upsample: 4 taps, 6 flops per channel.
    const upFlops = li > 0 ? px * 4 * st.first.outV * 6 : 0;
    const input = li > 0 ? layout.levels[li - 1].grid ** 2 * st.first.outV * VEC4 : 0;
    let bytesRead = c.constBytes + input + (li < last ? layout.poseVec4s * VEC4 : 0);
    let bytesWritten = li < last ? px * st.out.outV * VEC4 : 0;
    let flops = px * c.flopsPerPixel + upFlops;
    if (li === last) {
      // Warp (4 taps of RGBA) and blend; output as 4 float planes.
      bytesRead += Math.min(4 * px, IMAGE_SIZE * IMAGE_SIZE) * VEC4;
      bytesWritten += px * VEC4;
      flops += px * (4 * 4 * 2 + 20 + 4 * 3);
    }
    kernels.push({ name: `level${li}`, invocations: px, bytesRead, bytesWritten, flops });
  });
  const sum = (k: keyof Pick<KernelCost, 'bytesRead' | 'bytesWritten' | 'flops'>): number => kernels.reduce((a, x) => a + x[k], 0);
  return { kernels, dispatches: kernels.length, bytesRead: sum('bytesRead'), bytesWritten: sum('bytesWritten'), flops: sum('flops'), uploadBytes: layout.poseVec4s * VEC4 };
}

export interface GpuModel {
  name: string;
  /** Bytes per second. */
  bandwidth: number;
  /** FLOP per second (fp32). */
  flops: number;
}

export const REFERENCE_GPUS: readonly GpuModel[] = [
  { name: 'laptop iGPU (60 GB/s, 2 TFLOP/s)', bandwidth: 60e9, flops: 2e12 },
  { name: 'discrete GPU (360 GB/s, 12.7 TFLOP/s)', bandwidth: 360e9, flops: 12.7e12 },
];

export interface BoundTime {
  /** Time to move the frame's bytes at full bandwidth, ms. */
  memoryMs: number;
  /** Time for the frame's arithmetic at peak, ms. */
  computeMs: number;
  /** The larger of the two: a lower bound on the frame time. */
  boundMs: number;
  bound: 'memory' | 'compute';
}

/** Roofline lower bound of a frame on a GPU (ignores launch overhead and occupancy). */
export function boundFrameTime(cost: Pick<FrameCost, 'bytesRead' | 'bytesWritten' | 'flops'>, gpu: GpuModel): BoundTime {
  const memoryMs = ((cost.bytesRead + cost.bytesWritten) / gpu.bandwidth) * 1000;
  const computeMs = (cost.flops / gpu.flops) * 1000;
  return { memoryMs, computeMs, boundMs: Math.max(memoryMs, computeMs), bound: memoryMs >= computeMs ? 'memory' : 'compute' };
}
