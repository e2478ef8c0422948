/**
 * Runs the frame model (src/core/model-graph) with onnxruntime-web, on the wasm backend (Node and
 * browser) or WebGPU (browser). One import serves both: the package's Node entry has the wasm
 * backend, its browser entry adds the WebGPU execution provider (the extension's render workers
 * get the CPU-only entry instead: scripts/lib/ort-cpu-build.ts).
 */
import * as ort from 'onnxruntime-web';
import type { StateDict } from '../core/character/tensor';
import { buildFrameModel, FrameModelNames, IMAGE_SIZE } from '../core/model-graph/frame-model';
import type { SineMode } from '../core/model-graph/sine';
import { detectBackend, type Backend, type BackendChoice, type BackendDecision } from './backend';
import { sanitizePose } from './pose';

export type { Backend, BackendChoice } from './backend';

export interface OrtConfig {
  /** Where ORT's .wasm/.mjs files are served from (the extension copies them into its bundle). */
  wasmPaths?: string;
  /** wasm threads; more than 1 needs cross-origin isolation in a browser. */
  numThreads?: number;
}

/** Sets ORT's global wasm options. Call before the first renderer is created. */
export function configureOrt(config: OrtConfig): void {
  if (config.wasmPaths !== undefined) ort.env.wasm.wasmPaths = config.wasmPaths;
  if (config.numThreads !== undefined) ort.env.wasm.numThreads = config.numThreads;
}

/**
 * Gives onnxruntime-web its wasm as bytes (`wasmFile` from `wasmPaths`: the build this bundle
 * carries, see ort-files.ts), so it compiles them with WebAssembly.instantiate instead of
 * streaming them from their URL. Streamed, the module goes through Chromium's wasm code cache,
 * and once the cache held it, each later document's workers kept Chromium's thread pool at
 * 50-70 % of a core for minutes (bench:call on 2 cores: the first call in a browser profile 6.1
 * poses/s, later ones 3.6; from bytes, later calls settle as the first does). Call before the
 * first session; `dropOrtWasmBytes` after it.
 */
export async function useOrtWasmBytes(wasmPaths: string, wasmFile: string, fetchFile: typeof fetch = fetch): Promise<void> {
  const url = wasmPaths + wasmFile;
  const r = await fetchFile(url);
  if (!r.ok) throw new Error(`onnxruntime-web's wasm could not be read (${url}: HTTP ${r.status})`);
  ort.env.wasm.wasmBinary = new Uint8Array(await r.arrayBuffer());
}

/** Lets the bytes go once the module is compiled (sessions share the one instance). */
export function dropOrtWasmBytes(): void {
  ort.env.wasm.wasmBinary = undefined;
}

/**
 * The GPUDevice ORT's WebGPU backend runs on (after a webgpu renderer was created). Consumers of
 * `renderToGpu` must use this device, from this module's ORT instance.
 */
export function webgpuDevice(): Promise<unknown> {
  return ort.env.webgpu.device;
}

/** A character's tensors, as `loadCharacter` returns them. */
export interface CharacterTensors {
  face: StateDict;
  body: StateDict;
  /** 4x512x512 CHW, THA4's encoding. */
  imageTensor: Float32Array;
}

export interface RendererOptions {
  /** A prebuilt frame model (buildFrameModel); its size must equal `size`. Either this or `character`. */
  model?: Uint8Array;
  character?: CharacterTensors;
  /** Frame side (default 512). */
  size?: number;
  backend?: BackendChoice;
  /** A backend already decided by the caller (the extension's render plan): no adapter is requested here. */
  decided?: BackendDecision;
  /** wasm threads (set before the first session; default: the machine's core count, at most 4). */
  numThreads?: number;
  /**
   * Activation formulation when building from `character`. Default 'polynomial-fast' on wasm,
   * 'polynomial' on WebGPU:
   * WGSL's sin is only specified to 2^-11 absolute error, and native Sin on SwiftShader, even range
   * reduced, moved a 64x64 frame by up to 0.13 against wasm (polynomial: 1.3e-4).
   */
  sine?: SineMode;
}

