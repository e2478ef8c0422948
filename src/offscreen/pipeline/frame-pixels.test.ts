import { describe, expect, it } from 'vitest';
import { frameToCanvasRgba } from './frame-pixels';

describe('frameToCanvasRgba', () => {
  it('un-premultiplies and sRGB-encodes, clamping out-of-range values', () => {
    // 4 pixels: transparent, opaque white, half-transparent linear 0.5 grey (premultiplied 0.25), overshoot.
    const n = 4;
    const f = new Float32Array(4 * n);
    const set = (i: number, r: number, g: number, b: number, a: number) => {
      [r, g, b, a].forEach((v, c) => (f[c * n + i] = 2 * v - 1));
    };
    set(0, 0, 0, 0, 0);
    set(1, 1, 1, 1, 1);
    set(2, 0.25, 0.25, 0.25, 0.5);
    set(3, 1.2, -0.1, 0.5, 1.3);
    const px = frameToCanvasRgba(f, 2);
    expect([...px.slice(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...px.slice(4, 8)]).toEqual([255, 255, 255, 255]);
    expect([...px.slice(8, 12)]).toEqual([188, 188, 188, 128]); // sRGB(0.5) = 188
    expect([...px.slice(12, 16)]).toEqual([255, 0, 188, 255]);
  });
  it('refuses a frame of the wrong size', () => {
    expect(() => frameToCanvasRgba(new Float32Array(3), 2)).toThrow('expected 16');
  });
});
