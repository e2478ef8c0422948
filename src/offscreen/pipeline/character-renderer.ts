/**
 * A character ready to draw: its still image (shown until the first rendered frame) and a
 * renderer made as the render plan (render-plan.ts) says: on WebGPU our WGSL kernels on the
 * pipeline's own device, frames handed on as ImageBitmaps without readback (../gpu/); else
 * onnxruntime-web's WebGPU (read back to a canvas) if the kernels cannot start; else WASM workers.
 */
import * as ort from 'onnxruntime-web';
import { loadCharacter, type LoadedCharacter } from '../../core/character';
import { createRenderer, configureOrt, type Renderer } from '../../render/renderer';
import { loseOwnedGpuDevice, markOrtDeviceLost, ownedGpuDevice } from '../gpu';
import { createGpuCharacterRenderer } from '../gpu/gpu-character-renderer';
import { WASM_IDLE_RENDER_MS, type RenderPlan } from './render-plan';
import type { FromRenderWorker, RenderInit, ToRenderWorker } from './render-protocol';
import { frameToCanvasRgba } from './frame-pixels';

export interface CharacterRenderer {
  readonly backend: 'webgpu' | 'wasm';
  /** Why this renderer (and, on the GPU at the automatic size, what the size adaptation did). */
  readonly backendNote: string;
  /** The size frames are rendered at now (it may change on the GPU at the automatic size). */
  readonly size: number;
  readonly characterId: string;
  readonly characterName: string;
  readonly still: OffscreenCanvas;
  /** Least time between renders without a new face observation (the render plan's). */
  readonly idleRenderMs: number;
  /** Settles when the GPU device behind this renderer is lost (WebGPU only). */
  readonly lost?: Promise<unknown>;
  /** Renders a frame; the image stays valid until the next call. */
  render(pose: Float32Array): Promise<OffscreenCanvas | ImageBitmap>;
  /** CPU (WASM) only: a face detection started or ended (frame-scheduler.ts FrameRenderer). */
  trackingBusy?(busy: boolean): void;
  dispose(): Promise<void>;
}

function stillImage(ch: LoadedCharacter): OffscreenCanvas {
  const c = new OffscreenCanvas(ch.image.width, ch.image.height);
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(ch.image.rgba), ch.image.width, ch.image.height), 0, 0);
  return c;
}

let ortConfigured = false;
/** The renderer in service runs on onnxruntime-web's WebGPU device (not on ours). */
let onOrtDevice = false;

/** Diagnostics: destroys the GPU device the renderer uses, as a driver reset or GPU removal would. */
export async function loseGpuDevice(): Promise<boolean> {
  if (!onOrtDevice) return loseOwnedGpuDevice();
  try {
    const device = (await ort.env.webgpu.device) as GPUDevice | undefined;
    if (!device) return false;
    device.destroy();
    return true;
  } catch {
    return false;
  }
}

const failed = (e: unknown, fallback: RenderPlan, what: string): RenderPlan => ({ ...fallback, why: `${what} failed (${e instanceof Error ? e.message : String(e)}): ${fallback.why}` });

