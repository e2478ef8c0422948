/** Acquires a WebGPU device, or explains why the WASM fallback will be used. */
import type { GpuResult } from '../shared/messages';

let device: GPUDevice | null = null;

export async function probeGpu(): Promise<GpuResult> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return { ok: false, backend: 'wasm', adapter: null, reason: 'WebGPU is not available in this browser' };
  }
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { ok: false, backend: 'wasm', adapter: null, reason: 'no WebGPU adapter (GPU blocked or missing)' };
    const info = adapter.info;
    const adapterInfo = {
      vendor: info.vendor.slice(0, 256),
      architecture: info.architecture.slice(0, 256),
      isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
    };
    device ??= await adapter.requestDevice();
    void device.lost.then((lost) => {
      console.warn('[AnimeCam:offscreen] GPU device lost:', lost.reason, lost.message);
      device = null;
    });
    return { ok: true, backend: 'webgpu', adapter: adapterInfo };
  } catch (e) {
    return { ok: false, backend: 'wasm', adapter: null, reason: `WebGPU device could not be created: ${String(e)}` };
  }
}
