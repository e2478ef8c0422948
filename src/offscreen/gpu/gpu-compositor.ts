/**
 * The compositor as one WebGPU render pass, for an outgoing track whose character frame is on the
 * GPU (gpu-frame.ts): the same picture compositor.ts draws on a 2D canvas (background colour or
 * cover-fitted image, the character framed by characterRect, straight alpha over the background,
 * the card, the bench stamps), into a WebGPU canvas of the track's size. Per frame: one uniform
 * write, one draw of a full-frame triangle, one `transferToImageBitmap()`; the background image
 * and the card are uploaded only when they change. Nothing is read back.
 */
import { drawCard, STAMP_BITS, STAMP_BLOCK, type Scene } from '../pipeline/compositor';
import { packUniforms, UNIFORM_BYTES } from './composite-layout';
import type { GpuFrame } from './gpu-frame';

const SHADER = /* wgsl */ `
struct Composite {
  size: vec4<f32>,
  color: vec4<f32>,
  image: vec4<f32>,
  figure: vec4<f32>,
  stamp: vec4<u32>,
}
@group(0) @binding(0) var<uniform> U: Composite;
@group(0) @binding(1) var linearSampler: sampler;
@group(0) @binding(2) var background: texture_2d<f32>;
@group(0) @binding(3) var character: texture_2d<f32>;
@group(0) @binding(4) var card: texture_2d<f32>;

@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
  let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
  return vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
}

// All colours premultiplied sRGB, blended in sRGB as the 2D canvas does.
fn over(top: vec4<f32>, under: vec4<f32>) -> vec4<f32> {
  return top + under * (1.0 - top.a);
}

@fragment fn fs(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
  let p = pos.xy;
  var c = U.color;
  if (U.size.z > 0.5) {
    let uv = (p - U.image.xy) / U.image.zw;
    c = over(textureSampleLevel(background, linearSampler, uv, 0.0), vec4<f32>(0.0, 0.0, 0.0, 1.0));
  }
  if (U.figure.w > 0.5) {
    let uv = (p - U.figure.xy) / U.figure.z;
    if (all(uv >= vec2<f32>(0.0)) && all(uv < vec2<f32>(1.0))) {
      c = over(textureSampleLevel(character, linearSampler, uv, 0.0), c);
    }
  }
  if (U.size.w > 0.5) {
    c = over(textureLoad(card, vec2<i32>(p), 0), c);
  }
  if (U.stamp.z == 1u) {
    let cell = vec2<u32>(p / ${STAMP_BLOCK}.0);
    if (cell.x < ${STAMP_BITS}u && cell.y < 2u) {
      let v = select(U.stamp.x, U.stamp.y, cell.y == 1u);
      c = vec4<f32>(vec3<f32>(f32((v >> cell.x) & 1u)), 1.0);
    }
  }
  return vec4<f32>(c.rgb, 1.0);
}
`;

/** Per device: the pipeline, the sampler and a blank texture for what a frame does not show. */
interface DeviceParts {
  pipeline: GPURenderPipeline;
  sampler: GPUSampler;
  blank: GPUTexture;
}
const partsOf = new WeakMap<GPUDevice, DeviceParts>();
const FORMAT: GPUTextureFormat = 'rgba8unorm';

function deviceParts(device: GPUDevice): DeviceParts {
  let p = partsOf.get(device);
  if (p) return p;
  const module = device.createShaderModule({ label: 'composite', code: SHADER });
  const pipeline = device.createRenderPipeline({
    label: 'composite',
    layout: 'auto',
    vertex: { module, entryPoint: 'vs' },
    fragment: { module, entryPoint: 'fs', targets: [{ format: FORMAT }] },
  });
  const sampler = device.createSampler({ magFilter: 'linear', minFilter: 'linear', addressModeU: 'clamp-to-edge', addressModeV: 'clamp-to-edge' });
  const blank = device.createTexture({ label: 'blank', size: [1, 1], format: FORMAT, usage: GPUTextureUsage.TEXTURE_BINDING });
  p = { pipeline, sampler, blank };
  partsOf.set(device, p);
  return p;
}

/** A texture uploaded from a 2D image source, remembered by what it was made from. */
interface Upload {
  key: unknown;
  texture: GPUTexture;
}

export class GpuCompositor {
  readonly canvas = new OffscreenCanvas(1, 1);
  private ctx: GPUCanvasContext;
  private parts: DeviceParts;
  private uniform: GPUBuffer;
  private uniformData = new ArrayBuffer(UNIFORM_BYTES);
  private background: Upload | null = null;
  private card: Upload | null = null;
  /** Bind groups by character texture (two alternate), valid while background and card stay. */
  private groups = new Map<GPUTexture, GPUBindGroup>();
  private inFlight = false;

