/**
 * Harness page for driving the renderer in Chromium from Node (scripts/render.ts --backend webgpu,
 * bench). It fetches a prebuilt model, renders, and posts the frame back to the serving process.
 */
import { configureOrt, createRenderer, type BackendChoice } from '../../../src/render/renderer';
import { createWgslRenderer, type WgslRenderer } from '../../../src/render/webgpu/wgsl-renderer';
import type { WgslSine } from '../../../src/render/webgpu/model-layout';
import { unpackCharacter } from './character-blob';

export interface HarnessRequest {
  modelUrl: string;
  resultUrl: string;
  wasmPaths: string;
  size: number;
  backend: BackendChoice;
  pose: number[];
  /** Timed runs after the first (warm-up) one; 0 = render once. */
  runs: number;
  /** Model output to read back and post ('frame', or 'face' for a face-only model). */
  output: string;
  /** Also render once with renderToGpu and report the GPU buffer's size (webgpu only). */
  checkGpuOutput?: boolean;
}

export interface HarnessReply {
  backend: string;
  reason: string;
  firstMs: number;
  /** Times of the timed runs, ms. */
  times: number[];
  /** Size in bytes of the buffer renderToGpu returned, when asked. */
  gpuBufferBytes?: number;
}

/** Renders with our WGSL kernels (src/render/webgpu) from a packed character. */
export interface WgslHarnessRequest {
  characterUrl: string;
  resultUrl: string;
  size: number;
  pose: number[];
  runs: number;
  /** 'frame', or 'frame+face': the frame followed by the pasted 4x128x128 face patch of the same render. */
  output: 'frame' | 'frame+face';
  sine?: WgslSine;
}

declare global {
  interface Window {
    animecamRender(req: HarnessRequest): Promise<HarnessReply>;
    animecamRenderWgsl(req: WgslHarnessRequest): Promise<HarnessReply>;
  }
}

async function postResult(url: string, frame: Float32Array): Promise<void> {
  const body = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength).slice();
  const posted = await fetch(url, { method: 'POST', body });
  if (!posted.ok) throw new Error(`posting the frame failed: ${posted.status}`);
}

let wgslDevice: GPUDevice | undefined;
/** The last renderer made, reused while character, size and sine stay the same (compiling the kernels is slow on SwiftShader). */
let wgslCached: { key: string; renderer: WgslRenderer } | undefined;

window.animecamRenderWgsl = async (req) => {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  wgslDevice ??= await adapter.requestDevice();
  const key = `${req.characterUrl} ${req.size} ${req.sine ?? ''}`;
  if (wgslCached?.key !== key) {
    wgslCached?.renderer.dispose();
    wgslCached = undefined;
    const character = unpackCharacter(new Uint8Array(await (await fetch(req.characterUrl)).arrayBuffer()));
    wgslCached = { key, renderer: await createWgslRenderer({ device: wgslDevice, character, size: req.size, sine: req.sine }) };
  }
  const renderer = wgslCached.renderer;
  const once = async (): Promise<Float32Array> => {
    const frame = await renderer.render(req.pose);
    if (req.output === 'frame') return frame;
    const face = await renderer.readFace();
    const both = new Float32Array(frame.length + face.length);
    both.set(frame);
    both.set(face, frame.length);
    return both;
  };
  const { frame, firstMs, times } = await timeRuns(once, req.runs);
  await postResult(req.resultUrl, frame);
  const info = adapter.info;
  return { backend: 'webgpu-wgsl', reason: `WGSL kernels on ${[info.vendor, info.architecture].filter(Boolean).join(' ')}`, firstMs, times };
};

window.animecamRender = async (req) => {
  configureOrt({ wasmPaths: req.wasmPaths, numThreads: globalThis.crossOriginIsolated ? 2 : 1 });
  const model = new Uint8Array(await (await fetch(req.modelUrl)).arrayBuffer());
  const renderer = await createRenderer({ model, size: req.size, backend: req.backend });
  try {
    const once = async (): Promise<Float32Array> => (await renderer.renderOutputs(req.pose, [req.output]))[req.output];
    const { frame, firstMs, times } = await timeRuns(once, req.runs);
    let gpuBufferBytes: number | undefined;
    if (req.checkGpuOutput) {
      const onGpu = await renderer.renderToGpu(req.pose);
      gpuBufferBytes = (onGpu.buffer as unknown as { size: number }).size;
      onGpu.dispose();
    }
    const body = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength).slice();
    const posted = await fetch(req.resultUrl, { method: 'POST', body });
    if (!posted.ok) throw new Error(`posting the frame failed: ${posted.status}`);
    return { backend: renderer.backend, reason: renderer.backendReason, firstMs, times, gpuBufferBytes };
  } finally {
    await renderer.dispose();
  }
};

/** A first (warm-up) frame, then `runs` timed ones; returns the last frame. */
async function timeRuns(once: () => Promise<Float32Array>, runs: number): Promise<{ frame: Float32Array; firstMs: number; times: number[] }> {
  let t = performance.now();
  let frame = await once();
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    frame = await once();
    times.push(performance.now() - t);
  }
  return { frame, firstMs, times };
}
