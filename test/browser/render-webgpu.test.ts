/**
 * The renderers on WebGPU in headless Chromium (SwiftShader here):
 * - our WGSL kernels (src/render/webgpu): every golden case at 64x64 against the WASM backend at
 *   the same size, in the same page; two cases at full size (512) against the PyTorch goldens;
 * - onnxruntime-web's WebGPU backend (still the live path's GPU renderer): one case at 64x64
 *   (a 512 frame takes it minutes here);
 * - the command line's --backend webgpu (WGSL) against --backend wasm.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, requireSharedDir } from '../../scripts/lib/shared-path';
import { readStateDict } from '../../src/core/character/checkpoint';
import { buildFrameModel, FrameModelNames } from '../../src/core/model-graph/frame-model';
import type { StateDict } from '../../src/core/character/tensor';
import { errorStats } from '../../src/render/error-stats';
import { startChromiumHarness, type ChromiumHarness } from '../support/render-harness/run-in-chromium';

const shared = requireSharedDir();
const golden = join(shared, 'tha4', 'golden');
interface Case { name: string; character: string; pose: number[]; files: { face: string; final: string | null } }
const cases = (JSON.parse(readFileSync(join(golden, 'poses.json'), 'utf8')) as { cases: Case[] }).cases;

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const characters = new Map<string, { face: StateDict; body: StateDict; imageTensor: Float32Array }>();
function character(id: string) {
  let c = characters.get(id);
  if (!c) {
    const dir = join(shared, 'tha4', id);
    c = {
      face: readStateDict(readFileSync(join(dir, 'face_morpher.pt')), 'face_morpher.pt'),
      body: readStateDict(readFileSync(join(dir, 'body_morpher.pt')), 'body_morpher.pt'),
      imageTensor: f32(join(golden, `input_${id}.f32`)),
    };
    characters.set(id, c);
  }
  return c;
}

let harness: ChromiumHarness;
beforeAll(async () => {
  harness = await startChromiumHarness();
});
afterAll(async () => harness?.close());

describe('renderers on WebGPU in headless Chromium', () => {
  it('WGSL kernels match the WASM backend at 64x64 for every golden case', async () => {
    const models = new Map<string, Uint8Array>();
    let worst = { max: 0, p999: 0, mean: 0, name: '' };
    for (const c of cases) {
      if (!models.has(c.character)) models.set(c.character, buildFrameModel({ ...character(c.character), size: 64 }));
      const gpu = await harness.renderWgsl(character(c.character), c.pose, 64);
      const cpu = await harness.render(models.get(c.character)!, c.pose, 64, 'wasm');
      expect(gpu.backend).toBe('webgpu-wgsl');
      const s = errorStats(gpu.frame, cpu.frame);
      if (s.max > worst.max) worst = { ...s, name: c.name };
      expect(s.max, c.name).toBeLessThanOrEqual(1e-3);
      expect(s.p999, c.name).toBeLessThanOrEqual(1e-3);
      expect(s.mean, c.name).toBeLessThanOrEqual(1e-5);
    }
    console.info(`wgsl vs wasm at 64, worst of ${cases.length} cases: max ${worst.max.toExponential(2)} (${worst.name}), p99.9 ${worst.p999.toExponential(2)}, mean ${worst.mean.toExponential(2)}`);
  }, 900_000);

  it('onnxruntime-web on WebGPU matches the WASM backend at 64x64 (one case)', async () => {
    const c = cases.find((x) => x.name === 'lambda_00_random_0')!;
    const model = buildFrameModel({ ...character(c.character), size: 64 });
    const gpu = await harness.render(model, c.pose, 64, 'webgpu', 0, FrameModelNames.frame, 4 * 64 * 64, true);
    const cpu = await harness.render(model, c.pose, 64, 'wasm');
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.gpuBufferBytes).toBe(4 * 4 * 64 * 64); // renderToGpu leaves the frame on the GPU
    const s = errorStats(gpu.frame, cpu.frame);
    expect(s.max).toBeLessThanOrEqual(1e-3);
    expect(s.mean).toBeLessThanOrEqual(1e-5);
  }, 600_000);

  for (const name of ['lambda_00_random_1', 'lambda_01_random_1']) {
    it(`WGSL kernels reproduce the PyTorch goldens at 512 (${name}: face patch and final frame)`, async () => {
      const c = cases.find((x) => x.name === name)!;
      const tensors = character(c.character);
      const final = await harness.renderWgsl(tensors, c.pose, 512, { face: true });
      const fs = errorStats(final.face!, f32(join(golden, c.files.face)));
      const s = errorStats(final.frame, f32(join(golden, c.files.final!)));
      console.info(`wgsl 512 vs golden ${name}: face max ${fs.max.toExponential(2)}; final max ${s.max.toExponential(2)} p99.9 ${s.p999.toExponential(2)} mean ${s.mean.toExponential(2)}; ${(final.firstMs / 1000).toFixed(1)} s per frame (first)`);
      expect(fs.max).toBeLessThanOrEqual(1e-3);
      expect(s.max).toBeLessThanOrEqual(5e-3);
      expect(s.p999).toBeLessThanOrEqual(1e-3);
      expect(s.mean).toBeLessThanOrEqual(1e-5);
    }, 600_000);
  }

  it('renders from the command line with --backend webgpu, matching --backend wasm', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'animecam-cli-webgpu-'));
    const pose = join(tmp, 'pose.json');
    writeFileSync(pose, JSON.stringify(cases.find((x) => x.name === 'lambda_00_random_0')!.pose));
    const out = (backend: string) => {
      const file = join(tmp, `${backend}.f32`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/render.ts', '--character', join(shared, 'tha4', 'lambda_00'), '--pose', pose, '--out', file, '--backend', backend, '--size', '64'], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return f32(file);
    };
    const s = errorStats(out('webgpu'), out('wasm'));
    expect(s.max).toBeLessThanOrEqual(1e-3);
  }, 900_000);
});
