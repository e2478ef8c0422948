/**
 * The offscreen document's only WebGPU adapter request, and the facts the render plan is made
 * from. The adapter is asked for once per document (again only after a failed request).
 */
import type { GpuResult } from '../shared/messages';
import { planRender, type AdapterFacts, type RenderFacts } from './pipeline/render-plan';
import type { Settings } from '../shared/settings';

let adapter: Promise<{ adapter: GPUAdapter | null; problem?: string }> | null = null;
let gpuLost = false;

/** The adapter (null with the reason when there is none). */
export function gpuAdapter(): Promise<{ adapter: GPUAdapter | null; problem?: string }> {
  adapter ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return { adapter: null, problem: 'WebGPU is not available in this browser' };
    try {
      const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      return a ? { adapter: a } : { adapter: null, problem: 'no WebGPU adapter (GPU blocked or missing)' };
    } catch (e) {
      adapter = null; // a transient failure: ask again next time
      return { adapter: null, problem: `WebGPU adapter request failed: ${String(e)}` };
    }
  })();
  return adapter;
}

function factsOf(a: GPUAdapter): AdapterFacts {
  const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return { vendor: info.vendor.slice(0, 256), architecture: info.architecture.slice(0, 256), isFallbackAdapter: Boolean(info.isFallbackAdapter) };
}

/** The renderer's GPU device was lost: onnxruntime-web cannot move to a new device in this document. */
export function markGpuLost(): void {
  gpuLost = true;
}

/** Everything the render plan depends on, for these settings. */
export async function renderFacts(settings: Pick<Settings, 'renderBackend' | 'renderSize'>): Promise<RenderFacts> {
  // A WASM choice needs no adapter: do not wake the GPU for it.
  const a = settings.renderBackend === 'wasm' ? null : (await gpuAdapter()).adapter;
  return {
    choice: settings.renderBackend,
    renderSize: settings.renderSize,
    adapter: a ? factsOf(a) : null,
    gpuLost,
    cores: navigator.hardwareConcurrency || 2,
    crossOriginIsolated: self.crossOriginIsolated,
  };
}

/**
 * Diagnostics: the adapter and what the automatic render plan would do with it. No device is made
 * here: an adapter gives one device, and that one is the renderer's.
 */
export async function probeGpu(): Promise<GpuResult> {
  const { adapter: a, problem } = await gpuAdapter();
  if (!a) return { ok: false, backend: 'wasm', adapter: null, reason: problem ?? 'no WebGPU adapter' };
  const facts = factsOf(a);
  const plan = planRender({ ...(await renderFacts({ renderBackend: 'auto', renderSize: 'auto' })), adapter: facts });
  return {
    ok: true,
    backend: 'webgpu',
    adapter: { vendor: facts.vendor ?? '', architecture: facts.architecture ?? '', isFallbackAdapter: Boolean(facts.isFallbackAdapter) },
    reason: plan.why.slice(0, 2048),
  };
}
