/**
 * A character ready to draw: its still image (shown until the first rendered frame) and a
 * renderer whose frames come back as a canvas. Picks the backend (a hardware WebGPU adapter, else
 * WASM at a smaller size) and reports why.
 */
import * as ort from 'onnxruntime-web';
import { loadCharacter, type LoadedCharacter } from '../../core/character';
import { createRenderer, configureOrt, type Renderer } from '../../render/renderer';
import type { Settings } from '../../shared/settings';
import type { FromRenderWorker, ToRenderWorker } from './render-protocol';
import { frameToRgba } from './frame-pixels';

export interface CharacterRenderer {
  readonly backend: 'webgpu' | 'wasm';
  readonly backendNote: string;
  readonly size: number;
  readonly characterId: string;
  readonly characterName: string;
  readonly still: OffscreenCanvas;
  /** Settles when the GPU device behind this renderer is lost (WebGPU only). */
  readonly lost?: Promise<unknown>;
  /** Renders a frame; the image stays valid until the next call. */
  render(pose: Float32Array): Promise<OffscreenCanvas | ImageBitmap>;
  dispose(): Promise<void>;
}

/** WASM sizes when nothing else is set: the CPU path must stay live on ordinary laptops. */
export function autoWasmSize(cores: number): number {
  return cores >= 8 ? 192 : 128;
}

export interface BackendPlan {
  backend: 'webgpu' | 'wasm';
  note: string;
}

/** Which backend to use, and why (shown to the user). */
export async function planBackend(choice: Settings['renderBackend']): Promise<BackendPlan> {
  if (choice === 'wasm') return { backend: 'wasm', note: 'CPU (WASM) renderer chosen in settings' };
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (!adapter) return { backend: 'wasm', note: 'No WebGPU here: using the slower CPU (WASM) renderer at a smaller size' };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown GPU';
  if (choice === 'webgpu') return { backend: 'webgpu', note: `WebGPU on ${name} (chosen in settings)` };
  if (info.isFallbackAdapter) {
    return { backend: 'wasm', note: `WebGPU here is a software fallback (${name}), slower than the CPU renderer: using WASM` };
  }
  return { backend: 'webgpu', note: `WebGPU on ${name}` };
}

function stillImage(ch: LoadedCharacter): OffscreenCanvas {
  const c = new OffscreenCanvas(ch.image.width, ch.image.height);
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(ch.image.rgba), ch.image.width, ch.image.height), 0, 0);
  return c;
}

let ortConfigured = false;
let deviceLost = false;

/** Diagnostics: destroys the GPU device the renderer uses, as a driver reset or GPU removal would. */
export async function loseGpuDevice(): Promise<boolean> {
  if (!ortConfigured) return false;
  try {
    const device = (await ort.env.webgpu.device) as GPUDevice | undefined;
    if (!device) return false;
    device.destroy();
    return true;
  } catch {
    return false;
  }
}

