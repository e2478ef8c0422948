export type Backend = 'wasm' | 'webgpu';
export type BackendChoice = Backend | 'auto';

export interface BackendDecision {
  backend: Backend;
  reason: string;
}

/** The part of navigator.gpu we use (typed here so the code does not need WebGPU lib types). */
interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string } } | null>;
}

function navigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu;
}

/** Resolves 'auto' (WebGPU when navigator.gpu gives an adapter) and checks an explicit 'webgpu'. */
export async function detectBackend(choice: BackendChoice, gpu: GpuLike | undefined = navigatorGpu()): Promise<BackendDecision> {
  if (choice === 'wasm') return { backend: 'wasm', reason: 'wasm requested' };
  let why: string;
  if (!gpu) {
    why = 'navigator.gpu is not available';
  } else {
    try {
      const adapter = await gpu.requestAdapter();
      if (adapter) {
        const info = adapter.info;
        const name = [info?.vendor, info?.architecture].filter(Boolean).join(' ');
        return { backend: 'webgpu', reason: `WebGPU adapter${name ? ` (${name})` : ''}${choice === 'auto' ? ' found' : ' requested'}` };
      }
      why = 'navigator.gpu.requestAdapter() returned no adapter';
    } catch (e) {
      why = `navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (choice === 'webgpu') throw new Error(`WebGPU backend requested but ${why}`);
  return { backend: 'wasm', reason: `${why}; using wasm` };
}
