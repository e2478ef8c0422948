/**
 * THA4's way of fitting an arbitrary picture to the poser's square input
 * (`resize_PIL_image` in tha4/image_util.py): crop the centred square of side min(w, h), then
 * resize it with Pillow's LANCZOS filter. Reimplemented here to match Pillow (9.x) byte for byte:
 * - Image.resize on RGBA premultiplies alpha in 8 bits first ("RGBa") and divides it out after;
 * - separable two-pass resampling, horizontal first, with 8-bit rounding after each pass;
 * - filter weights normalized per output pixel and quantized to 22-bit fixed point.
 */

const PRECISION_BITS = 32 - 8 - 2;
const LANCZOS_SUPPORT = 3;

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = x * Math.PI;
  return Math.sin(px) / px;
}

function lanczos(x: number): number {
  return x >= -LANCZOS_SUPPORT && x < LANCZOS_SUPPORT ? sinc(x) * sinc(x / LANCZOS_SUPPORT) : 0;
}

interface Coefficients {
  /** Per output pixel: first input index and number of taps. */
  bounds: Int32Array;
  /** Fixed-point weights, `ksize` per output pixel. */
  weights: Int32Array;
  ksize: number;
}

/** Maps the input span [in0, in1) onto outSize pixels (Pillow's precompute_coeffs). */
function precomputeCoefficients(inSize: number, in0: number, in1: number, outSize: number): Coefficients {
  const scale = (in1 - in0) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = LANCZOS_SUPPORT * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    k.fill(0);
    for (let x = 0; x < xmax; x++) {
      const w = lanczos((x + xmin - center + 0.5) / filterScale);
      k[x] = w;
      sum += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = sum !== 0 ? k[x] / sum : k[x];
      const scaled = w * (1 << PRECISION_BITS);
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + scaled) : Math.trunc(0.5 + scaled);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, weights, ksize };
}

function clip8(v: number): number {
  if (v <= 0) return 0;
  const r = Math.floor(v / (1 << PRECISION_BITS)); // sums are plain numbers here, not int32
  return r > 255 ? 255 : r;
}

/** Horizontal pass over rows [y0, y0 + rows) of `src` (width srcW), 4 channels. */
function resampleHorizontal(src: Uint8Array, srcW: number, y0: number, rows: number, outW: number, c: Coefficients): Uint8Array {
  const out = new Uint8Array(outW * rows * 4);
  for (let y = 0; y < rows; y++) {
    const rowBase = (y + y0) * srcW * 4;
    for (let xx = 0; xx < outW; xx++) {
      const xmin = c.bounds[xx * 2];
      const xmax = c.bounds[xx * 2 + 1];
      const kBase = xx * c.ksize;
      for (let ch = 0; ch < 4; ch++) {
        let s = 1 << (PRECISION_BITS - 1);
        for (let x = 0; x < xmax; x++) s += src[rowBase + (x + xmin) * 4 + ch] * c.weights[kBase + x];
        out[(y * outW + xx) * 4 + ch] = clip8(s);
      }
    }
  }
  return out;
}

/** Vertical pass; `rowShift` is subtracted from the bounds when src is a cropped band of rows. */
function resampleVertical(src: Uint8Array, w: number, outH: number, c: Coefficients, rowShift: number): Uint8Array {
  const out = new Uint8Array(w * outH * 4);
  for (let yy = 0; yy < outH; yy++) {
    const ymin = c.bounds[yy * 2] - rowShift;
    const ymax = c.bounds[yy * 2 + 1];
    const kBase = yy * c.ksize;
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < 4; ch++) {
        let s = 1 << (PRECISION_BITS - 1);
        for (let y = 0; y < ymax; y++) s += src[((y + ymin) * w + x) * 4 + ch] * c.weights[kBase + y];
        out[(yy * w + x) * 4 + ch] = clip8(s);
      }
    }
  }
  return out;
}

/** Pillow's RGBA -> RGBa: channel * alpha / 255 with its rounding trick. */
function premultiply(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3];
    for (let ch = 0; ch < 3; ch++) {
      const t = rgba[i + ch] * a + 128;
      out[i + ch] = ((t >> 8) + t) >> 8;
    }
    out[i + 3] = a;
  }
  return out;
}

/** Pillow's RGBa -> RGBA: integer division by alpha, clamped; alpha 0 and 255 pass through. */
function unpremultiply(rgba: Uint8Array): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3];
    if (a === 0 || a === 255) continue;
    for (let ch = 0; ch < 3; ch++) rgba[i + ch] = Math.min(255, Math.floor((255 * rgba[i + ch]) / a));
  }
}

/** Pillow `Image.resize((outW, outH), LANCZOS, box)` of an RGBA image; box = [x0, y0, x1, y1]. */
export function pillowResizeRgba(
  rgba: Uint8Array,
  width: number,
  height: number,
  outW: number,
  outH: number,
  box: readonly [number, number, number, number] = [0, 0, width, height],
): Uint8Array {
  if (outW === width && outH === height && box[0] === 0 && box[1] === 0 && box[2] === width && box[3] === height) {
    return rgba.slice();
  }
  let img = premultiply(rgba);
  let w = width;
  const needHorizontal = outW !== width || box[0] !== 0 || box[2] !== outW;
  const needVertical = outH !== height || box[1] !== 0 || box[3] !== outH;
  const horiz = precomputeCoefficients(width, box[0], box[2], outW);
  const vert = precomputeCoefficients(height, box[1], box[3], outH);
  // Only the input rows the vertical pass reads are resampled horizontally.
  const firstRow = vert.bounds[0];
  const lastRow = vert.bounds[outH * 2 - 2] + vert.bounds[outH * 2 - 1];
  let rowShift = 0;
  if (needHorizontal) {
    img = resampleHorizontal(img, width, firstRow, lastRow - firstRow, outW, horiz);
    w = outW;
    rowShift = firstRow;
  }
  if (needVertical) {
    img = resampleVertical(img, w, outH, vert, rowShift);
  }
  unpremultiply(img);
  return img;
}

/** THA4's resize_PIL_image: centred square crop, then LANCZOS to size x size. */
export function resizeLikeTha4(rgba: Uint8Array, width: number, height: number, size: number): Uint8Array {
  const d = Math.min(width, height);
  const box = [
    Math.floor((width - d) / 2),
    Math.floor((height - d) / 2),
    Math.floor((width + d) / 2),
    Math.floor((height + d) / 2),
  ] as const;
  return pillowResizeRgba(rgba, width, height, size, size, box);
}