/** A frame left on the GPU: consume `buffer` on `await ort.env.webgpu.device`, then dispose. */
export interface GpuFrame {
  /** 4 x size x size float32, channel-major, THA4's encoding. */
  readonly buffer: ort.Tensor['gpuBuffer'];
  readonly tensor: ort.Tensor;
  dispose(): void;
}

export interface Renderer {
  readonly backend: Backend;
  /** Why this backend was chosen (for the UI and logs). */
  readonly backendReason: string;
  readonly size: number;
  /** Renders one frame and reads it back: 4 x size x size float32, channel-major. */
  render(pose: ArrayLike<number>): Promise<Float32Array>;
  /**
   * Renders and reads back the named outputs (e.g. the `face` patch of a model built with
   * debugOutputs), for tests and debugging.
   */
  renderOutputs(pose: ArrayLike<number>, names: readonly string[]): Promise<Record<string, Float32Array>>;
  /** WebGPU only: renders one frame and leaves it on the GPU (no readback). */
  renderToGpu(pose: ArrayLike<number>): Promise<GpuFrame>;
  dispose(): Promise<void>;
}

function defaultThreads(): number {
  // Browsers without cross-origin isolation have no SharedArrayBuffer: ORT would warn and use 1.
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return 1;
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(4, cores));
}

let sessionCreated = false;

/** Creates a renderer; with `backend: 'auto'` WebGPU is used when an adapter is available. */
export async function createRenderer(opts: RendererOptions): Promise<Renderer> {
  const size = opts.size ?? IMAGE_SIZE;
  if (!opts.model && !opts.character) throw new Error('createRenderer needs a model or a character');
  const { backend, reason } = opts.decided ?? (await detectBackend(opts.backend ?? 'auto'));
  // ORT reads numThreads when it initializes wasm, i.e. at the first session.
  if (!sessionCreated) ort.env.wasm.numThreads = opts.numThreads ?? (ort.env.wasm.numThreads || defaultThreads());
  const model =
    opts.model ??
    buildFrameModel({
      ...(opts.character as CharacterTensors),
      size,
      // WASM: the cheaper formulation (checked against the goldens); GPUs keep the reference one.
      sine: opts.sine ?? (backend === 'wasm' ? 'polynomial-fast' : 'polynomial'),
    });
  const onGpu = backend === 'webgpu';
  const session = await ort.InferenceSession.create(model, {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    ...(onGpu ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
  });
  sessionCreated = true;
  const frameName = FrameModelNames.frame;
  // Part models (face only) have no frame; they serve renderOutputs.
  const hasFrame = session.outputNames.includes(frameName);

  // A session runs one inference at a time; callers (a frame loop, a UI) may overlap requests.
  let queue: Promise<unknown> = Promise.resolve();
  function runNamed(pose: ArrayLike<number>, names: readonly string[]): Promise<ort.InferenceSession.ReturnType> {
    const input = new ort.Tensor('float32', sanitizePose(pose), [1, pose.length]);
    const result = queue.then(() => session.run({ [FrameModelNames.pose]: input }, [...names]));
    queue = result.catch(() => undefined);
    return result;
  }

  async function run(pose: ArrayLike<number>): Promise<ort.Tensor> {
    if (!hasFrame) throw new Error(`the model has no '${frameName}' output`);
    // Fetch only the frame: debug outputs of a model are then not copied out.
    return (await runNamed(pose, [frameName]))[frameName];
  }

  async function download(t: ort.Tensor): Promise<Float32Array> {
    if (t.location === 'cpu') return t.data as Float32Array;
    return (await t.getData(true)) as Float32Array;
  }

  return {
    backend,
    backendReason: reason,
    size,
    async render(pose) {
      const frame = await download(await run(pose));
      if (frame.length !== 4 * size * size) throw new Error(`the model renders ${frame.length / 4} pixels, not ${size}x${size}`);
      return frame;
    },
    async renderOutputs(pose, names) {
      const result = await runNamed(pose, names);
      const out: Record<string, Float32Array> = {};
      for (const name of names) out[name] = await download(result[name]);
      return out;
    },
    async renderToGpu(pose) {
      if (!onGpu) throw new Error('renderToGpu needs the webgpu backend');
      const t = await run(pose);
      return { buffer: t.gpuBuffer, tensor: t, dispose: () => t.dispose() };
    },
    async dispose() {
      await session.release();
    },
  };
}
