import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../scripts/lib/shared-path';
import {
  BODY_LAST_LAYER,
  BODY_LEVELS,
  BODY_MORPHER,
  FACE_INPUT_CHANNELS,
  FACE_LAST_LAYER,
  FACE_MORPHER,
  FACE_SINE_LAYERS,
  validateStateDict,
} from './architecture';
import { readStateDict } from './checkpoint';
import { CharacterFormatError } from './errors';
import type { StateDict } from './tensor';

function fakeStateDict(tensors: readonly { name: string; shape: readonly number[] }[]): StateDict {
  return new Map(tensors.map((t) => [t.name, { shape: [...t.shape], data: new Float32Array(0) }]));
}

function errorOf(fn: () => void): CharacterFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CharacterFormatError);
    return e as CharacterFormatError;
  }
  throw new Error('expected a validation error');
}

describe('architecture descriptions', () => {
  it('face morpher: 41 -> 128 x 8 -> 4', () => {
    expect(FACE_INPUT_CHANNELS).toBe(41);
    expect(FACE_SINE_LAYERS).toHaveLength(8);
    expect(FACE_SINE_LAYERS[0]).toEqual({
      weight: 'siren.sine_layers.0.linear.weight',
      bias: 'siren.sine_layers.0.linear.bias',
      inChannels: 41,
      outChannels: 128,
    });
    expect(FACE_SINE_LAYERS[7].inChannels).toBe(128);
    expect(FACE_LAST_LAYER).toMatchObject({ weight: 'siren.last_linear.weight', inChannels: 128, outChannels: 4 });
    expect(FACE_MORPHER.tensors).toHaveLength(18);
  });

  it('body morpher: levels 47->360->360->180, 227->180->180->90, 137->90->90->90, last 90->7', () => {
    expect(BODY_LEVELS.map((l) => [l.size, l.upsampledChannels, l.inputChannels])).toEqual([
      [128, 0, 47],
      [256, 180, 227],
      [512, 90, 137],
    ]);
    expect(BODY_LEVELS.map((l) => l.layers.map((x) => [x.inChannels, x.outChannels]))).toEqual([
      [[47, 360], [360, 360], [360, 180]],
      [[227, 180], [180, 180], [180, 90]],
      [[137, 90], [90, 90], [90, 90]],
    ]);
    expect(BODY_LEVELS[1].layers[2].weight).toBe('siren_layers.1.2.linear.weight');
    expect(BODY_LAST_LAYER).toMatchObject({ weight: 'last_linear.weight', bias: 'last_linear.bias', inChannels: 90, outChannels: 7 });
    expect(BODY_MORPHER.tensors).toHaveLength(20);
    expect(BODY_MORPHER.tensors[0]).toEqual({ name: 'siren_layers.0.0.linear.weight', shape: [360, 47, 1, 1] });
  });
});

describe('validateStateDict', () => {
  it('accepts the exact set of tensors', () => {
    expect(() => validateStateDict(fakeStateDict(FACE_MORPHER.tensors), FACE_MORPHER, 'f.pt')).not.toThrow();
    expect(() => validateStateDict(fakeStateDict(BODY_MORPHER.tensors), BODY_MORPHER, 'b.pt')).not.toThrow();
  });

  it('reports a missing tensor', () => {
    const sd = fakeStateDict(FACE_MORPHER.tensors);
    sd.delete('siren.sine_layers.3.linear.bias');
    const err = errorOf(() => validateStateDict(sd, FACE_MORPHER, 'face_morpher.pt'));
    expect(err.code).toBe('missing-tensor');
    expect(err.message).toContain("face_morpher.pt: this is not a THA4 face morpher: 1 expected tensor(s) are missing, e.g. 'siren.sine_layers.3.linear.bias'");
  });

  it('reports a wrong shape', () => {
    const sd = fakeStateDict(BODY_MORPHER.tensors);
    sd.set('siren_layers.2.0.linear.weight', { shape: [90, 136, 1, 1], data: new Float32Array(0) });
    const err = errorOf(() => validateStateDict(sd, BODY_MORPHER, 'body_morpher.pt'));
    expect(err.code).toBe('bad-shape');
    expect(err.message).toContain("'siren_layers.2.0.linear.weight' has shape [90, 136, 1, 1] but a THA4 body morpher needs [90, 137, 1, 1]");
  });

  it('reports a wrong rank', () => {
    const sd = fakeStateDict(FACE_MORPHER.tensors);
    sd.set('siren.last_linear.weight', { shape: [4, 128], data: new Float32Array(0) });
    expect(errorOf(() => validateStateDict(sd, FACE_MORPHER, 'f.pt')).code).toBe('bad-shape');
  });

  it('reports an unexpected tensor', () => {
    const sd = fakeStateDict(FACE_MORPHER.tensors);
    sd.set('siren.extra.weight', { shape: [1], data: new Float32Array(0) });
    const err = errorOf(() => validateStateDict(sd, FACE_MORPHER, 'f.pt'));
    expect(err.code).toBe('unexpected-tensor');
    expect(err.message).toContain("'siren.extra.weight'");
  });

  it('hints when face and body files are swapped', () => {
    const err = errorOf(() => validateStateDict(fakeStateDict(BODY_MORPHER.tensors), FACE_MORPHER, 'face_morpher.pt'));
    expect(err.code).toBe('missing-tensor');
    expect(err.message).toContain('is this the other morpher?');
  });

  it.each(['lambda_00', 'lambda_01'])('accepts the %s sample checkpoints', (id) => {
    const dir = join(requireSharedDir(), 'tha4', id);
    const load = (f: string) => readStateDict(new Uint8Array(readFileSync(join(dir, f))), f);
    expect(() => validateStateDict(load('face_morpher.pt'), FACE_MORPHER, 'face_morpher.pt')).not.toThrow();
    expect(() => validateStateDict(load('body_morpher.pt'), BODY_MORPHER, 'body_morpher.pt')).not.toThrow();
  });
});
