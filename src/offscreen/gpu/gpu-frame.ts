/**
 * A rendered frame that is also on the GPU: the live WGSL renderer hands the pipeline an
 * ImageBitmap (what the 2D compositor draws) and tags it here with the texture holding the same
 * picture, so a GPU compositor on the same device can draw the texture instead, with no round
 * trip through the bitmap. A tag whose texture was freed, or whose device was lost, is not live:
 * the 2D compositor draws the bitmap then.
 */
export interface GpuFrame {
  readonly device: GPUDevice;
  /** Straight-alpha sRGB picture, premultiplied, rgba8unorm, square. */
  readonly texture: GPUTexture;
  /** False once the texture was freed or its device lost. */
  live(): boolean;
}

const tags = new WeakMap<object, GpuFrame>();

export function tagGpuFrame(image: object, frame: GpuFrame): void {
  tags.set(image, frame);
}

/** The live GPU frame behind an image the renderer made (null for any other image). */
export function gpuFrameOf(image: unknown): GpuFrame | null {
  if (typeof image !== 'object' || image === null) return null;
  const f = tags.get(image);
  return f && f.live() ? f : null;
}
