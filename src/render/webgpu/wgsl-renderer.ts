/**
 * The THA4 student renderer in our own WGSL compute kernels (see wgsl-source.ts). Per frame: one
 * small buffer write (the pose vectors) and four or five dispatches; the frame stays on the GPU in
 * `output` (4 x size x size float32, CHW, THA4's encoding) unless `render` is asked to read it back.
 */
import { FACE_PATCH_LEFT, FACE_PATCH_SIZE, FACE_PATCH_TOP } from '../../core/character/architecture';
import type { StateDict } from '../../core/character/tensor';
import { IMAGE_SIZE } from '../../core/model-graph/frame-model';
import { sanitizePose } from '../pose';
import { layoutModel, poseUniform, type ModelLayout, type WgslSine } from './model-layout';
import { frameKernels, WORKGROUP, type BindingName, type KernelSource } from './wgsl-source';

export interface WgslRendererOptions {
  device: GPUDevice;
  character: { face: StateDict; body: StateDict; imageTensor: Float32Array };
  size: number;
  sine?: WgslSine;
}

export interface WgslRenderer {
  readonly device: GPUDevice;
  readonly size: number;
  readonly layout: ModelLayout;
  /** The frame of the last `encode`: 4 x size x size float32, channel-major. */
  readonly output: GPUBuffer;
  /** Writes the pose and records one frame's dispatches into `encoder` (submit it yourself). */
  encode(pose: ArrayLike<number>, encoder: GPUCommandEncoder): void;
  /** Renders one frame and reads it back (tests, CLI; the live path never reads back). */
  render(pose: ArrayLike<number>): Promise<Float32Array>;
  /** Reads back the pasted face patch of the last frame, 4 x 128 x 128 CHW (tests). */
  readFace(): Promise<Float32Array>;
  dispose(): void;
}

async function compile(device: GPUDevice, k: KernelSource): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label: k.name, code: k.code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) throw new Error(`WGSL kernel ${k.name}: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
  return device.createComputePipelineAsync({ label: k.name, layout: 'auto', compute: { module, entryPoint: 'main' } });
}

async function readBuffer(device: GPUDevice, src: GPUBuffer, offset: number, bytes: number): Promise<Float32Array> {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, offset, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const r = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return r;
}

export async function createWgslRenderer(opts: WgslRendererOptions): Promise<WgslRenderer> {
  const { device, size } = opts;
  device.pushErrorScope('validation');
  const layout = layoutModel({ ...opts.character, size, sine: opts.sine });
  const kernels = frameKernels(layout);
  const storage = (bytes: number, label: string, extra = 0): GPUBuffer =>
    device.createBuffer({ label, size: Math.max(16, bytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | extra });
  const consts = storage(layout.consts.byteLength, 'consts');
  device.queue.writeBuffer(consts, 0, layout.consts);
  const image = storage(layout.image.byteLength, 'pasted image');
  device.queue.writeBuffer(image, 0, layout.image);
  const pose = device.createBuffer({ label: 'pose vectors', size: layout.poseVec4s * 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const output = storage(4 * 4 * size * size, 'frame');
  const faceGrid = layout.face.grid === FACE_PATCH_SIZE ? undefined : storage(16 * layout.face.grid * layout.face.grid, 'face grid');
  const features = layout.levels.slice(0, -1).map((lv, i) => storage(16 * lv.grid * lv.grid * lv.out.outV, `level ${i} features`));

  const pipelines = await Promise.all(kernels.map((k) => compile(device, k)));
  // Buffers each kernel binds, by kernel name.
  const levelCount = layout.levels.length;
  const io = (k: KernelSource): Partial<Record<BindingName, GPUBuffer>> => {
    if (k.name === 'face') return { output: faceGrid };
    if (k.name === 'faceUp') return { input: faceGrid };
    const li = Number(k.name.slice('level'.length));
    return { input: li > 0 ? features[li - 1] : undefined, output: li === levelCount - 1 ? output : features[li] };
  };
  const passes = kernels.map((k, i) => {
    const bufs: Record<BindingName, GPUBuffer | undefined> = { consts, pose, image, ...io(k) } as Record<BindingName, GPUBuffer | undefined>;
    const entries = k.bindings.map((b, binding) => {
      const buffer = bufs[b];
      if (!buffer) throw new Error(`kernel ${k.name}: no buffer for ${b}`);
      return { binding, resource: { buffer } };
    });
    const bindGroup = device.createBindGroup({ layout: pipelines[i].getBindGroupLayout(0), entries });
    return { pipeline: pipelines[i], bindGroup, groups: Math.ceil(k.grid / WORKGROUP) };
  });

  const setupError = await device.popErrorScope();
  if (setupError) throw new Error(`WGSL renderer setup: ${setupError.message}`);

  let queue: Promise<unknown> = Promise.resolve();
  const renderer: WgslRenderer = {
    device,
    size,
    layout,
    output,
    encode(p, encoder) {
      device.queue.writeBuffer(pose, 0, poseUniform(layout, sanitizePose(p)));
      const pass = encoder.beginComputePass({ label: 'tha4 frame' });
      for (const x of passes) {
        pass.setPipeline(x.pipeline);
        pass.setBindGroup(0, x.bindGroup);
        pass.dispatchWorkgroups(x.groups, x.groups);
      }
      pass.end();
    },
    render(p) {
      const run = queue.then(async () => {
        device.pushErrorScope('validation');
        const enc = device.createCommandEncoder();
        renderer.encode(p, enc);
        device.queue.submit([enc.finish()]);
        const frame = await readBuffer(device, output, 0, output.size);
        const error = await device.popErrorScope();
        if (error) throw new Error(`WGSL renderer: ${error.message}`);
        return frame;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async readFace() {
      const rows = await readBuffer(device, image, FACE_PATCH_TOP * IMAGE_SIZE * 16, FACE_PATCH_SIZE * IMAGE_SIZE * 16);
      const n = FACE_PATCH_SIZE;
      const r = new Float32Array(4 * n * n);
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) for (let c = 0; c < 4; c++) r[c * n * n + y * n + x] = rows[(y * IMAGE_SIZE + FACE_PATCH_LEFT + x) * 4 + c];
      }
      return r;
    },
    dispose() {
      for (const b of [consts, image, pose, output, faceGrid, ...features]) b?.destroy();
    },
  };
  return renderer;
}
