import { describe, expect, it } from 'vitest';
import { characterRect } from '../pipeline/compositor';
import { coverRect, packUniforms, parseHexColor, UNIFORM_BYTES, type CompositeParams } from './composite-layout';

const framing = { scale: 0.9, offsetX: 0, offsetY: 0.05 };
const base: CompositeParams = { width: 640, height: 480, color: '#3a6b8c', image: null, framing, character: true, card: false, stamps: null };

describe('coverRect', () => {
  it('scales a wide image to the frame height, centred, cropping the sides', () => {
    expect(coverRect(1920, 1080, 640, 480)).toEqual({ x: -(1920 * (480 / 1080) - 640) / 2, y: 0, w: 1920 * (480 / 1080), h: 480 });
  });
  it('scales a tall image to the frame width, cropping top and bottom', () => {
    const r = coverRect(100, 400, 640, 480);
    expect(r.w).toBe(640);
    expect(r.h).toBe(2560);
    expect(r.y).toBe((480 - 2560) / 2);
    expect(r.x).toBe(0);
  });
  it('always covers the frame', () => {
    for (const [iw, ih] of [[1, 1], [3, 7], [640, 480], [5000, 20]] as const) {
      const r = coverRect(iw, ih, 320, 240);
      expect(r.x).toBeLessThanOrEqual(0);
      expect(r.y).toBeLessThanOrEqual(0);
      expect(r.x + r.w).toBeGreaterThanOrEqual(320 - 1e-9);
      expect(r.y + r.h).toBeGreaterThanOrEqual(240 - 1e-9);
      expect(r.w / r.h).toBeCloseTo(iw / ih, 9);
    }
  });
});

describe('parseHexColor', () => {
  it('reads #rrggbb as sRGB in [0, 1]', () => {
    expect(parseHexColor('#ff8000')).toEqual([1, 128 / 255, 0]);
    expect(parseHexColor('#3A6B8C')).toEqual([0x3a / 255, 0x6b / 255, 0x8c / 255]);
  });
  it('is black for anything else', () => {
    expect(parseHexColor('red')).toEqual([0, 0, 0]);
    expect(parseHexColor('#fff')).toEqual([0, 0, 0]);
  });
});

describe('packUniforms', () => {
  const read = (p: CompositeParams) => {
    const buf = packUniforms(p);
    return { f: new Float32Array(buf), u: new Uint32Array(buf), bytes: buf.byteLength };
  };

  it('packs size, colour and the character rect of characterRect', () => {
    const { f, u, bytes } = read(base);
    expect(bytes).toBe(UNIFORM_BYTES);
    expect([...f.slice(0, 4)]).toEqual([640, 480, 0, 0]);
    expect([...f.slice(4, 8)]).toEqual([...parseHexColor('#3a6b8c'), 1].map(Math.fround));
    const r = characterRect(640, 480, framing);
    expect([...f.slice(12, 16)]).toEqual([r.x, r.y, r.size, 1].map(Math.fround));
    expect([...u.slice(16, 20)]).toEqual([0, 0, 0, 0]);
  });

  it('packs the cover rect of a background image, and the card and character flags', () => {
    const { f } = read({ ...base, image: { width: 1920, height: 1080 }, card: true, character: false });
    expect(f[2]).toBe(1);
    expect(f[3]).toBe(1);
    const c = coverRect(1920, 1080, 640, 480);
    expect([...f.slice(8, 12)]).toEqual([c.x, c.y, c.w, c.h].map(Math.fround));
    expect(f[15]).toBe(0);
  });

  it('packs stamps as the low 24 bits of whole milliseconds, as the 2D compositor draws them', () => {
    const t = 1_764_531_234_567.8;
    const { u } = read({ ...base, stamps: { stamp: t, poseStamp: 0x123456 } });
    expect(u[16]).toBe(Math.floor(t) & 0xffffff);
    expect([u[17], u[18]]).toEqual([0x123456, 1]);
  });

  it('writes into a buffer it is given', () => {
    const buf = new ArrayBuffer(UNIFORM_BYTES);
    expect(packUniforms(base, buf)).toBe(buf);
  });
});
