import { describe, expect, it } from 'vitest';
import { packCharacter, unpackCharacter } from './character-blob';

describe('character blob', () => {
  it('round-trips state dicts and the image tensor', () => {
    const face = new Map([['a.weight', { shape: [2, 3, 1, 1], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }]]);
    const body = new Map([
      ['b.bias', { shape: [1], data: Float32Array.from([-0.5]) }],
      ['c', { shape: [3], data: Float32Array.from([7, 8, 9]) }],
    ]);
    const imageTensor = Float32Array.from([0.25, -1, 1]);
    const back = unpackCharacter(packCharacter({ face, body, imageTensor }));
    expect([...back.face]).toEqual([...face]);
    expect([...back.body]).toEqual([...body]);
    expect(back.imageTensor).toEqual(imageTensor);
  });
});
