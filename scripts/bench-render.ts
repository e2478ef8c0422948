/**
 * Median ms per frame of the face morpher, the body morpher (with warp and blend) and the whole
 * frame at sizes 512, 384 and 256, on wasm in Node (2 threads by default), beside the original
 * PyTorch CPU time from the golden README.
 *
 *   npm run --silent bench:render -- [--character <folder|zip>] [--runs N] [--threads N]
 *     [--sizes 512,384,256] [--sine polynomial-fast|polynomial|native] [--webgpu]
 *
 * --webgpu also times WebGPU in headless Chromium (one timed run after a warm-up); without a
 * real GPU that is SwiftShader at about 0.4 GFLOP/s, i.e. minutes per 512 frame.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { requireSharedDir } from './lib/shared-path';
import { bodyFieldShapes, buildFrameModel, FrameModelNames, type FrameModelPart } from '../src/core/model-graph/frame-model';
import type { LoadedCharacter } from '../src/core/character/load-character';
import { FACE_PATCH_SIZE } from '../src/core/character/architecture';
import { loadCharacterFromPath } from './render';
import type { SineMode } from '../src/core/model-graph/sine';
import { WASM_SINE } from '../src/render/split-renderer';

/** PyTorch 1.13 CPU, 2 threads, 512x512 (golden README, "CPU anchor"). */
const PYTORCH_MS = { frame: 1148, face: 24.6, body: 1148 - 24.6 } as const;
const DEFAULT_SIZES = '512,384,256';
const PARTS: readonly FrameModelPart[] = ['face', 'body', 'frame', 'body-fields', 'frame-from-fields'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      character: { type: 'string' },
      runs: { type: 'string', default: '5' },
      threads: { type: 'string', default: '2' },
      sizes: { type: 'string', default: DEFAULT_SIZES },
      webgpu: { type: 'boolean', default: false },
      sine: { type: 'string', default: WASM_SINE },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const runs = Number(values.runs);
  ort.env.wasm.numThreads = Number(values.threads);
  const character = loadCharacterFromPath(values.character ?? join(requireSharedDir(), 'tha4', 'lambda_00'));
  const pose = new Float32Array(45);
  pose[39] = 0.5; // head_x = 0.5, as the PyTorch benchmark
  const sine = values.sine as SineMode;
  console.log(`backend wasm (Node), ${ort.env.wasm.numThreads} threads, ${runs} runs after 1 warm-up, character ${character.name}, sine ${sine}`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores (wall times are only meaningful on an idle machine)`);
  // CPU time of all threads: less sensitive to other processes than wall time.
  console.log(`${HEADER}   CPU ms`);
  for (const size of sizes) {
    for (const part of PARTS) {
      const model = buildFrameModel({ ...character, size, part, sine });
      const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      const feeds: Record<string, ort.Tensor> = { [FrameModelNames.pose]: new ort.Tensor('float32', pose, [1, 45]) };
      if (part === 'frame-from-fields') {
        // The split's per-frame half: fields as the body half would hand them over (values do not change the cost).
        for (const f of bodyFieldShapes(size)) feeds[f.name] = new ort.Tensor('float32', new Float32Array(f.dims.reduce((a, b) => a * b, 1)), f.dims);
      }
      await session.run(feeds);
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const c = process.cpuUsage();
        await session.run(feeds);
        times.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
      }
      await session.release();
      console.log(`${row(size, part, times)} ${median(cpu).toFixed(1).padStart(9)}`);
    }
  }
  if (values.webgpu) await benchWebGpu(character, sizes, pose);
}

const HEADER = 'size  part    median ms   min ms   PyTorch@512 ms   speed-up vs PyTorch';

function row(size: number, part: FrameModelPart, times: number[]): string {
  const med = median(times);
  const ref = part === 'face' || part === 'body' || part === 'frame' ? PYTORCH_MS[part] : NaN;
  const refCols = Number.isNaN(ref) ? `${'-'.padStart(16)} ${'-'.padStart(10)} ` : `${ref.toFixed(1).padStart(16)} ${(ref / med).toFixed(2).padStart(10)}x`;
  return `${String(size).padEnd(5)} ${part.padEnd(7)} ${med.toFixed(1).padStart(9)} ${Math.min(...times).toFixed(1).padStart(8)} ${refCols}`;
}

async function benchWebGpu(character: LoadedCharacter, sizes: number[], pose: Float32Array): Promise<void> {
  const { startChromiumHarness } = await import('../src/render/chromium/run-in-chromium');
  const harness = await startChromiumHarness();
  try {
    let header = false;
    for (const size of sizes) {
      for (const part of PARTS.filter((p) => p === 'face' || p === 'body' || p === 'frame')) {
        const model = buildFrameModel({ ...character, size, part });
        const r =
          part === 'face'
            ? await harness.render(model, pose, size, 'webgpu', 1, FrameModelNames.face, 4 * FACE_PATCH_SIZE * FACE_PATCH_SIZE)
            : await harness.render(model, pose, size, 'webgpu', 1);
        if (!header) {
          console.log(`\nbackend webgpu (headless Chromium: ${r.reason}), 1 run after 1 warm-up`);
          console.log(HEADER);
          header = true;
        }
        console.log(row(size, part, r.times));
      }
    }
  } finally {
    await harness.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
