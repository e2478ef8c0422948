/** A small PNG of the character for the library and the popup's picker. */
import type { RgbaImage } from '../core/character';

export const THUMBNAIL_SIZE = 96;

export async function makeThumbnail(image: RgbaImage, size = THUMBNAIL_SIZE): Promise<Blob> {
  const full = new OffscreenCanvas(image.width, image.height);
  const fullCtx = full.getContext('2d');
  if (!fullCtx) throw new Error('2D canvas is not available');
  fullCtx.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  const small = new OffscreenCanvas(size, size);
  const ctx = small.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(full, 0, 0, size, size);
  return small.convertToBlob({ type: 'image/png' });
}
