/**
 * Shows a frame that the WebGPU renderer left on the GPU: a small render pass reads the
 * 4xNxN float buffer (premultiplied linear, [-1, 1]) and writes sRGB pixels into a WebGPU canvas,
 * so pose -> pixels never leaves the GPU. The 2D compositor then draws that canvas.
 */
const SHADER = /* wgsl */ `
struct Params { size: u32 };
@group(0) @binding(0) var<storage, read> frame: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;

@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  // One triangle covering the canvas.
  let p = array(vec2f(-1.0, -1.0), vec2f(3.0, -1.0), vec2f(-1.0, 3.0));
  return vec4f(p[i], 0.0, 1.0);
}

fn to_srgb(v: vec3f) -> vec3f {
  let lo = v * 12.92;
  let hi = 1.055 * pow(v, vec3f(1.0 / 2.4)) - 0.055;
  return select(hi, lo, v <= vec3f(0.0031308));
}

@fragment fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  let n = params.size * params.size;
  let i = u32(pos.y) * params.size + u32(pos.x);
  let a = clamp((frame[3u * n + i] + 1.0) * 0.5, 0.0, 1.0);
  let premul = clamp((vec3f(frame[i], frame[n + i], frame[2u * n + i]) + 1.0) * 0.5, vec3f(0.0), vec3f(1.0));
  let straight = select(vec3f(0.0), min(premul / a, vec3f(1.0)), a > 1e-4);
  // The canvas is premultiplied: sRGB-encode the straight colour, then multiply by alpha.
  return vec4f(to_srgb(straight) * a, a);
}
`;

export class GpuPresenter {
  readonly canvas: OffscreenCanvas;
  private ctx: GPUCanvasContext;
  private pipeline: GPURenderPipeline;
  private uniform: GPUBuffer;
  private groups = new WeakMap<GPUBuffer, GPUBindGroup>();

  constructor(private device: GPUDevice, readonly size: number) {
    this.canvas = new OffscreenCanvas(size, size);
    this.ctx = this.canvas.getContext('webgpu') as GPUCanvasContext;
    const format = navigator.gpu.getPreferredCanvasFormat();
    this.ctx.configure({ device, format, alphaMode: 'premultiplied' });
    const module = device.createShaderModule({ code: SHADER });
    this.pipeline = device.createRenderPipeline({
      layout: 'auto',
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format }] },
      primitive: { topology: 'triangle-list' },
    });
    this.uniform = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(this.uniform, 0, new Uint32Array([size, 0, 0, 0]));
  }

  present(buffer: GPUBuffer): void {
    let group = this.groups.get(buffer);
    if (!group) {
      group = this.device.createBindGroup({
        layout: this.pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer } },
          { binding: 1, resource: { buffer: this.uniform } },
        ],
      });
      this.groups.set(buffer, group);
    }
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: this.ctx.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: 0, g: 0, b: 0, a: 0 } }],
    });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, group);
    pass.draw(3);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  destroy(): void {
    this.uniform.destroy();
  }
}
