/**
 * The offscreen document's only WebGPU adapter request and the GPUDevice the pipeline owns, plus
 * the facts the render plan is made from. The adapter is asked for once per document; after the
 * pipeline's device is lost (driver reset, GPU process restart) it is asked for again, since an
 * adapter gives one device.
 */
import type { GpuResult } from '../shared/messages';
import { planRender, type AdapterFacts, type RenderFacts } from './pipeline/render-plan';
import type { Settings } from '../shared/settings';

type AdapterResult = { adapter: GPUAdapter | null; problem?: string };

let adapter: Promise<AdapterResult> | null = null;
/** The adapter in `adapter` has made its one device. */
let adapterUsed = false;
/** The pipeline's device, and whether a WebGPU canvas can be shown in this browser. */
export interface OwnedDevice {
  device: GPUDevice;
  canPresent: boolean;
  presentProblem?: string;
}
let device: Promise<OwnedDevice> | null = null;
/** A device of ours was lost in this document (the next plan says it recovered, or why not). */
let deviceLost = false;
/** onnxruntime-web's own device was lost: it cannot move to a new one within a document. */
let ortDeviceLost = false;

/** The adapter (null with the reason when there is none). */
export function gpuAdapter(): Promise<AdapterResult> {
  adapter ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return { adapter: null, problem: 'WebGPU is not available in this browser' };
    try {
      const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!a) adapter = null; // none now (GPU process restarting, say): ask again next time
      return a ? { adapter: a } : { adapter: null, problem: 'no WebGPU adapter (GPU blocked or missing)' };
    } catch (e) {
      adapter = null; // a transient failure: ask again next time
      return { adapter: null, problem: `WebGPU adapter request failed: ${String(e)}` };
    }
  })();
  return adapter;
}

/**
 * Whether this browser can show a WebGPU canvas (checked once per document, on a device of its
 * own, before the pipeline's). Where Chromium has no shared-image backing for a WebGPU canvas
 * (headless Chromium on SwiftShader with GL compositing, for one), the first frame drawn into such
 * a canvas drops the document's whole WebGPU instance: every device is lost with "A valid
 * external Instance reference no longer exists". A new adapter works again afterwards.
 */
let presentCheck: Promise<{ ok: boolean; problem?: string }> | null = null;

function checkCanvasPresent(): Promise<{ ok: boolean; problem?: string }> {
  presentCheck ??= (async () => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    let d: GPUDevice;
    try {
      const a = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
      if (!a) throw new Error('no adapter');
      d = await a.requestDevice({ label: 'canvas check' });
    } catch (e) {
      presentCheck = null; // nothing was learnt: check again with the next device
      throw e;
    }
    let lost: string | null = null;
    void d.lost.then((info) => (lost ??= info.message));
    try {
      const canvas = new OffscreenCanvas(4, 4);
      const ctx = canvas.getContext('webgpu');
      if (!ctx) return { ok: false, problem: 'no WebGPU context on an OffscreenCanvas' };
      ctx.configure({ device: d, format: 'rgba8unorm', alphaMode: 'premultiplied' });
      const enc = d.createCommandEncoder();
      enc.beginRenderPass({ colorAttachments: [{ view: ctx.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }] }).end();
      d.queue.submit([enc.finish()]);
      const bitmap = canvas.transferToImageBitmap();
      await d.queue.onSubmittedWorkDone();
      new OffscreenCanvas(4, 4).getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
      await new Promise((r) => setTimeout(r, 100)); // a loss arrives a little after the failed frame
      return lost === null ? { ok: true } : { ok: false, problem: lost };
    } catch (e) {
      return { ok: false, problem: e instanceof Error ? e.message : String(e) };
    } finally {
      lost ??= 'checked';
      d.destroy();
    }
  })();
  return presentCheck;
}

/**
 * The pipeline's GPUDevice: one at a time per document, made on first use and again after it is
 * lost (on a new adapter), with whether a WebGPU canvas can be shown here. Throws when there is
 * no adapter or the device cannot be made.
 */
export function ownedGpuDevice(): Promise<OwnedDevice> {
  if (device) return device;
  const made: Promise<OwnedDevice> = (async () => {
    const check = await checkCanvasPresent();
    // A failed check took the document's WebGPU instance (and its adapters) with it.
    if (adapterUsed || !check.ok) adapter = null;
    const { adapter: a, problem } = await gpuAdapter();
    if (!a) throw new Error(problem ?? 'no WebGPU adapter');
    adapterUsed = true;
    const d = await a.requestDevice({ label: 'AnimeCam pipeline' });
    void d.lost.then((info) => {
      deviceLost = true;
      if (device === made) device = null;
      console.warn(`[AnimeCam:offscreen] GPU device lost (${info.reason}): ${info.message}`);
    });
    return { device: d, canPresent: check.ok, ...(check.problem ? { presentProblem: check.problem } : {}) };
  })();
  device = made;
  made.catch(() => {
    if (device === made) device = null; // try again next time
  });
  return made;
}

/** Diagnostics: destroys the pipeline's device, as a driver reset or GPU removal would. */
export async function loseOwnedGpuDevice(): Promise<boolean> {
  if (!device) return false;
  try {
    (await device).device.destroy();
    return true;
  } catch {
    return false;
  }
}

function factsOf(a: GPUAdapter): AdapterFacts {
  const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return { vendor: info.vendor.slice(0, 256), architecture: info.architecture.slice(0, 256), isFallbackAdapter: Boolean(info.isFallbackAdapter) };
}

/** onnxruntime-web's device (the fallback renderer's) was lost: it cannot make another in this document. */
export function markOrtDeviceLost(): void {
  ortDeviceLost = true;
}

/** Everything the render plan depends on, for these settings. */
export async function renderFacts(settings: Pick<Settings, 'renderBackend' | 'renderSize'>): Promise<RenderFacts> {
  // A WASM choice needs no adapter: do not wake the GPU for it. After a lost device the adapter
  // is asked for again, so the plan sees whether a GPU came back.
  if (adapterUsed && !device) {
    adapter = null;
    adapterUsed = false;
  }
  const a = settings.renderBackend === 'wasm' ? null : (await gpuAdapter()).adapter;
  return {
    choice: settings.renderBackend,
    renderSize: settings.renderSize,
    adapter: a ? factsOf(a) : null,
    gpuLost: deviceLost,
    ortDeviceLost,
    cores: navigator.hardwareConcurrency || 2,
    crossOriginIsolated: self.crossOriginIsolated,
  };
}

/**
 * Diagnostics: the adapter and what the automatic render plan would do with it. No device is made
 * here: an adapter gives one device, and that one is the renderer's.
 */
export async function probeGpu(): Promise<GpuResult> {
  const { adapter: a, problem } = await gpuAdapter();
  if (!a) return { ok: false, backend: 'wasm', adapter: null, reason: problem ?? 'no WebGPU adapter' };
  const facts = factsOf(a);
  const plan = planRender({ ...(await renderFacts({ renderBackend: 'auto', renderSize: 'auto' })), adapter: facts });
  return {
    ok: true,
    backend: 'webgpu',
    adapter: { vendor: facts.vendor ?? '', architecture: facts.architecture ?? '', isFallbackAdapter: Boolean(facts.isFallbackAdapter) },
    reason: plan.why.slice(0, 2048),
  };
}
