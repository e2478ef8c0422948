/**
 * The character image: PNG bytes -> 8-bit straight-alpha RGBA at 512x512 -> the float tensor
 * THA4 feeds its poser (premultiplied linear RGB, linear alpha, all mapped to [-1, 1], CHW).
 */
import { decode } from 'fast-png';
import { CharacterFormatError } from './errors';
import { checkFileSize } from './file-size';
import { MAX_IMAGE_SIDE } from './limits';
import { resizeLikeTha4 } from './pillow-resize';

export const CHARACTER_IMAGE_SIZE = 512;

export interface RgbaImage {
  /** width * height * 4 bytes, straight (not premultiplied) alpha, row-major. */
  rgba: Uint8Array;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const COLOR_TYPE_RGBA = 6;
const COLOR_TYPE_NAMES: Record<number, string> = {
  0: 'a grayscale image without transparency',
  2: 'an RGB image without an alpha channel',
  3: 'a palette (indexed-color) image',
  4: 'a grayscale image with alpha',
};

/**
 * Decodes a PNG that must be RGBA (PNG color type 6), as THA4 requires ("Character image is not
 * an RGBA image!"). 16-bit RGBA is accepted and reduced to 8 bits by keeping the high byte,
 * which is what Pillow (and so THA4) does when it opens such a file.
 */
export function decodeRgbaPng(bytes: Uint8Array, file: string): RgbaImage {
  checkFileSize(bytes, file);
  if (bytes.length < 33 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    throw new CharacterFormatError('bad-png', file, 'not a PNG image');
  }
  // IHDR is always the first chunk: width, height, bit depth, color type.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24];
  const colorType = bytes[25];
  if (colorType !== COLOR_TYPE_RGBA) {
    const kind = COLOR_TYPE_NAMES[colorType] ?? `an image of unknown PNG color type ${colorType}`;
    throw new CharacterFormatError(
      'bad-png',
      file,
      `the character image is ${kind}; it must be an RGBA PNG (8 bits per channel with an alpha channel, ` +
        'transparent background)',
    );
  }
  if (width === 0 || height === 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new CharacterFormatError(
      'bad-png',
      file,
      `the image is ${width}x${height} pixels; sides must be between 1 and ${MAX_IMAGE_SIDE}`,
    );
  }
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new CharacterFormatError(
      'bad-png',
      file,
      `the PNG image is damaged and cannot be decoded (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (png.channels !== 4 || png.width !== width || png.height !== height || png.data.length !== width * height * 4) {
    throw new CharacterFormatError('bad-png', file, 'the PNG image decoded to unexpected data');
  }
  if (depth === 16) {
    const rgba = new Uint8Array(png.data.length);
    for (let i = 0; i < rgba.length; i++) rgba[i] = png.data[i] >> 8;
    return { rgba, width, height };
  }
  if (depth !== 8) throw new CharacterFormatError('bad-png', file, `unsupported PNG bit depth ${depth}`);
  return { rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length), width, height };
}

/** Any RGBA image at 512x512, resized (centre square crop + Lanczos) like THA4 when needed. */
export function toCharacterSize(image: RgbaImage): RgbaImage {
  const size = CHARACTER_IMAGE_SIZE;
  if (image.width === size && image.height === size) return image;
  return { rgba: resizeLikeTha4(image.rgba, image.width, image.height, size), width: size, height: size };
}

/** PNG bytes -> the 512x512 RGBA character image. */
export function decodeCharacterImage(bytes: Uint8Array, file: string): RgbaImage {
  return toCharacterSize(decodeRgbaPng(bytes, file));
}

/**
 * Per-byte lookup tables reproducing THA4's float32 numpy arithmetic step by step
 * (v = u/255; sRGB -> linear; rgb *= a; x = 2v - 1), so results match it to within float32
 * rounding of powf.
 */
const f = Math.fround;
const ENCODED_ALPHA = new Float32Array(256);
const ENCODED_RGB = new Float32Array(256 * 256); // [alpha byte * 256 + color byte]
{
  const linear = new Float32Array(256);
  const unit = new Float32Array(256);
  for (let u = 0; u < 256; u++) {
    const v = f(u / 255);
    unit[u] = v;
    linear[u] = v <= f(0.04045) ? f(v / f(12.92)) : f(Math.pow(f(f(v + f(0.055)) / f(1.055)), f(2.4)));
    ENCODED_ALPHA[u] = f(f(v * 2) - 1);
  }
  for (let a = 0; a < 256; a++) {
    for (let u = 0; u < 256; u++) ENCODED_RGB[a * 256 + u] = f(f(f(linear[u] * unit[a]) * 2) - 1);
  }
}

/**
 * RGBA bytes (straight alpha, row-major) -> 4 x h x w float32 CHW tensor: RGB linear and
 * premultiplied by alpha, alpha linear, every channel mapped from [0, 1] to [-1, 1].
 * Fully transparent pixels become (-1, -1, -1, -1).
 */
export function encodeCharacterImage(rgba: Uint8Array, width: number, height: number): Float32Array {
  const plane = width * height;
  if (rgba.length !== plane * 4) {
    throw new RangeError(`expected ${plane * 4} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  }
  const out = new Float32Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    const a = rgba[i * 4 + 3];
    const row = a * 256;
    out[i] = ENCODED_RGB[row + rgba[i * 4]];
    out[plane + i] = ENCODED_RGB[row + rgba[i * 4 + 1]];
    out[2 * plane + i] = ENCODED_RGB[row + rgba[i * 4 + 2]];
    out[3 * plane + i] = ENCODED_ALPHA[a];
  }
  return out;
}
