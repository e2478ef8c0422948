/**
 * The renderer on WebGPU in headless Chromium (SwiftShader here, about 0.4 GFLOP/s):
 * - every golden case at 64x64 against the WASM backend at the same size, in the same page;
 * - one case at full size (512) against the original PyTorch goldens: face and final frame.
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

describe('renderer on WebGPU in headless Chromium', () => {
  it('matches the WASM backend at 64x64 for every golden case', async () => {
    const models = new Map<string, Uint8Array>();
    let worst = { max: 0, mean: 0, name: '' };
    for (const c of cases) {
      if (!models.has(c.character)) models.set(c.character, buildFrameModel({ ...character(c.character), size: 64 }));
      const model = models.get(c.character)!;
      const gpu = await harness.render(model, c.pose, 64, 'webgpu');
      const cpu = await harness.render(model, c.pose, 64, 'wasm');
      expect(gpu.backend).toBe('webgpu');
      const s = errorStats(gpu.frame, cpu.frame);
      if (s.max > worst.max) worst = { max: s.max, mean: s.mean, name: c.name };
      expect(s.max, c.name).toBeLessThanOrEqual(1e-3);
      expect(s.mean, c.name).toBeLessThanOrEqual(1e-5);
    }
    console.info(`webgpu vs wasm at 64, worst of ${cases.length} cases: max ${worst.max.toExponential(2)} (${worst.name}), its mean ${worst.mean.toExponential(2)}`);
  }, 1_800_000);

  it('reproduces the PyTorch goldens at 512 (lambda_00_zero: face patch and final frame)', async () => {
    const c = cases.find((x) => x.name === 'lambda_00_zero')!;
    const tensors = character(c.character);
    const face = await harness.render(buildFrameModel({ ...tensors, size: 512, part: 'face' }), c.pose, 512, 'webgpu', 0, FrameModelNames.face, 4 * 128 * 128);
    const fs = errorStats(face.frame, f32(join(golden, c.files.face)));
    expect(fs.max).toBeLessThanOrEqual(1e-3);
    const final = await harness.render(buildFrameModel({ ...tensors, size: 512 }), c.pose, 512, 'webgpu', 0, FrameModelNames.frame, 4 * 512 * 512, true);
    expect(final.gpuBufferBytes).toBe(4 * 4 * 512 * 512); // renderToGpu leaves the frame on the GPU
    const s = errorStats(final.frame, f32(join(golden, c.files.final!)));
    console.info(`webgpu 512 vs golden: face max ${fs.max.toExponential(2)}; final max ${s.max.toExponential(2)} p99.9 ${s.p999.toExponential(2)} mean ${s.mean.toExponential(2)}; ${(final.firstMs / 1000).toFixed(1)} s per frame`);
    expect(s.max).toBeLessThanOrEqual(5e-3);
    expect(s.p999).toBeLessThanOrEqual(1e-3);
    expect(s.mean).toBeLessThanOrEqual(1e-5);
  }, 1_800_000);

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
