import { describe, expect, it } from 'vitest';
import { planRender, WASM_IDLE_RENDER_MS, type RenderFacts } from './render-plan';

const facts = (over: Partial<RenderFacts> = {}): RenderFacts => ({
  choice: 'auto',
  renderSize: 'auto',
  adapter: { vendor: 'nvidia', architecture: 'ampere' },
  gpuLost: false,
  cores: 8,
  crossOriginIsolated: true,
  ...over,
});

describe('planRender', () => {
  it('auto with a hardware adapter: our WGSL kernels at an adaptive 512, then onnxruntime-web WebGPU, then WASM, and says why', () => {
    const p = planRender(facts());
    expect(p).toMatchObject({ backend: 'webgpu', engine: 'wgsl', size: 512, adaptive: true, threads: 2, why: 'WebGPU on nvidia ampere' });
    expect(p.fallback).toMatchObject({ backend: 'webgpu', engine: 'ort', size: 512, adaptive: false });
    expect(p.fallback?.fallback).toMatchObject({ backend: 'wasm', size: 192, adaptive: false, threads: 2 });
  });

  it('a size set in settings is kept on the GPU (no adaptation)', () => {
    expect(planRender(facts({ renderSize: 384 }))).toMatchObject({ backend: 'webgpu', engine: 'wgsl', size: 384, adaptive: false });
    expect(planRender(facts({ choice: 'webgpu', renderSize: 64 }))).toMatchObject({ engine: 'wgsl', size: 64, adaptive: false });
  });

  it('auto on a software adapter or without one: WASM at a size for the cores', () => {
    expect(planRender(facts({ adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true } }))).toMatchObject({
      backend: 'wasm',
      size: 192,
      why: expect.stringMatching(/software fallback \(google swiftshader\)/),
    });
    expect(planRender(facts({ adapter: null, cores: 2 }))).toMatchObject({ backend: 'wasm', size: 128, threads: 1, why: expect.stringMatching(/No WebGPU/) });
  });

  it('paces renders without a new observation on the CPU only', () => {
    const gpu = planRender(facts({}));
    expect(gpu.idleRenderMs).toBe(0);
    expect(gpu.fallback?.fallback).toMatchObject({ backend: 'wasm', idleRenderMs: WASM_IDLE_RENDER_MS });
    expect(planRender(facts({ adapter: null })).idleRenderMs).toBeCloseTo(1000 / 15);
  });

  it('an explicit choice wins over the adapter kind; wasm never needs an adapter', () => {
    expect(planRender(facts({ choice: 'webgpu', adapter: { architecture: 'swiftshader', isFallbackAdapter: true } }))).toMatchObject({ backend: 'webgpu', why: 'WebGPU on swiftshader (chosen in settings)' });
    expect(planRender(facts({ choice: 'wasm' }))).toMatchObject({ backend: 'wasm', why: 'CPU (WASM) renderer chosen in settings' });
    expect(planRender(facts({ choice: 'webgpu', adapter: null })).backend).toBe('wasm');
  });

  it('after a lost GPU device: WebGPU again on the new adapter, WASM only if none came back', () => {
    const again = planRender(facts({ gpuLost: true, choice: 'webgpu' }));
    expect(again).toMatchObject({ backend: 'webgpu', engine: 'wgsl', why: expect.stringMatching(/new device after the last one was lost/) });
    expect(planRender(facts({ gpuLost: true }))).toMatchObject({ backend: 'webgpu', engine: 'wgsl', adaptive: true });
    expect(planRender(facts({ gpuLost: true, adapter: null, choice: 'webgpu' }))).toMatchObject({ backend: 'wasm', why: expect.stringMatching(/GPU device was lost and no GPU came back/) });
  });

  it('onnxruntime-web is left out of the fallbacks once its own device was lost (it cannot make another)', () => {
    const p = planRender(facts({ gpuLost: true, ortDeviceLost: true }));
    expect(p).toMatchObject({ backend: 'webgpu', engine: 'wgsl' });
    expect(p.fallback).toMatchObject({ backend: 'wasm' });
  });

  it('a size set in settings applies to either backend', () => {
    expect(planRender(facts({ renderSize: 256 })).size).toBe(256);
    expect(planRender(facts({ renderSize: 256, choice: 'wasm' })).size).toBe(256);
  });

  it('threads per render worker: one without cross-origin isolation or on few cores, two with spare cores', () => {
    expect(planRender(facts({ crossOriginIsolated: false })).threads).toBe(1);
    expect(planRender(facts({ cores: 4 })).threads).toBe(1);
    expect(planRender(facts({ cores: 16 })).threads).toBe(2);
    expect(planRender(facts({ cores: 0 })).threads).toBe(1);
  });
});