export async function createCharacterRenderer(
  files: Map<string, Uint8Array>,
  meta: { id: string; name: string },
  settings: Settings,
): Promise<CharacterRenderer> {
  if (!ortConfigured) {
    // Threads need cross-origin isolation (the manifest's COOP/COEP keys give it to this document).
    configureOrt({ wasmPaths: chrome.runtime.getURL('ort/'), numThreads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 2) : 1 });
    ortConfigured = true;
  }
  const ch = loadCharacter(files, meta.name);
  let plan = deviceLost
    ? { backend: 'wasm' as const, note: 'The GPU device was lost: using the CPU (WASM) renderer until AnimeCam restarts' }
    : await planBackend(settings.renderBackend);
  const sizeFor = (b: 'webgpu' | 'wasm') => (typeof settings.renderSize === 'number' ? settings.renderSize : b === 'webgpu' ? 512 : autoWasmSize(navigator.hardwareConcurrency || 2));
  const still = stillImage(ch);
  let renderer: Renderer | null = null;
  if (plan.backend === 'webgpu') {
    try {
      renderer = await createRenderer({ character: ch, size: sizeFor('webgpu'), backend: 'webgpu' });
    } catch (e) {
      // A GPU that cannot take the model must not leave the user without a character.
      plan = { backend: 'wasm', note: `WebGPU failed (${e instanceof Error ? e.message : String(e)}): using the CPU (WASM) renderer` };
    }
  }
  if (!renderer) {
    const w = await createWorkerRenderer(files, meta.name, sizeFor('wasm'));
    console.info(`[AnimeCam:offscreen] renderer: wasm (worker) at ${w.size}px — ${plan.note}`);
    const canvas = new OffscreenCanvas(w.size, w.size);
    const ctx = canvas.getContext('2d')!;
    return {
      backend: 'wasm', backendNote: plan.note, size: w.size, characterId: meta.id, characterName: meta.name, still,
      async render(pose) {
        const rgba = await w.render(pose);
        ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w.size, w.size), 0, 0);
        return canvas;
      },
      async dispose() {
        w.dispose();
      },
    };
  }
  console.info(`[AnimeCam:offscreen] renderer: ${plan.backend} at ${renderer.size}px — ${plan.note}`);
  const size = renderer.size;
  const gpuRenderer = renderer;
  const device = (await ort.env.webgpu.device) as GPUDevice;
  // onnxruntime-web cannot move to a new device within a document: once this one is lost,
  // the next renderer is made on WASM (the pipeline recreates it when the device goes).
  const lost = device.lost.then((info) => {
    deviceLost = true;
    console.warn(`[AnimeCam:offscreen] GPU device lost (${info.reason}): ${info.message}`);
  });
  // The frame is read back for the 2D compositor. (Presenting ORT's output buffer directly with a
  // WGSL pass showed stale frames: ORT may not have submitted its work when run() resolves with a
  // GPU-buffer output, and it offers no flush. Left for a real-GPU session to finish.)
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d')!;
  const pixels = new ImageData(size, size);
  return {
    backend: 'webgpu', backendNote: plan.note, size, characterId: meta.id, characterName: meta.name, still, lost,
    async render(pose) {
      frameToRgba(await gpuRenderer.render(pose), size, pixels.data);
      ctx.putImageData(pixels, 0, 0);
      return canvas;
    },
    dispose: () => gpuRenderer.dispose(),
  };
}

/**
 * The CPU renderer in a worker, so the offscreen document's main thread keeps sending frames
 * while a (long) WASM frame renders.
 */
async function createWorkerRenderer(files: Map<string, Uint8Array>, name: string, size: number): Promise<{ size: number; render(pose: Float32Array): Promise<Uint8ClampedArray>; dispose(): void }> {
  const worker = new Worker(new URL('./render.worker.ts', import.meta.url), { type: 'module', name: 'animecam-render' });
  const pending = new Map<number, { resolve(px: Uint8ClampedArray): void; reject(e: Error): void }>();
  let nextId = 1;
  const ready = new Promise<number>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<FromRenderWorker>) => {
      const m = e.data;
      if (m.type === 'ready') resolve(m.size);
      else if (m.type === 'error') reject(new Error(m.message));
      else if (m.type === 'frame') pending.get(m.id)?.resolve(m.rgba);
      else if (m.type === 'frame-error') pending.get(m.id)?.reject(new Error(m.message));
      if (m.type === 'frame' || m.type === 'frame-error') pending.delete(m.id);
    };
    worker.onerror = (e) => reject(new Error(`render worker failed: ${e.message}`));
  });
  const init: ToRenderWorker = {
    type: 'init',
    files: [...files].map(([k, v]) => [k, v.slice().buffer as ArrayBuffer]),
    name,
    size,
    numThreads: self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 2) : 1,
    wasmPaths: chrome.runtime.getURL('ort/'),
  };
  worker.postMessage(init, init.files.map(([, b]) => b));
  let actual: number;
  try {
    actual = await ready;
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return {
    size: actual,
    render(pose) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const msg: ToRenderWorker = { type: 'render', id, pose: Float32Array.from(pose) };
        worker.postMessage(msg);
      });
    },
    dispose() {
      worker.postMessage({ type: 'dispose' } satisfies ToRenderWorker);
      setTimeout(() => worker.terminate(), 1000);
      pending.forEach((p) => p.reject(new Error('renderer disposed')));
    },
  };
}
