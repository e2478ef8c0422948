import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../scripts/lib/shared-path';
import { crc32 } from './crc32';
import { CharacterFormatError } from './errors';
import { decodeCharacterImage, decodeRgbaPng, encodeCharacterImage } from './image';
import { MAX_FILE_BYTES } from './limits';
import { resizeLikeTha4 } from './pillow-resize';
import { rgbaPng } from './test-fixtures';

function errorOf(fn: () => unknown): CharacterFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CharacterFormatError);
    return e as CharacterFormatError;
  }
  throw new Error('expected the image to be rejected');
}

describe('encodeCharacterImage matches THA4 (golden input tensors)', () => {
  const tha4 = join(requireSharedDir(), 'tha4');
  it.each(['lambda_00', 'lambda_01'])('%s within 1e-6', (id) => {
    const image = decodeCharacterImage(new Uint8Array(readFileSync(join(tha4, id, 'character.png'))), 'character.png');
    expect([image.width, image.height]).toEqual([512, 512]);
    const tensor = encodeCharacterImage(image.rgba, image.width, image.height);
    const raw = readFileSync(join(tha4, 'golden', `input_${id}.f32`));
    const golden = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    expect(tensor.length).toBe(4 * 512 * 512);
    expect(golden.length).toBe(tensor.length);
    let max = 0;
    for (let i = 0; i < golden.length; i++) max = Math.max(max, Math.abs(golden[i] - tensor[i]));
    // Observed: 1.2e-7 (one float32 ulp from the platform's powf).
    expect(max).toBeLessThanOrEqual(1e-6);
  });
});

describe('encodeCharacterImage', () => {
  it('maps transparent to -1, opaque white to +1 and premultiplies linear colour', () => {
    const rgba = Uint8Array.from([0, 0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 128, 188, 188, 188, 255]);
    const t = encodeCharacterImage(rgba, 4, 1);
    const px = (i: number) => [t[i], t[4 + i], t[8 + i], t[12 + i]];
    expect(px(0)).toEqual([-1, -1, -1, -1]);
    expect(px(1)).toEqual([1, 1, 1, 1]);
    const a = 128 / 255;
    expect(px(2)[0]).toBeCloseTo(2 * a - 1, 6); // red 1.0 linear * alpha
    expect(px(2)[1]).toBeCloseTo(-1, 6);
    expect(px(2)[3]).toBeCloseTo(2 * a - 1, 6); // alpha is not gamma-decoded
    const lin = Math.pow((188 / 255 + 0.055) / 1.055, 2.4);
    expect(px(3)[0]).toBeCloseTo(2 * lin - 1, 6);
  });

  it('checks the buffer size', () => {
    expect(() => encodeCharacterImage(new Uint8Array(10), 2, 2)).toThrow(RangeError);
  });
});

describe('decodeRgbaPng', () => {
  const pixels = (w: number, h: number, channels: number) => Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 37) & 255);

  it('decodes 8-bit RGBA as is', () => {
    const data = pixels(3, 2, 4);
    const img = decodeRgbaPng(encode({ width: 3, height: 2, data, channels: 4, depth: 8 }), 'a.png');
    expect(img).toEqual({ rgba: data, width: 3, height: 2 });
  });

  it('reduces 16-bit RGBA to its high byte, as Pillow does', () => {
    const data = Uint16Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 7919 + 300) & 0xffff);
    const img = decodeRgbaPng(encode({ width: 3, height: 2, data, channels: 4, depth: 16 }), 'a.png');
    // Reference: Pillow 9.4 Image.open(...).tobytes() of this file.
    expect(Array.from(img.rgba)).toEqual([
      1, 32, 63, 93, 124, 155, 186, 217, 248, 23, 54, 85, 116, 147, 178, 209, 240, 15, 45, 76, 107, 138, 169, 200,
    ]);
  });

  it.each([
    [3, 'an RGB image without an alpha channel'],
    [1, 'a grayscale image without transparency'],
    [2, 'a grayscale image with alpha'],
  ])('rejects %i-channel PNGs: %s', (channels, kind) => {
    const png = encode({ width: 4, height: 4, data: pixels(4, 4, channels), channels, depth: 8 });
    const err = errorOf(() => decodeRgbaPng(png, 'character.png'));
    expect(err.code).toBe('bad-png');
    expect(err.message).toBe(
      `character.png: the character image is ${kind}; it must be an RGBA PNG (8 bits per channel with an alpha channel, transparent background)`,
    );
  });

  it('rejects palette PNGs, even with a transparency chunk (THA4 refuses mode P too)', () => {
    const png = encode({
      width: 2,
      height: 2,
      data: Uint8Array.from([0, 1, 1, 0]),
      channels: 1,
      depth: 8,
      palette: [
        [0, 0, 0, 0],
        [255, 0, 0, 255],
      ],
    });
    const err = errorOf(() => decodeRgbaPng(png, 'character.png'));
    expect(err.code).toBe('bad-png');
    expect(err.message).toContain('palette');
  });

  it('rejects non-PNG data, a damaged PNG, an empty file and a file over the size limit', () => {
    expect(errorOf(() => decodeRgbaPng(new TextEncoder().encode('GIF89a........................................'), 'x.png')).message).toContain(
      'not a PNG image',
    );
    const good = rgbaPng(16, 16);
    const damaged = good.slice(0, good.length - 30);
    expect(errorOf(() => decodeRgbaPng(damaged, 'x.png')).code).toBe('bad-png');
    expect(errorOf(() => decodeRgbaPng(new Uint8Array(0), 'x.png')).code).toBe('empty-file');
    expect(errorOf(() => decodeRgbaPng(new Uint8Array(MAX_FILE_BYTES + 1), 'x.png')).code).toBe('too-large');
  });

  it('rejects absurd dimensions before decoding', () => {
    const png = rgbaPng(4, 4);
    new DataView(png.buffer).setUint32(16, 100000); // IHDR width (CRC now wrong too; never reached)
    const err = errorOf(() => decodeRgbaPng(png, 'x.png'));
    expect(err.message).toContain('100000x4');
  });
});

