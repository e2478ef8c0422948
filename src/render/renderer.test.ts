import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE } from '../core/model-graph/frame-model';
import { syntheticBody, syntheticFace } from '../core/model-graph/test-weights';
import { ORT_WASM_FILE } from './ort-files';
import { createRenderer, dropOrtWasmBytes, useOrtWasmBytes } from './renderer';

const SIZE = 16;
const character = { face: syntheticFace(), body: syntheticBody(), imageTensor: new Float32Array(4 * IMAGE_SIZE * IMAGE_SIZE) };

describe('createRenderer (wasm, Node)', () => {
  it('auto resolves to wasm in Node, renders frames and validates poses', async () => {
    const r = await createRenderer({ character, size: SIZE, backend: 'auto' });
    try {
      expect(r.backend).toBe('wasm');
      expect(r.backendReason).toMatch(/navigator\.gpu is not available/);
      const pose = new Array(45).fill(0);
      const a = await r.render(pose);
      expect(a).toHaveLength(4 * SIZE * SIZE);
      expect(a.every(Number.isFinite)).toBe(true);
      // Out-of-range values are clamped at the boundary, so they render like the clamped pose.
      const wild = [...pose];
      wild[39] = 7;
      wild[40] = Number.NaN;
      const clamped = [...pose];
      clamped[39] = 1;
      expect(Array.from(await r.render(wild))).toEqual(Array.from(await r.render(clamped)));
      await expect(r.render(new Float32Array(3))).rejects.toThrow(/45/);
      // Overlapping requests are queued, not rejected by the session.
      const both = await Promise.all([r.render(pose), r.render(clamped)]);
      expect(Array.from(both[0])).toEqual(Array.from(a));
      await expect(r.renderToGpu(pose)).rejects.toThrow(/webgpu/);
    } finally {
      await r.dispose();
    }
  });

  it('needs a model or a character', async () => {
    await expect(createRenderer({ backend: 'wasm' })).rejects.toThrow(/model or a character/);
  });
});

describe('useOrtWasmBytes', () => {
  it('hands onnxruntime-web the wasm bytes read from its folder, and lets them go', async () => {
    const asked: string[] = [];
    const bytes = new Uint8Array([0, 97, 115, 109]);
    await useOrtWasmBytes('chrome-extension://x/ort/', ORT_WASM_FILE, (async (url: string) => {
      asked.push(url);
      return new Response(bytes);
    }) as typeof fetch);
    expect(asked).toEqual([`chrome-extension://x/ort/${ORT_WASM_FILE}`]);
    expect([...(ort.env.wasm.wasmBinary as Uint8Array)]).toEqual([...bytes]);
    dropOrtWasmBytes();
    expect(ort.env.wasm.wasmBinary).toBeUndefined();
  });

  it('says which file it could not read', async () => {
    const missing = (async () => new Response('', { status: 404 })) as typeof fetch;
    await expect(useOrtWasmBytes('chrome-extension://x/ort/', ORT_WASM_FILE, missing)).rejects.toThrow(`${ORT_WASM_FILE}: HTTP 404`);
  });
});
