import { describe, expect, it } from 'vitest';
import { syntheticBody, syntheticFace } from '../../core/model-graph/test-weights';
import { layoutModel, modelDims, poseUniform } from './model-layout';
import { frameKernels } from './wgsl-source';

const image = Float32Array.from({ length: 4 * 512 * 512 }, (_, i) => (i % 7) / 7);
const face = syntheticFace();
const body = syntheticBody();

describe('modelDims', () => {
  it('reads the layer sizes from the checkpoint', () => {
    const d = modelDims(face, body);
    expect(d.face.layers.map((l) => l.outChannels)).toEqual(Array(8).fill(128));
    expect(d.face.pose).toBe(39);
    expect(d.body.pose).toBe(45);
    expect(d.body.levels.map((l) => l.map((x) => x.outChannels))).toEqual([[360, 360, 180], [180, 180, 90], [90, 90, 90]]);
  });

  it('rejects layers that do not chain', () => {
    const bad = new Map(body);
    bad.set('siren_layers.1.1.linear.weight', { shape: [180, 170, 1, 1], data: new Float32Array(180 * 170) });
    expect(() => modelDims(face, bad)).toThrow(/level 1: layer 1 takes 170/);
  });
});

describe('layoutModel', () => {
  const layout = layoutModel({ face, body, imageTensor: image, size: 64 });

  it('puts the image into HWC vec4s', () => {
    const plane = 512 * 512;
    expect(layout.image[(3 * 512 + 5) * 4 + 2]).toBe(image[2 * plane + 3 * 512 + 5]);
  });

  it('computes the pose vectors as bias + W pose in turns, shifted a quarter turn', () => {
    const pose = Array.from({ length: 45 }, (_, i) => (i % 5) / 5 - 0.3);
    const u = poseUniform(layout, pose);
    // Level 2 of the body: input (90 features, x, y, pose); channel 7.
    const w = body.get('siren_layers.2.0.linear.weight')!.data;
    const b = body.get('siren_layers.2.0.linear.bias')!.data;
    const scale = 30 / (2 * Math.PI);
    let want = b[7] * scale - 0.25;
    for (let p = 0; p < 45; p++) want += w[7 * 137 + 92 + p] * scale * pose[p];
    expect(u[layout.levels[2].first.pose * 4 + 7]).toBeCloseTo(want, 5);
    // Padding channels stay zero (90 -> 92).
    expect(u[layout.levels[2].first.pose * 4 + 90]).toBe(0);
  });

  it('pads 90-channel layers with zero rows and columns', () => {
    const d = layout.levels[2].hidden[0];
    expect(d.inV).toBe(23);
    expect(d.outV).toBe(23);
    const row = (o: number): Float32Array => layout.consts.subarray((d.weights + o * d.inV) * 4, (d.weights + (o + 1) * d.inV) * 4);
    expect(row(3).subarray(90)).toEqual(new Float32Array(2));
    expect(row(90).every((v) => v === 0)).toBe(true);
  });
});

describe('frameKernels', () => {
  it('generates one kernel per stage with sizes baked in from the layout', () => {
    const ks = frameKernels(layoutModel({ face, body, imageTensor: image, size: 512 }));
    expect(ks.map((k) => [k.name, k.grid])).toEqual([['face', 128], ['level0', 128], ['level1', 256], ['level2', 512]]);
    // Private hidden state sized for the widest layer (360 channels = 90 vec4s).
    expect(ks[1].code).toContain('array<vec4<f32>, 90>');
    // The last level gets its pose vector through level 1's output: it binds no pose uniform.
    expect(ks[3].bindings).toEqual(['consts', 'input', 'output', 'image']);
    expect(ks[0].bindings).toEqual(['consts', 'pose', 'image']);
    for (const k of ks) expect(k.code).toMatch(/fn act\(x: vec4<f32>\)/);
  });

  it('uses WGSL sin only in the native-reduced mode', () => {
    const poly = frameKernels(layoutModel({ face, body, imageTensor: image, size: 64 }));
    const native = frameKernels(layoutModel({ face, body, imageTensor: image, size: 64, sine: 'native-reduced' }));
    expect(poly.map((k) => k.name)).toEqual(['face', 'faceUp', 'level0', 'level1', 'level2']);
    expect(poly[0].code).not.toContain('sin(');
    expect(native[0].code).toContain('sin(');
  });
});
