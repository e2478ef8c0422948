/**
 * The one place that decides how the character is rendered in the extension: the backend (WebGPU
 * or WASM), the frame size and the WASM thread count, with a sentence saying why (shown to the
 * user). Pure: the offscreen document gathers the facts (one adapter request, in gpu.ts) and every
 * other part receives the plan.
 */
import type { Settings } from '../../shared/settings';

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
  /** The document's GPU device was lost: onnxruntime-web cannot move to a new one. */
  gpuLost: boolean;
  cores: number;
  /** Threads need SharedArrayBuffer, i.e. cross-origin isolation. */
  crossOriginIsolated: boolean;
}

export interface RenderPlan {
  backend: RenderBackend;
  size: number;
  threads: number;
  why: string;
  /** With WebGPU: what to use if the GPU cannot take the model after all. */
  fallback?: RenderPlan;
}

export const WEBGPU_AUTO_SIZE = 512;

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
  const wasm = (why: string): RenderPlan => ({ backend: 'wasm', size: sizeFor('wasm'), threads, why });
  const webgpu = (why: string): RenderPlan => ({
    backend: 'webgpu',
    size: sizeFor('webgpu'),
    threads,
    why,
    fallback: wasm('WebGPU could not take the model: using the CPU (WASM) renderer'),
  });
  if (f.choice === 'wasm') return wasm('CPU (WASM) renderer chosen in settings');
  if (f.gpuLost) return wasm('The GPU device was lost: using the CPU (WASM) renderer until AnimeCam restarts');
  if (!f.adapter) return wasm('No WebGPU here: using the slower CPU (WASM) renderer at a smaller size');
  const name = [f.adapter.vendor, f.adapter.architecture].filter(Boolean).join(' ') || 'unknown GPU';
  if (f.choice === 'webgpu') return webgpu(`WebGPU on ${name} (chosen in settings)`);
  if (f.adapter.isFallbackAdapter) return wasm(`WebGPU here is a software fallback (${name}), slower than the CPU renderer: using WASM`);
  return webgpu(`WebGPU on ${name}`);
}