/** Same deterministic RGBA test image as the Pillow reference script used. */
function testImage(w: number, h: number): Uint8Array {
  const b = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      b[i] = (x * 7 + y * 3) & 255;
      b[i + 1] = (x * x + y * 5) & 255;
      b[i + 2] = ((x * 73856093) ^ (y * 19349663)) & 255;
      b[i + 3] = x < Math.floor(w / 4) ? 0 : x < Math.floor(w / 2) ? 255 : (x * 13 + y * 29) & 255;
    }
  }
  return b;
}

describe('resizeLikeTha4 (centre square crop + Pillow LANCZOS)', () => {
  // SHA-256 of Pillow 9.4.0's output for THA4's resize_PIL_image(image, (s, s)) on testImage(w, h):
  //   d = min(w, h); box = ((w-d)//2, (h-d)//2, (w+d)//2, (h+d)//2)
  //   image.resize((s, s), resample=PIL.Image.LANCZOS, box=box).tobytes()
  it.each([
    [640, 480, 512, '570d716c66bd2dc6650ba5f88518a68cdb46041b7627d0a46f4f2664fb30d0da'], // crop x, upscale
    [1023, 1100, 512, '766312c612eee3bb473ce57fa6c3bf2630508a1df63c3ad63d937892b2bafc51'], // crop y, downscale
    [513, 512, 512, '971a77296f1e4f3626da81319a45aea7a13d335f8e3391a8f761822ff5ef2092'], // odd crop, scale 1
    [256, 256, 512, 'ccd81290f2a8a8898dd66ee371caa01dde4b481bdf0fa760d11bcf1f815b1c64'], // no crop, 2x
    [37, 20, 8, '48d4defd78fb6bc0390722bd63edb9d854d946bacda4aeb255bd1c386e4983bc'],
    [20, 37, 9, 'b45ae0dfebdca4a78a0d9b6211ec814381fcfd9558541e618735dfa5c7efec85'],
  ])('%ix%i -> %i matches Pillow byte for byte', (w, h, s, sha) => {
    const out = resizeLikeTha4(testImage(w, h), w, h, s);
    expect(out.length).toBe(s * s * 4);
    expect(createHash('sha256').update(out).digest('hex')).toBe(sha);
  });

  it('leaves a 512x512 image untouched and resizes others when decoding a character', () => {
    const png512 = rgbaPng(512, 512);
    const same = Buffer.compare(decodeCharacterImage(png512, 'c.png').rgba, decodeRgbaPng(png512, 'c.png').rgba);
    expect(same).toBe(0);
    const small = decodeCharacterImage(rgbaPng(300, 200), 'c.png');
    expect([small.width, small.height, small.rgba.length]).toEqual([512, 512, 512 * 512 * 4]);
  });
});

describe('decodeRgbaPng agrees with fast-png', () => {
  it.each(['lambda_00', 'lambda_01'])('on %s (rows with every PNG filter)', (id) => {
    const bytes = new Uint8Array(readFileSync(join(requireSharedDir(), 'tha4', id, 'character.png')));
    const ours = decodeRgbaPng(bytes, 'c.png');
    const theirs = decode(bytes);
    expect(Buffer.compare(ours.rgba, theirs.data as Uint8Array)).toBe(0);
  });
});

describe('decodeRgbaPng row filters', () => {
  it.each([0, 1, 2, 3, 4])('undoes filter %i like fast-png, for 8 and 16 bits', (filter) => {
    for (const depth of [8, 16]) {
      const w = 5;
      const h = 3;
      const stride = w * 4 * (depth / 8);
      const raw = new Uint8Array(h * (stride + 1));
      for (let y = 0; y < h; y++) {
        raw[y * (stride + 1)] = filter;
        for (let i = 1; i <= stride; i++) raw[y * (stride + 1) + i] = (i * 37 + y * 101 + filter) & 255;
      }
      const chunk = (type: string, data: Uint8Array): Uint8Array => {
        const b = new Uint8Array(12 + data.length);
        const v = new DataView(b.buffer);
        v.setUint32(0, data.length);
        b.set(new TextEncoder().encode(type), 4);
        b.set(data, 8);
        v.setUint32(8 + data.length, crc32(b, 4, 8 + data.length));
        return b;
      };
      const head = new Uint8Array(13);
      new DataView(head.buffer).setUint32(0, w);
      new DataView(head.buffer).setUint32(4, h);
      head.set([depth, 6, 0, 0, 0], 8);
      const parts = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', head), chunk('IDAT', zlibSync(raw)), chunk('IEND', new Uint8Array(0))];
      const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        png.set(p, o);
        o += p.length;
      }
      const theirs = decode(png);
      const expected = depth === 8 ? (theirs.data as Uint8Array) : Uint8Array.from(theirs.data as Uint16Array, (v) => v >> 8);
      expect([...decodeRgbaPng(png, 'c.png').rgba]).toEqual([...expected]);
    }
  });
});
