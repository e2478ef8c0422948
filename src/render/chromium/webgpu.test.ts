/**
 * The renderer on WebGPU in headless Chromium, against the wasm backend in the same page, on a
 * small frame (SwiftShader runs at about 0.4 GFLOP/s, so a 512 frame would take minutes).
 * Opt-in (ANIMECAM_WEBGPU_TESTS=1): it needs Chromium and takes about a minute.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../../../scripts/lib/shared-path';
import { readStateDict } from '../../core/character/checkpoint';
import { buildFrameModel } from '../../core/model-graph/frame-model';
import type { SineMode } from '../../core/model-graph/sine';
import { errorStats } from '../error-stats';
import { startChromiumHarness, type ChromiumHarness } from './run-in-chromium';

const SIZE = 64;
const shared = sharedDir();
const enabled = process.env.ANIMECAM_WEBGPU_TESTS === '1' && shared !== null;

describe.skipIf(!enabled)('renderer on WebGPU (headless Chromium)', () => {
  let harness: ChromiumHarness;
  let model: (sine: SineMode) => Uint8Array;
  let wasmFrame: Float32Array;
  const pose = Float32Array.from({ length: 45 }, (_, i) => ((i * 7) % 11) / 11);
  pose[39] = 0.5;

  beforeAll(async () => {
    const dir = join(shared as string, 'tha4', 'lambda_00');
    const b = readFileSync(join(shared as string, 'tha4', 'golden', 'input_lambda_00.f32'));
    const tensors = {
      face: readStateDict(readFileSync(join(dir, 'face_morpher.pt')), 'face_morpher.pt'),
      body: readStateDict(readFileSync(join(dir, 'body_morpher.pt')), 'body_morpher.pt'),
      imageTensor: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
    };
    model = (sine) => buildFrameModel({ ...tensors, size: SIZE, sine });
    harness = await startChromiumHarness();
    wasmFrame = (await harness.render(model('polynomial'), pose, SIZE, 'wasm')).frame;
  }, 300_000);
  afterAll(async () => harness?.close());

  // 'native-reduced' is not held to this: SwiftShader's sin moved the frame by up to 0.13.
  for (const sine of ['polynomial'] as SineMode[]) {
    it(`${sine}: matches wasm, and renderToGpu leaves the frame in a GPU buffer`, async () => {
      const r = await harness.render(model(sine), pose, SIZE, 'webgpu', 0, undefined, undefined, true);
      expect(r.backend).toBe('webgpu');
      expect(r.gpuBufferBytes).toBe(4 * 4 * SIZE * SIZE);
      const s = errorStats(r.frame, wasmFrame);
      console.info(`webgpu ${sine} vs wasm at ${SIZE}: max ${s.max.toExponential(2)} p99.9 ${s.p999.toExponential(2)} mean ${s.mean.toExponential(2)}`);
      expect(s.max).toBeLessThanOrEqual(1e-3);
      expect(s.mean).toBeLessThanOrEqual(1e-5);
    }, 300_000);
  }
});
