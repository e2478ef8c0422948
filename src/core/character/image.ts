/**
 * The character image: PNG bytes -> 8-bit straight-alpha RGBA at 512x512 -> the float tensor
 * THA4 feeds its poser (premultiplied linear RGB, linear alpha, all mapped to [-1, 1], CHW).
 */
import { decode, encode } from 'fast-png';
import { inflateBounded } from './bounded-inflate';
import { crc32 } from './crc32';
import { CharacterFormatError } from './errors';
import { checkFileSize } from './file-size';
import { MAX_ICCP_BYTES, MAX_IMAGE_SIDE, MAX_PNG_CHUNKS, formatBytes } from './limits';
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
 *
 * Before anything is inflated the chunk list is checked (count, CRCs, order, iCCP size) and the
 * image data is inflated with a hard limit of exactly the bytes its size needs; only then is the
 * PNG, reduced to its critical chunks, handed to the decoder.
 */
export function decodeRgbaPng(bytes: Uint8Array, file: string): RgbaImage {
  return decodeCheckedPng(bytes, file).image;
}

interface CheckedPng {
  image: RgbaImage;
  depth: number;
  /** The same image as a PNG holding only IHDR, IDAT and IEND. */
  minimal: Uint8Array;
}

function decodeCheckedPng(bytes: Uint8Array, file: string): CheckedPng {
  const { width, height, depth, interlaced, filtered, minimal } = checkPngChunks(bytes, file);
  // The image data is already inflated (with its limit): unfilter it here rather than inflate it twice.
  if (!interlaced) return { image: { rgba: unfilterRgba(filtered, width, height, depth, file), width, height }, depth, minimal };
  let png: ReturnType<typeof decode>;
  try {
    png = decode(minimal);
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
    return { image: { rgba, width, height }, depth, minimal };
  }
  return { image: { rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length), width, height }, depth, minimal };
}

const CRITICAL_KEPT = new Set(['IHDR', 'IDAT', 'IEND']);

/** Bytes of filtered image data a non-interlaced or Adam7 RGBA image of this size inflates to. */
export function pngDataBytes(width: number, height: number, depth: number, interlaced: boolean): number {
  const bytesPerPixel = (4 * depth) / 8;
  if (!interlaced) return height * (1 + width * bytesPerPixel);
  // Adam7: seven sub-images, each with its own filter byte per row.
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w > 0 && h > 0) total += h * (1 + w * bytesPerPixel);
  }
  return total;
}

interface CheckedChunks {
  width: number;
  height: number;
  depth: number;
  interlaced: boolean;
  /** The inflated, still filtered image data. */
  filtered: Uint8Array;
  minimal: Uint8Array;
}

