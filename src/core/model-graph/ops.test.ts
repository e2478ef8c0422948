/** The ONNX building blocks, run in ORT (wasm), against plain-JS references of the PyTorch ops. */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { bilinearResize } from './frame-model';
import { GraphBuilder } from './graph-builder';
import { applySine, fastSinReference, polynomialSinReference, preActivationScale, preActivationShift, sineOutputScale, type SineMode } from './sine';
import { seededRandom } from './test-weights';

async function runUnary(build: (g: GraphBuilder, x: string) => string, x: Float32Array, dims: number[], outDims: number[]): Promise<Float32Array> {
  const g = new GraphBuilder();
  g.input('x', dims);
  g.expose(build(g, 'x'), 'y', outDims);
  const session = await ort.InferenceSession.create(g.build('t', 17), { executionProviders: ['wasm'] });
  try {
    const r = await session.run({ x: new ort.Tensor('float32', x, dims) });
    return r.y.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** PyTorch upsample_bilinear2d with align_corners=False (source index clamped at 0). */
function torchBilinear(x: Float32Array, c: number, h: number, w: number, oh: number, ow: number): Float32Array {
  const out = new Float32Array(c * oh * ow);
  const src = (dst: number, inSize: number, outSize: number): [number, number, number] => {
    const s = Math.max(((dst + 0.5) * inSize) / outSize - 0.5, 0);
    const i0 = Math.floor(s);
    const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
    return [i0, i1, s - i0];
  };
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < oh; y++) {
      const [y0, y1, fy] = src(y, h, oh);
      for (let xx = 0; xx < ow; xx++) {
        const [x0, x1, fx] = src(xx, w, ow);
        const at = (yy: number, xi: number): number => x[k * h * w + yy * w + xi];
        out[k * oh * ow + y * ow + xx] =
          (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
      }
    }
  }
  return out;
}

describe('SIREN activation', () => {
  it('the polynomial formulation matches sin to 5e-7 in float64', () => {
    let worst = 0;
    for (let z = -200; z <= 200; z += 0.00731) worst = Math.max(worst, Math.abs(polynomialSinReference(z) - Math.sin(z)));
    expect(worst).toBeLessThan(5e-7);
  });

  it('the fast (Floor, degree-7 monic) formulation matches sin to 7e-7 in float64', () => {
    let worst = 0;
    for (let z = -200; z <= 200; z += 0.00731) worst = Math.max(worst, Math.abs(fastSinReference(z) - Math.sin(z)));
    expect(worst).toBeLessThan(7e-7);
  });

  for (const mode of ['polynomial', 'polynomial-fast', 'native', 'native-reduced'] as SineMode[]) {
    it(`${mode}: ORT evaluates sin of the phase the pre-activation encodes`, async () => {
      const rnd = seededRandom(7);
      const n = 4096;
      // Pre-activations as the scaled layers produce them, for |30 (W x + b)| up to 150.
      const pre = Float32Array.from({ length: n }, () => (rnd() * 150 * preActivationScale(mode)) / 30 + preActivationShift(mode));
      const y = await runUnary((g, x) => applySine(g, x, mode, 's'), pre, [n], [n]);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        // The phase the float32 input actually encodes, in radians.
        const z = mode === 'native' ? pre[i] : 2 * Math.PI * (pre[i] - preActivationShift(mode));
        worst = Math.max(worst, Math.abs(y[i] * sineOutputScale(mode) - Math.sin(z)));
      }
      expect(worst).toBeLessThan(mode === 'polynomial' ? 1e-6 : mode === 'polynomial-fast' ? 2e-6 : 2e-5);
    });
  }
});

describe('bilinear Resize', () => {
  for (const [h, oh] of [[8, 16], [16, 32], [5, 12], [32, 128]]) {
    it(`matches PyTorch interpolate(bilinear, align_corners=False) ${h} -> ${oh}`, async () => {
      const rnd = seededRandom(h * 1000 + oh);
      const c = 3;
      const x = Float32Array.from({ length: c * h * h }, () => rnd());
      const y = await runUnary((g, t) => bilinearResize(g, t, [1, c, oh, oh], 'up'), x, [1, c, h, h], [1, c, oh, oh]);
      const ref = torchBilinear(x, c, h, h, oh, oh);
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(y[i] - ref[i]));
      expect(worst).toBeLessThan(1e-6);
    });
  }
});
