import { describe, expect, it } from 'vitest';
import { detectBackend } from './backend';

const adapter = { info: { vendor: 'google', architecture: 'swiftshader' } };

describe('detectBackend', () => {
  it('auto picks WebGPU when an adapter is available and says which', async () => {
    const d = await detectBackend('auto', { requestAdapter: async () => adapter });
    expect(d).toEqual({ backend: 'webgpu', reason: 'WebGPU adapter (google swiftshader) found' });
  });

  it('auto falls back to wasm with the reason', async () => {
    expect(await detectBackend('auto', undefined)).toEqual({ backend: 'wasm', reason: 'navigator.gpu is not available; using wasm' });
    expect((await detectBackend('auto', { requestAdapter: async () => null })).reason).toMatch(/returned no adapter; using wasm/);
    const failing = { requestAdapter: async () => Promise.reject(new Error('boom')) };
    expect(await detectBackend('auto', failing)).toEqual({ backend: 'wasm', reason: 'navigator.gpu.requestAdapter() failed: boom; using wasm' });
  });

  it('an explicit webgpu request fails loudly without an adapter; wasm never probes', async () => {
    await expect(detectBackend('webgpu', undefined)).rejects.toThrow(/WebGPU backend requested but navigator.gpu is not available/);
    expect(await detectBackend('wasm', { requestAdapter: async () => adapter })).toEqual({ backend: 'wasm', reason: 'wasm requested' });
  });
});