function checkPngChunks(bytes: Uint8Array, file: string): CheckedChunks {
  checkFileSize(bytes, file);
  const bad = (why: string): CharacterFormatError => new CharacterFormatError('bad-png', file, why);
  if (bytes.length < 33 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw bad('not a PNG image');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    throw bad('the PNG image is damaged (it does not start with IHDR)');
  }
  // The header is judged first so an absurd size is named even when its checksum is wrong too.
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
    throw bad(`the image is ${width}x${height} pixels; sides must be between 1 and ${MAX_IMAGE_SIDE}`);
  }
  if (depth !== 8 && depth !== 16) throw bad(`unsupported PNG bit depth ${depth}`);
  if (bytes[26] !== 0 || bytes[27] !== 0 || bytes[28] > 1) throw bad('the PNG image uses an unknown compression, filter or interlace method');
  const chunks: { type: string; start: number; end: number }[] = [];
  let p = 8;
  let ended = false;
  while (!ended) {
    if (p + 12 > bytes.length) throw bad('the PNG image is cut short (no IEND chunk)');
    if (chunks.length >= MAX_PNG_CHUNKS) throw bad(`the PNG image has more than ${MAX_PNG_CHUNKS} chunks`);
    const length = view.getUint32(p);
    const end = p + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) throw bad('the PNG image is cut short (a chunk runs past the end of the file)');
    const typeBytes = bytes.subarray(p + 4, p + 8);
    if (!typeBytes.every((c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) throw bad('the PNG image is damaged (a chunk has an invalid type)');
    const type = String.fromCharCode(...typeBytes);
    if (crc32(bytes, p + 4, p + 8 + length) !== view.getUint32(p + 8 + length)) {
      throw bad(`the PNG image is damaged (the checksum of its ${type} chunk does not match)`);
    }
    if (chunks.length === 0 && type !== 'IHDR') throw bad('the PNG image is damaged (it does not start with IHDR)');
    if (type === 'IHDR' && (chunks.length > 0 || length !== 13)) throw bad('the PNG image is damaged (a bad IHDR chunk)');
    if (type === 'iCCP' && length > MAX_ICCP_BYTES) {
      throw bad(`the PNG image's colour profile (iCCP) is ${formatBytes(length)}, more than the ${formatBytes(MAX_ICCP_BYTES)} allowed`);
    }
    // Critical chunks (upper-case first letter) this reader does not know must not be skipped (PNG spec).
    if (typeBytes[0] <= 90 && !CRITICAL_KEPT.has(type) && type !== 'PLTE') throw bad(`the PNG image has an unknown critical chunk '${type}'`);
    chunks.push({ type, start: p, end });
    ended = type === 'IEND';
    p = end;
  }
  const idat = chunks.filter((c) => c.type === 'IDAT');
  if (idat.length === 0) throw bad('the PNG image has no image data (IDAT)');
  let compressed = 0;
  for (const c of idat) compressed += c.end - c.start - 12;
  const joined = new Uint8Array(compressed);
  let o = 0;
  for (const c of idat) {
    joined.set(bytes.subarray(c.start + 8, c.end - 4), o);
    o += c.end - c.start - 12;
  }
  // Proves the image data inflates to exactly what its size needs (and no more) before decoding.
  const interlaced = bytes[28] === 1;
  const filtered = inflateBounded(joined, pngDataBytes(width, height, depth, interlaced), { file, what: 'the image data' }, { zlib: true, exact: true });
  const kept = chunks.filter((c) => CRITICAL_KEPT.has(c.type));
  const minimal = new Uint8Array(8 + kept.reduce((n, c) => n + c.end - c.start, 0));
  minimal.set(bytes.subarray(0, 8));
  o = 8;
  for (const c of kept) {
    minimal.set(bytes.subarray(c.start, c.end), o);
    o += c.end - c.start;
  }
  return { width, height, depth, interlaced, filtered, minimal };
}

/**
 * Undoes the PNG row filters of a non-interlaced RGBA image (8 or 16 bits per sample) and keeps
 * 8 bits per sample (the high byte of 16-bit samples, as Pillow does).
 */
function unfilterRgba(filtered: Uint8Array, width: number, height: number, depth: number, file: string): Uint8Array {
  const bpp = depth === 16 ? 8 : 4;
  const stride = width * bpp;
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1);
    const filter = filtered[at];
    const row = filtered.subarray(at + 1, at + 1 + stride);
    switch (filter) {
      case 0:
        cur.set(row);
        break;
      case 1:
        for (let i = 0; i < stride; i++) cur[i] = row[i] + (i >= bpp ? cur[i - bpp] : 0);
        break;
      case 2:
        for (let i = 0; i < stride; i++) cur[i] = row[i] + prev[i];
        break;
      case 3:
        for (let i = 0; i < stride; i++) cur[i] = row[i] + (((i >= bpp ? cur[i - bpp] : 0) + prev[i]) >> 1);
        break;
      case 4:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? cur[i - bpp] : 0;
          const b = prev[i];
          const c = i >= bpp ? prev[i - bpp] : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          cur[i] = row[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        throw new CharacterFormatError('bad-png', file, `the PNG image is damaged (unknown row filter ${filter})`);
    }
    const o = y * width * 4;
    if (depth === 8) out.set(cur, o);
    else for (let i = 0; i < width * 4; i++) out[o + i] = cur[i * 2];
    [prev, cur] = [cur, prev];
  }
  return out;
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
 * PNG bytes -> the 512x512 character image and the PNG to store for it: the checked file reduced
 * to its critical chunks when it already is 8-bit 512x512, else the scaled image re-encoded, so a
 * large image is decoded and resized once, at import, never at each start.
 */
export function importCharacterImage(bytes: Uint8Array, file: string): { image: RgbaImage; png: Uint8Array } {
  const checked = decodeCheckedPng(bytes, file);
  const image = toCharacterSize(checked.image);
  if (image === checked.image && checked.depth === 8) return { image, png: checked.minimal };
  return { image, png: encode({ width: image.width, height: image.height, data: image.rgba, channels: 4, depth: 8 }) };
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
