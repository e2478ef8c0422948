/**
 * A character ready to draw: its still image (shown until the first rendered frame) and a
 * renderer whose frames come back as a canvas. Picks the backend (a hardware WebGPU adapter, else
 * WASM at a smaller size) and reports why.
 */
import * as ort from 'onnxruntime-web';
import { loadCharacter, type LoadedCharacter } from '../../core/character';
import { createRenderer, configureOrt, type Renderer } from '../../render/renderer';
import type { Settings } from '../../shared/settings';
import { frameToRgba } from './frame-pixels';
import { GpuPresenter } from './gpu-presenter';

export interface CharacterRenderer {
  readonly backend: 'webgpu' | 'wasm';
  readonly backendNote: string;
  readonly size: number;
  readonly characterId: string;
  readonly characterName: string;
  readonly still: OffscreenCanvas;
  render(pose: Float32Array): Promise<OffscreenCanvas>;
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
  let plan = await planBackend(settings.renderBackend);
  const sizeFor = (b: 'webgpu' | 'wasm') => (typeof settings.renderSize === 'number' ? settings.renderSize : b === 'webgpu' ? 512 : autoWasmSize(navigator.hardwareConcurrency || 2));
  let renderer: Renderer;
  try {
    renderer = await createRenderer({ character: ch, size: sizeFor(plan.backend), backend: plan.backend });
  } catch (e) {
    if (plan.backend !== 'webgpu') throw e;
    // A GPU that cannot take the model (or a lost device) must not leave the user without a character.
    plan = { backend: 'wasm', note: `WebGPU failed (${e instanceof Error ? e.message : String(e)}): using the CPU (WASM) renderer` };
    renderer = await createRenderer({ character: ch, size: sizeFor('wasm'), backend: 'wasm' });
  }
  console.info(`[AnimeCam:offscreen] renderer: ${plan.backend} at ${renderer.size}px — ${plan.note}`);
  const size = renderer.size;
  const still = stillImage(ch);
  if (renderer.backend === 'webgpu') {
    const device = (await ort.env.webgpu.device) as GPUDevice;
    const presenter = new GpuPresenter(device, size);
    return {
      backend: 'webgpu', backendNote: plan.note, size, characterId: meta.id, characterName: meta.name, still,
      async render(pose) {
        const frame = await renderer.renderToGpu(pose);
        try {
          presenter.present(frame.buffer as GPUBuffer);
        } finally {
          frame.dispose();
        }
        return presenter.canvas;
      },
      async dispose() {
        presenter.destroy();
        await renderer.dispose();
      },
    };
  }
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d')!;
  const pixels = new ImageData(size, size);
  return {
    backend: 'wasm', backendNote: plan.note, size, characterId: meta.id, characterName: meta.name, still,
    async render(pose) {
      const frame = await renderer.render(pose);
      frameToRgba(frame, size, pixels.data);
      ctx.putImageData(pixels, 0, 0);
      return canvas;
    },
    dispose: () => renderer.dispose(),
  };
}
