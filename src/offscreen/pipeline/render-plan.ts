/**
 * The one place that decides how the character is rendered in the extension: the backend (WebGPU
 * or WASM), on WebGPU the engine (our WGSL kernels, else onnxruntime-web's WebGPU as a fallback),
 * the frame size (fixed, or adapting on the GPU) and the WASM thread count, with a sentence saying
 * why (shown to the user). Pure: the offscreen document gathers the facts (one adapter request, in
 * gpu.ts) and every other part receives the plan.
 */
import type { Settings } from '../../shared/settings';
import { CPU_SEND_PIXELS } from './send-size';

export type RenderBackend = 'webgpu' | 'wasm';

export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  /** A software adapter (SwiftShader): slower than the WASM renderer. */
  isFallbackAdapter?: boolean;
}

export interface RenderFacts {
  choice: Settings['renderBackend'];
  renderSize: Settings['renderSize'];
  /** The WebGPU adapter, or null when there is none. */
  adapter: AdapterFacts | null;
  /** A GPU device of the pipeline was lost in this document (`adapter` is then a new request). */
  gpuLost: boolean;
  /** onnxruntime-web's device was lost: it cannot move to a new one within the document. */
  ortDeviceLost?: boolean;
  cores: number;
  /** Threads need SharedArrayBuffer, i.e. cross-origin isolation. */
  crossOriginIsolated: boolean;
}

/** On WebGPU: our WGSL kernels, or onnxruntime-web's WebGPU backend (the fallback). */
export type GpuEngine = 'wgsl' | 'ort';

export interface RenderPlan {
  backend: RenderBackend;
  /** With WebGPU: which renderer runs on it. */
  engine?: GpuEngine;
  size: number;
  /** The size adapts to measured frame times (WebGPU at the automatic size; adaptive-size.ts). */
  adaptive: boolean;
  threads: number;
  /**
   * Least time between two renders when no new face observation came in (idle motion, breathing,
   * voice, smoothing between observations). On the CPU every render competes with tracking and the
   * encoders for the same cores, so those renders are paced; on a GPU every tick renders.
   */
  idleRenderMs: number;
  why: string;
  /** With WebGPU: what to use if this renderer cannot be made after all. */
  fallback?: RenderPlan;
}

export const WEBGPU_AUTO_SIZE = 512;
/** On the CPU, renders of an unchanged observation at most 15 Hz (new observations render at once). */
export const WASM_IDLE_RENDER_MS = 1000 / 15;

/**
 * Most pixels a frame carries from this document to the page (send-size.ts): on the CPU the
 * character is small and the loopback's encoder competes with tracking and rendering for the
 * cores; on a GPU frames go at the track's size.
 */
export function maxSendPixels(backend: RenderBackend | null): number {
  return backend === 'wasm' ? CPU_SEND_PIXELS : Infinity;
}

/** WASM sizes when nothing else is set: the CPU path must stay live on ordinary laptops. */
export function autoWasmSize(cores: number): number {
  return cores >= 8 ? 192 : 128;
}

export function planRender(f: RenderFacts): RenderPlan {
  const cores = Math.max(1, Math.floor(f.cores) || 1);
  // WASM threads per render worker. Two workers run (body morpher, and the per-frame rest), beside
  // the tracker and the encoders: on few cores one thread each; more only where cores are spare.
  const threads = f.crossOriginIsolated && cores >= 6 ? 2 : 1;
  const sizeFor = (b: RenderBackend) => (typeof f.renderSize === 'number' ? f.renderSize : b === 'webgpu' ? WEBGPU_AUTO_SIZE : autoWasmSize(cores));
  const wasm = (why: string): RenderPlan => ({ backend: 'wasm', size: sizeFor('wasm'), adaptive: false, threads, idleRenderMs: WASM_IDLE_RENDER_MS, why });
  const webgpu = (why: string): RenderPlan => {
    const onGpu = { backend: 'webgpu' as const, size: sizeFor('webgpu'), threads, idleRenderMs: 0 };
    const last = wasm('WebGPU could not take the model: using the CPU (WASM) renderer');
    // onnxruntime-web keeps the GPU path alive where our kernels fail to start, unless its device
    // was lost (it cannot make another in this document). Its size stays fixed.
    const ort: RenderPlan | undefined = f.ortDeviceLost ? undefined : { ...onGpu, engine: 'ort', adaptive: false, why: `${why}, onnxruntime-web's WebGPU renderer`, fallback: last };
    return { ...onGpu, engine: 'wgsl', adaptive: f.renderSize === 'auto', why, fallback: ort ?? last };
  };
  if (f.choice === 'wasm') return wasm('CPU (WASM) renderer chosen in settings');
  if (!f.adapter) {
    return wasm(f.gpuLost ? 'The GPU device was lost and no GPU came back: using the CPU (WASM) renderer' : 'No WebGPU here: using the slower CPU (WASM) renderer at a smaller size');
  }
  const name = [f.adapter.vendor, f.adapter.architecture].filter(Boolean).join(' ') || 'unknown GPU';
  const renewed = f.gpuLost ? ', on a new device after the last one was lost' : '';
  if (f.choice === 'webgpu') return webgpu(`WebGPU on ${name} (chosen in settings)${renewed}`);
  if (f.adapter.isFallbackAdapter) return wasm(`WebGPU here is a software fallback (${name}), slower than the CPU renderer: using WASM`);
  return webgpu(`WebGPU on ${name}${renewed}`);
}