/** Makes the character's renderer as `plan` says (falling back as the plan says if WebGPU fails). */
export async function createCharacterRenderer(
  files: Map<string, Uint8Array>,
  meta: { id: string; name: string },
  plan: RenderPlan,
): Promise<CharacterRenderer> {
  if (!ortConfigured) {
    // Threads need cross-origin isolation (the manifest's COOP/COEP keys give it to this document).
    configureOrt({ wasmPaths: chrome.runtime.getURL('ort/'), numThreads: plan.threads });
    ortConfigured = true;
  }
  const ch = loadCharacter(files, meta.name);
  const still = stillImage(ch);
  const base = { characterId: meta.id, characterName: meta.name, still };
  if (plan.backend === 'webgpu' && plan.engine === 'wgsl') {
    try {
      return await createWgslCharacterRenderer(ch, plan, base);
    } catch (e) {
      // Kernels that cannot start (a device that cannot be made, a shader the driver refuses)
      // must not leave the user without a character.
      console.warn('[AnimeCam:offscreen] WGSL renderer could not start:', e);
      plan = failed(e, plan.fallback ?? { ...plan, backend: 'wasm', engine: undefined, adaptive: false, idleRenderMs: WASM_IDLE_RENDER_MS }, 'The WebGPU kernels');
    }
  }
  let renderer: Renderer | null = null;
  if (plan.backend === 'webgpu') {
    try {
      renderer = await createRenderer({ character: ch, size: plan.size, backend: 'webgpu', decided: { backend: 'webgpu', reason: plan.why } });
    } catch (e) {
      plan = failed(e, plan.fallback ?? { ...plan, backend: 'wasm', engine: undefined, adaptive: false, idleRenderMs: WASM_IDLE_RENDER_MS }, 'WebGPU');
    }
  }
  if (!renderer) {
    onOrtDevice = false;
    const w = await createWorkerRenderer(files, meta.name, plan.size, plan.threads);
    console.info(`[AnimeCam:offscreen] renderer: wasm (worker) at ${w.size}px — ${plan.why}`);
    const canvas = new OffscreenCanvas(w.size, w.size);
    const ctx = canvas.getContext('2d')!;
    return {
      ...base, backend: 'wasm', backendNote: plan.why, size: w.size, idleRenderMs: plan.idleRenderMs,
      async render(pose) {
        const rgba = await w.render(pose);
        ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, w.size, w.size), 0, 0);
        return canvas;
      },
      trackingBusy: (busy) => w.holdBody(busy),
      async dispose() {
        w.dispose();
      },
    };
  }
  console.info(`[AnimeCam:offscreen] renderer: onnxruntime-web webgpu at ${renderer.size}px — ${plan.why}`);
  onOrtDevice = true;
  const size = renderer.size;
  const gpuRenderer = renderer;
  const device = (await ort.env.webgpu.device) as GPUDevice;
  // onnxruntime-web cannot move to a new device within a document: once this one is lost, the
  // next plan leaves it out (the pipeline recreates the renderer when the device goes).
  const lost = device.lost.then((info) => {
    markOrtDeviceLost();
    console.warn(`[AnimeCam:offscreen] onnxruntime-web's GPU device lost (${info.reason}): ${info.message}`);
  });
  // The fallback reads each frame back for the 2D compositor.
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d')!;
  const pixels = new ImageData(size, size);
  return {
    ...base, backend: 'webgpu', backendNote: plan.why, size, lost, idleRenderMs: plan.idleRenderMs,
    async render(pose) {
      frameToCanvasRgba(await gpuRenderer.render(pose), size, pixels.data);
      ctx.putImageData(pixels, 0, 0);
      return canvas;
    },
    dispose: () => gpuRenderer.dispose(),
  };
}

/** Our WGSL kernels on the pipeline's device; each frame an ImageBitmap of a WebGPU canvas. */
async function createWgslCharacterRenderer(
  ch: LoadedCharacter,
  plan: RenderPlan,
  base: Pick<CharacterRenderer, 'characterId' | 'characterName' | 'still'>,
): Promise<CharacterRenderer> {
  const { device, canPresent, presentProblem } = await ownedGpuDevice();
  const gpu = await createGpuCharacterRenderer(device, ch, { size: plan.size, adaptive: plan.adaptive, present: canPresent });
  onOrtDevice = false;
  const why = canPresent ? plan.why : `${plan.why}; this browser cannot show WebGPU canvases (${presentProblem ?? 'unknown'}), so each frame is read back`;
  console.info(`[AnimeCam:offscreen] renderer: WGSL kernels on WebGPU at ${gpu.size}px${plan.adaptive ? ' (adaptive)' : ''} — ${why}`);
  // The bitmap shown stays open until the next one replaces it (the compositor draws it each tick).
  let shown: ImageBitmap | null = null;
  let disposed = false;
  return {
    ...base,
    backend: 'webgpu',
    idleRenderMs: plan.idleRenderMs,
    get backendNote() {
      return gpu.adaptation ? `${why}; ${gpu.adaptation}` : why;
    },
    get size() {
      return gpu.size;
    },
    lost: gpu.lost,
    async render(pose) {
      const next = await gpu.render(pose);
      const bitmap = 'close' in next ? next : null;
      if (disposed) {
        bitmap?.close();
        throw new Error('renderer disposed');
      }
      shown?.close();
      shown = bitmap;
      return next;
    },
    async dispose() {
      disposed = true;
      gpu.dispose();
      // The last frame may still be on a consumer's canvas this tick: close it after the tick.
      const last = shown;
      shown = null;
      setTimeout(() => last?.close(), 1000);
    },
  };
}

