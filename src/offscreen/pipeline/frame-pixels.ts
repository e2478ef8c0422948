/**
 * Turns the renderer's frame (premultiplied linear RGBA in [-1, 1], channel-major, the goldens'
 * encoding) into straight-alpha sRGB bytes a canvas can show.
 */
const LUT_SIZE = 4096;
let lut: Uint8ClampedArray | null = null;

/** linear [0,1] -> sRGB byte, tabulated (exact enough for 8-bit output). */
function srgbLut(): Uint8ClampedArray {
  if (lut) return lut;
  lut = new Uint8ClampedArray(LUT_SIZE + 1);
  for (let i = 0; i <= LUT_SIZE; i++) {
    const v = i / LUT_SIZE;
    const s = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
    lut[i] = Math.round(s * 255);
  }
  return lut;
}

export function frameToCanvasRgba(frame: Float32Array, size: number, out = new Uint8ClampedArray(size * size * 4)): Uint8ClampedArray {
  const n = size * size;
  if (frame.length < 4 * n) throw new Error(`frame has ${frame.length} values, expected ${4 * n}`);
  const t = srgbLut();
  for (let i = 0; i < n; i++) {
    const a = Math.min(1, Math.max(0, (frame[3 * n + i] + 1) / 2));
    const o = i * 4;
    if (a < 1e-4) {
      out[o] = out[o + 1] = out[o + 2] = out[o + 3] = 0;
      continue;
    }
    const inv = 1 / a;
    for (let c = 0; c < 3; c++) {
      const lin = Math.min(1, Math.max(0, ((frame[c * n + i] + 1) / 2) * inv));
      out[o + c] = t[Math.round(lin * LUT_SIZE)];
    }
    out[o + 3] = Math.round(a * 255);
  }
  return out;
}
