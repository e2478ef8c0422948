/**
 * Draws the renderer's frame buffer (premultiplied linear RGBA in [-1, 1], channel-major, THA4's
 * encoding) into a WebGPU OffscreenCanvas as the same straight-alpha sRGB picture frameToCanvasRgba
 * makes on the CPU, and snapshots it for the compositor. A standalone WebGPU OffscreenCanvas is not
 * presented by the browser, so it is read only through `transferToImageBitmap()`, which also hands
 * the picture over without any copy back to the CPU on our side. The same pass also writes the
 * picture into one of two textures of ours (alternating, so the frame shown stays intact while the
 * next one renders), tagged on the bitmap for the GPU compositor (gpu-frame.ts).
 */
import { tagGpuFrame } from './gpu-frame';

const SHADER = /* wgsl */ `
@group(0) @binding(0) var<storage, read> F: array<f32>;
@group(0) @binding(1) var<uniform> N: vec4<u32>;

@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
  let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
  return vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
}

fn srgb(v: f32) -> f32 {
  return select(1.055 * pow(v, 1.0 / 2.4) - 0.055, 12.92 * v, v <= 0.0031308);
}

fn pixel(pos: vec4<f32>) -> vec4<f32> {
  let n = N.x;
  let p = u32(pos.y) * n + u32(pos.x);
  let a = clamp((F[3u * n * n + p] + 1.0) * 0.5, 0.0, 1.0);
  if (a < 1e-4) { return vec4<f32>(0.0); }
  let rgb = clamp((vec3<f32>(F[p], F[n * n + p], F[2u * n * n + p]) + 1.0) * 0.5 / a, vec3<f32>(0.0), vec3<f32>(1.0));
  // The canvas is premultiplied: straight sRGB times alpha.
  return vec4<f32>(vec3<f32>(srgb(rgb.x), srgb(rgb.y), srgb(rgb.z)) * a, a);
}

struct Out {
  @location(0) canvas: vec4<f32>,
  @location(1) texture: vec4<f32>,
}

@fragment fn fs(@builtin(position) pos: vec4<f32>) -> Out {
  let c = pixel(pos);
  return Out(c, c);
}
`;

export interface FramePresenter {
  readonly size: number;
  /** Records the draw of the frame buffer into the canvas; submit, then `snapshot`. */
  encode(encoder: GPUCommandEncoder): void;
  /** The canvas's picture as an ImageBitmap (the canvas is blank after it). */
  snapshot(): ImageBitmap;
  dispose(): void;
}

export function createFramePresenter(device: GPUDevice, frame: GPUBuffer, size: number): FramePresenter {
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('webgpu');
  if (!ctx) throw new Error('no WebGPU context on an OffscreenCanvas');
  const format = 'rgba8unorm';
  ctx.configure({ device, format, alphaMode: 'premultiplied' });
  const module = device.createShaderModule({ label: 'present', code: SHADER });
  const pipeline = device.createRenderPipeline({
    label: 'present',
    layout: 'auto',
    vertex: { module, entryPoint: 'vs' },
    fragment: { module, entryPoint: 'fs', targets: [{ format }, { format }] },
  });
  const textures = [0, 1].map((i) =>
    device.createTexture({ label: `frame ${i}`, size: [size, size], format, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING }),
  );
  let next = 0;
  let alive = true;
  void device.lost.then(() => (alive = false));
  const live = () => alive;
  const uniform = device.createBuffer({ label: 'present size', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(uniform, 0, new Uint32Array([size, 0, 0, 0]));
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: frame } },
      { binding: 1, resource: { buffer: uniform } },
    ],
  });
  return {
    size,
    encode(encoder) {
      const pass = encoder.beginRenderPass({
        label: 'present',
        colorAttachments: [
          { view: ctx.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 0] },
          { view: textures[next]!.createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 0] },
        ],
      });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.draw(3);
      pass.end();
    },
    snapshot() {
      const bitmap = canvas.transferToImageBitmap();
      tagGpuFrame(bitmap, { device, texture: textures[next]!, live });
      next ^= 1;
      return bitmap;
    },
    dispose() {
      alive = false;
      uniform.destroy();
      for (const t of textures) t.destroy();
    },
  };
}