/**
 * The CPU renderer in two workers (see render-protocol.ts): the offscreen document's main thread
 * keeps sending frames while WASM runs, and the costly body morpher runs at its own, lower rate.
 */
async function createWorkerRenderer(files: Map<string, Uint8Array>, name: string, size: number, threads: number): Promise<{ size: number; render(pose: Float32Array): Promise<Uint8ClampedArray>; holdBody(on: boolean): void; dispose(): void }> {
  const spawn = (role: 'frame' | 'body') => new Worker(new URL('./render.worker.ts', import.meta.url), { type: 'module', name: `animecam-render-${role}` });
  const frameWorker = spawn('frame');
  const bodyWorker = spawn('body');
  const pending = new Map<number, { resolve(px: Uint8ClampedArray): void; reject(e: Error): void }>();
  let nextId = 1;
  let failed: Error | null = null;
  const readyOf = (w: Worker, role: string) =>
    new Promise<number>((resolve, reject) => {
      w.onmessage = (e: MessageEvent<FromRenderWorker>) => {
        const m = e.data;
        if (m.type === 'ready') resolve(m.size);
        else if (m.type === 'error') {
          // A body worker failing later must not leave frames waiting forever for fields.
          failed = new Error(m.message);
          reject(failed);
          pending.forEach((p) => p.reject(failed as Error));
          pending.clear();
        } else if (m.type === 'frame') pending.get(m.id)?.resolve(m.rgba);
        else if (m.type === 'frame-error') pending.get(m.id)?.reject(new Error(m.message));
        if (m.type === 'frame' || m.type === 'frame-error') pending.delete(m.id);
      };
      w.onerror = (e) => reject(new Error(`render worker (${role}) failed: ${e.message}`));
    });
  const ready = Promise.all([readyOf(frameWorker, 'frame'), readyOf(bodyWorker, 'body')]);
  const channel = new MessageChannel();
  for (const [w, role, port] of [[frameWorker, 'frame', channel.port2], [bodyWorker, 'body', channel.port1]] as const) {
    const init: RenderInit = {
      type: 'init',
      role,
      files: [...files].map(([k, v]) => [k, v.slice().buffer as ArrayBuffer]),
      name,
      size,
      numThreads: threads,
      wasmPaths: chrome.runtime.getURL('ort/'),
      port,
      bodyRest: 1,
    };
    w.postMessage(init, [...init.files.map(([, b]) => b), port]);
  }
  let actual: number;
  try {
    [actual] = await ready;
  } catch (e) {
    frameWorker.terminate();
    bodyWorker.terminate();
    throw e;
  }
  return {
    size: actual,
    render(pose) {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        bodyWorker.postMessage({ type: 'pose', pose: Float32Array.from(pose) } satisfies ToRenderWorker);
        frameWorker.postMessage({ type: 'render', id, pose: Float32Array.from(pose) } satisfies ToRenderWorker);
      });
    },
    holdBody(on) {
      bodyWorker.postMessage({ type: 'hold', on } satisfies ToRenderWorker);
    },
    dispose() {
      for (const w of [frameWorker, bodyWorker]) {
        w.postMessage({ type: 'dispose' } satisfies ToRenderWorker);
        setTimeout(() => w.terminate(), 1000);
      }
      pending.forEach((p) => p.reject(new Error('renderer disposed')));
    },
  };
}