  constructor(readonly device: GPUDevice) {
    const ctx = this.canvas.getContext('webgpu');
    if (!ctx) throw new Error('no WebGPU context on an OffscreenCanvas');
    this.ctx = ctx;
    ctx.configure({ device, format: FORMAT, alphaMode: 'opaque' });
    this.parts = deviceParts(device);
    this.uniform = device.createBuffer({ label: 'composite uniforms', size: UNIFORM_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  /**
   * True while the last frame is not done on the GPU. The queue is shared with the renderer: the
   * caller sends its last picture again rather than queue more (on a slow GPU, such as
   * SwiftShader, frames queued at the track's rate outrun it and nothing gets through).
   */
  get busy(): boolean {
    return this.inFlight;
  }

  /**
   * Composites the scene with `frame` as its character at w x h; returns the picture (the
   * caller's to close). The canvas is blank afterwards.
   */
  draw(scene: Scene, frame: GpuFrame, w: number, h: number): ImageBitmap {
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const bg = scene.background;
    const image = bg.kind === 'image' && bg.image && sizeOf(bg.image).width > 0 && sizeOf(bg.image).height > 0 ? bg.image : null;
    this.followBackground(image);
    this.followCard(scene.card, w, h);
    packUniforms(
      {
        width: w,
        height: h,
        color: bg.kind === 'color' ? bg.color : bg.fallback,
        image: image ? sizeOf(image) : null,
        framing: scene.framing,
        character: true,
        card: this.card !== null,
        stamps: scene.stamp !== undefined ? { stamp: scene.stamp, poseStamp: scene.poseStamp ?? 0 } : null,
      },
      this.uniformData,
    );
    const { device } = this;
    device.queue.writeBuffer(this.uniform, 0, this.uniformData);
    const encoder = device.createCommandEncoder({ label: 'composite' });
    const pass = encoder.beginRenderPass({
      label: 'composite',
      colorAttachments: [{ view: this.ctx.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }],
    });
    pass.setPipeline(this.parts.pipeline);
    pass.setBindGroup(0, this.group(frame.texture));
    pass.draw(3);
    pass.end();
    device.queue.submit([encoder.finish()]);
    this.inFlight = true;
    void device.queue.onSubmittedWorkDone().finally(() => (this.inFlight = false));
    return this.canvas.transferToImageBitmap();
  }

  private group(character: GPUTexture): GPUBindGroup {
    let g = this.groups.get(character);
    if (g) return g;
    if (this.groups.size >= 4) this.groups.clear(); // the renderer's textures changed (new size)
    g = this.device.createBindGroup({
      label: 'composite',
      layout: this.parts.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.uniform } },
        { binding: 1, resource: this.parts.sampler },
        { binding: 2, resource: (this.background?.texture ?? this.parts.blank).createView() },
        { binding: 3, resource: character.createView() },
        { binding: 4, resource: (this.card?.texture ?? this.parts.blank).createView() },
      ],
    });
    this.groups.set(character, g);
    return g;
  }

  /** Uploads the background image once per image. */
  private followBackground(image: CanvasImageSource | null): void {
    if ((this.background?.key ?? null) === image) return;
    this.replace('background', image ? { key: image, texture: this.upload(image as ImageBitmap | OffscreenCanvas, 'background') } : null);
  }

  /** Rasterises the card (compositor.ts's drawCard, over transparency) only when its text or the size changes. */
  private followCard(text: string | null, w: number, h: number): void {
    const key = text === null ? null : `${w}x${h}:${text}`;
    if ((this.card?.key ?? null) === key) return;
    let upload: Upload | null = null;
    if (text !== null) {
      const layer = new OffscreenCanvas(w, h);
      drawCard(layer.getContext('2d')!, w, h, text);
      upload = { key, texture: this.upload(layer, 'card') };
    }
    this.replace('card', upload);
  }

  private replace(which: 'background' | 'card', next: Upload | null): void {
    this[which]?.texture.destroy();
    this[which] = next;
    this.groups.clear();
  }

  private upload(source: ImageBitmap | OffscreenCanvas, label: string): GPUTexture {
    const size = sizeOf(source);
    const texture = this.device.createTexture({
      label,
      size: [size.width, size.height],
      format: FORMAT,
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.RENDER_ATTACHMENT,
    });
    this.device.queue.copyExternalImageToTexture({ source }, { texture, premultipliedAlpha: true }, [size.width, size.height]);
    return texture;
  }

  dispose(): void {
    this.background?.texture.destroy();
    this.card?.texture.destroy();
    this.background = this.card = null;
    this.groups.clear();
    this.uniform.destroy();
    try {
      this.ctx.unconfigure();
    } catch {
      // a lost device's context may already be gone
    }
  }
}

function sizeOf(image: CanvasImageSource): { width: number; height: number } {
  const i = image as { width: number; height: number };
  return { width: i.width, height: i.height };
}
