/**
 * Turns a frame (4 x n x n float32, channel-major, premultiplied linear RGBA in [-1, 1]) into
 * RGBA8 pixels exactly as THA4's convert_output_image_from_torch_to_numpy does: no
 * un-premultiply, linear -> sRGB on RGB, round half to even.
 */

/** Linear -> sRGB threshold THA4 uses (0.0031308 to more digits). */
const SRGB_LINEAR_LIMIT = 0.003130804953560372;

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v; // NaN falls through as NaN and becomes 0 below
}

/** numpy.rint: round half to even. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function toByte(v: number): number {
  return Number.isNaN(v) ? 0 : roundHalfEven(255 * v);
}

export function linearToSrgb(v: number): number {
  return v <= SRGB_LINEAR_LIMIT ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
}

export function frameToTha4Rgba(frame: Float32Array, size: number): Uint8Array {
  const n = size * size;
  if (frame.length !== 4 * n) throw new RangeError(`a ${size}x${size} frame has ${4 * n} floats, got ${frame.length}`);
  const out = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[4 * i + c] = toByte(linearToSrgb(clamp01((frame[c * n + i] + 1) / 2)));
    out[4 * i + 3] = toByte(clamp01((frame[3 * n + i] + 1) / 2));
  }
  return out;
}
