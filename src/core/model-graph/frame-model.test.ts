import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { bodyFieldShapes, buildFrameModel, frameModelOutputs, FrameModelNames, gridCoordinates, IMAGE_SIZE, type FrameModelOptions } from './frame-model';
import { decodeModel } from './onnx-proto';
import { seededRandom, syntheticBody, syntheticFace } from './test-weights';

const SIZE = 32;
const rnd = seededRandom(3);
const imageTensor = Float32Array.from({ length: 4 * IMAGE_SIZE * IMAGE_SIZE }, () => rnd());
const face = syntheticFace();
const body = syntheticBody();
const pose = Float32Array.from({ length: 45 }, (_, i) => (i % 5) / 5);

async function run(opts: Partial<FrameModelOptions>): Promise<Record<string, Float32Array>> {
  const full: FrameModelOptions = { face, body, imageTensor, size: SIZE, ...opts };
  const session = await ort.InferenceSession.create(buildFrameModel(full), { executionProviders: ['wasm'] });
  try {
    const r = await session.run({ [FrameModelNames.pose]: new ort.Tensor('float32', pose, [1, 45]) });
    const expected = frameModelOutputs(full);
    expect(session.outputNames).toEqual(expected.map((o) => o.name));
    const out: Record<string, Float32Array> = {};
    for (const o of expected) {
      expect(r[o.name].dims).toEqual(o.dims);
      out[o.name] = r[o.name].data as Float32Array;
    }
    return out;
  } finally {
    await session.release();
  }
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('buildFrameModel', () => {
  it('pixel-centre grid coordinates (align_corners = false)', () => {
    expect(Array.from(gridCoordinates(4))).toEqual([-0.75, -0.25, 0.25, 0.75]);
  });

  it('builds a graph with one pose input and the declared outputs', () => {
    const m = decodeModel(buildFrameModel({ face, body, imageTensor, size: SIZE, debugOutputs: true }));
    expect(m.graph.input.map((i) => i.name)).toEqual([FrameModelNames.pose]);
    expect(m.graph.output.map((o) => o.name)).toEqual(frameModelOutputs({ size: SIZE, debugOutputs: true }).map((o) => o.name));
  });

  it('all sine formulations agree on a small frame, and outputs are finite', async () => {
    const poly = await run({ debugOutputs: true });
    const native = await run({ debugOutputs: true, sine: 'native' });
    const reduced = await run({ debugOutputs: true, sinRangeReduction: true });
    const fast = await run({ debugOutputs: true, sine: 'polynomial-fast' });
    expect(maxDiff(fast[FrameModelNames.frame], native[FrameModelNames.frame])).toBeLessThan(5e-4);
    expect(maxDiff(fast[FrameModelNames.face], native[FrameModelNames.face])).toBeLessThan(5e-4);
    for (const v of Object.values(poly)) expect(v.every(Number.isFinite)).toBe(true);
    expect(maxDiff(poly[FrameModelNames.frame], native[FrameModelNames.frame])).toBeLessThan(5e-4);
    expect(maxDiff(reduced[FrameModelNames.frame], native[FrameModelNames.frame])).toBeLessThan(5e-4);
    expect(maxDiff(poly[FrameModelNames.face], native[FrameModelNames.face])).toBeLessThan(5e-4);
  });

  it('blends as (1 - alpha) * warped + alpha * color_change', async () => {
    const o = await run({ debugOutputs: true });
    const n = SIZE * SIZE;
    let worst = 0;
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < n; i++) {
        const a = o[FrameModelNames.alpha][i];
        const want = (1 - a) * o[FrameModelNames.warped][c * n + i] + a * o[FrameModelNames.colorChange][c * n + i];
        worst = Math.max(worst, Math.abs(o[FrameModelNames.frame][c * n + i] - want));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('the face and body parts reproduce the full graph', async () => {
    const full = await run({ debugOutputs: true });
    const facePart = await run({ part: 'face' });
    expect(maxDiff(facePart[FrameModelNames.face], full[FrameModelNames.face])).toBe(0);
    const bodyPart = await run({ part: 'body', debugOutputs: true });
    expect(maxDiff(bodyPart[FrameModelNames.alpha], full[FrameModelNames.alpha])).toBe(0);
  });

  it('body fields then the per-frame rest reproduce the full frame', async () => {
    const full = await run({});
    const fields = await run({ part: 'body-fields' });
    expect(fields[FrameModelNames.grid]).toHaveLength(2 * SIZE * SIZE);
    const rest = await ort.InferenceSession.create(buildFrameModel({ face, body, imageTensor, size: SIZE, part: 'frame-from-fields' }), { executionProviders: ['wasm'] });
    try {
      const feeds: Record<string, ort.Tensor> = { [FrameModelNames.pose]: new ort.Tensor('float32', pose, [1, 45]) };
      for (const f of bodyFieldShapes(SIZE)) feeds[f.name] = new ort.Tensor('float32', fields[f.name], f.dims);
      const r = await rest.run(feeds);
      expect(maxDiff(r[FrameModelNames.frame].data as Float32Array, full[FrameModelNames.frame])).toBeLessThan(1e-6);
    } finally {
      await rest.release();
    }
  });

  it('rejects bad sizes and images', () => {
    expect(() => buildFrameModel({ face, body, imageTensor, size: 30 })).toThrow(/multiple of 4/);
    expect(() => buildFrameModel({ face, body, imageTensor, size: 1024 })).toThrow(/multiple of 4/);
    expect(() => buildFrameModel({ face, body, imageTensor: new Float32Array(10) })).toThrow(/4x512x512/);
    const broken = new Map(face);
    broken.delete('siren.last_linear.bias');
    expect(() => buildFrameModel({ face: broken, body, imageTensor, size: SIZE })).toThrow(/siren.last_linear.bias/);
  });
});
