/**
 * Median ms per frame of the face morpher, the body morpher (with warp and blend) and the whole
 * frame at sizes 512, 384 and 256, on wasm in Node (2 threads by default), beside the original
 * PyTorch CPU time from the golden README.
 *
 *   npm run --silent bench:render -- [--character <folder|zip>] [--runs N] [--threads N]
 *     [--sizes 512,384,256] [--sine polynomial-fast|polynomial|native] [--webgpu]
 *     [--no-wgsl | --wgsl-only] [--wgsl-sizes 64,128,256]
 *
 * --webgpu also times onnxruntime-web's WebGPU in headless Chromium (one timed run after a
 * warm-up); without a real GPU that is SwiftShader at about 0.4 GFLOP/s, minutes per 512 frame.
 *
 * Always printed first (unless --no-wgsl): our WGSL renderer (src/render/webgpu) against
 * onnxruntime-web's WebGPU, one Chromium, same adapter, whole frames at --wgsl-sizes (default
 * 64,128,256), and the 512 frame's bytes, dispatches and roofline times counted from the kernels
 * as laid out (kernel-plan.ts), not timed.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { requireSharedDir } from './lib/shared-path';
import { bodyFieldShapes, buildFrameModel, FrameModelNames, IMAGE_SIZE, type FrameModelPart } from '../src/core/model-graph/frame-model';
import type { LoadedCharacter } from '../src/core/character/load-character';
import { FACE_PATCH_SIZE } from '../src/core/character/architecture';
import { loadCharacterFromPath } from './render';
import { boundFrameTime, frameCost, REFERENCE_GPUS } from '../src/render/webgpu/kernel-plan';
import { layoutModel } from '../src/render/webgpu/model-layout';
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
      'no-wgsl': { type: 'boolean', default: false },
      'wgsl-sizes': { type: 'string', default: '64,128,256' },
      'wgsl-only': { type: 'boolean', default: false },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const runs = Number(values.runs);
  ort.env.wasm.numThreads = Number(values.threads);
  const character = loadCharacterFromPath(values.character ?? join(requireSharedDir(), 'tha4', 'lambda_00'));
  const pose = new Float32Array(45);
  pose[39] = 0.5; // head_x = 0.5, as the PyTorch benchmark
  if (!values['no-wgsl']) await benchWgsl(character, values['wgsl-sizes'].split(',').map(Number), pose);
  if (values['wgsl-only']) return;
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

/** WGSL renderer vs onnxruntime-web WebGPU in one browser on one adapter, plus the counted 512 figures. */
async function benchWgsl(character: LoadedCharacter, sizes: number[], pose: Float32Array): Promise<void> {
  const cost = frameCost(layoutModel({ ...character, size: IMAGE_SIZE }));
  const gb = (cost.bytesRead + cost.bytesWritten) / 1e9;
  console.log(`WGSL renderer, counted from its kernels (not timed), one 512 frame:`);
  console.log(`  ${cost.dispatches} dispatches, ${gb.toFixed(3)} GB read+written (${(cost.bytesRead / 1e6).toFixed(1)} MB read, ${(cost.bytesWritten / 1e6).toFixed(1)} MB written), ${(cost.flops / 1e9).toFixed(1)} GFLOP, ${cost.uploadBytes} B uploaded per frame`);
  for (const k of cost.kernels) console.log(`    ${k.name.padEnd(7)} ${String(k.invocations).padStart(7)} invocations ${((k.bytesRead + k.bytesWritten) / 1e6).toFixed(1).padStart(7)} MB ${(k.flops / 1e9).toFixed(2).padStart(6)} GFLOP`);
  for (const gpu of REFERENCE_GPUS) {
    const t = boundFrameTime(cost, gpu);
    console.log(`  ${gpu.name}: memory ${t.memoryMs.toFixed(2)} ms, compute ${t.computeMs.toFixed(2)} ms -> ${t.bound}-bound, >= ${t.boundMs.toFixed(1)} ms/frame (<= ${(1000 / t.boundMs).toFixed(0)} fps)`);
  }
  console.log('  (the ONNX graph run by onnxruntime-web moves about 20 GB per 512 frame, measured by profiling it earlier; not recounted here)');
  const { startChromiumHarness } = await import('../test/support/render-harness/run-in-chromium');
  const harness = await startChromiumHarness();
  try {
    console.log(`\nwhole frame, WGSL vs onnxruntime-web WebGPU, same Chromium and adapter, 1 timed run after a warm-up each (load average ${loadavg()[0].toFixed(1)})`);
    console.log('size  WGSL ms   ORT-WebGPU ms   speed-up   adapter');
    for (const size of sizes) {
      const w = await harness.renderWgsl(character, pose, size, { runs: 1 });
      const o = await harness.render(buildFrameModel({ ...character, size }), pose, size, 'webgpu', 1);
      const wm = median(w.times);
      const om = median(o.times);
      console.log(`${String(size).padEnd(5)} ${wm.toFixed(0).padStart(7)} ${om.toFixed(0).padStart(15)} ${(om / wm).toFixed(1).padStart(9)}x   ${w.reason}`);
    }
  } finally {
    await harness.close();
  }
  console.log('');
}

const HEADER = 'size  part    median ms   min ms   PyTorch@512 ms   speed-up vs PyTorch';

function row(size: number, part: FrameModelPart, times: number[]): string {
  const med = median(times);
  const ref = part === 'face' || part === 'body' || part === 'frame' ? PYTORCH_MS[part] : NaN;
  const refCols = Number.isNaN(ref) ? `${'-'.padStart(16)} ${'-'.padStart(10)} ` : `${ref.toFixed(1).padStart(16)} ${(ref / med).toFixed(2).padStart(10)}x`;
  return `${String(size).padEnd(5)} ${part.padEnd(7)} ${med.toFixed(1).padStart(9)} ${Math.min(...times).toFixed(1).padStart(8)} ${refCols}`;
}

async function benchWebGpu(character: LoadedCharacter, sizes: number[], pose: Float32Array): Promise<void> {
  const { startChromiumHarness } = await import('../test/support/render-harness/run-in-chromium');
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
