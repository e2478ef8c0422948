import { describe, expect, it, vi } from 'vitest';
import { createGpuCharacterRenderer, type GpuCharacter, type Stage } from './gpu-character-renderer';

/** A device with just what the renderer calls per frame; frames take `ms(size)` of fake time. */
function fakes(ms: (size: number) => number) {
  let t = 0;
  const made: { size: number; freed: boolean; frames: number }[] = [];
  const submitted: number[] = [];
  let current = 0;
  const device = {
    lost: new Promise<GPUDeviceLostInfo>(() => undefined),
    pushErrorScope: vi.fn(),
    popErrorScope: vi.fn(async () => null),
    createCommandEncoder: () => ({ finish: () => ({}) }),
    queue: {
      submit: () => submitted.push(current),
      onSubmittedWorkDone: async () => {
        t += ms(current);
      },
    },
  } as unknown as GPUDevice;
  const makeStage = async (size: number): Promise<Stage> => {
    const rec = { size, freed: false, frames: 0 };
    made.push(rec);
    return {
      size,
      encode: () => {
        current = size;
        rec.frames++;
      },
      picture: async () => ({ close: vi.fn(), width: size }) as unknown as ImageBitmap,
      free: () => {
        rec.freed = true;
      },
    };
  };
  return { device, made, submitted, makeStage, now: () => t };
}

const character = {} as GpuCharacter;
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('GPU character renderer (adaptive size wiring)', () => {
  it('at a fixed size renders every frame at that size and never adapts', async () => {
    const f = fakes(() => 200);
    const r = await createGpuCharacterRenderer(f.device, character, { size: 64, adaptive: false, present: true }, f);
    for (let i = 0; i < 60; i++) await r.render(new Float32Array(45));
    expect(r.size).toBe(64);
    expect(r.adaptation).toBeNull();
    expect(f.made.map((m) => m.size)).toEqual([64]);
  });

  it('adapts down when frames miss 30 fps: makes the smaller renderer, swaps it in, frees the old one, says so', async () => {
    // Time follows pixels: 60 ms at 512 (too slow), 34 at 384 (still too slow), 15 at 256.
    const f = fakes((size) => 60 * (size / 512) ** 2);
    const r = await createGpuCharacterRenderer(f.device, character, { size: 512, adaptive: true, present: true }, f);
    expect(r.size).toBe(512);
    const sizes = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const bmp = await r.render(new Float32Array(45));
      sizes.add((bmp as unknown as { width: number }).width);
      await settle();
    }
    expect(r.size).toBe(256);
    expect([...sizes]).toEqual([512, 384, 256]);
    expect(f.made.map((m) => [m.size, m.freed])).toEqual([
      [512, true],
      [384, true],
      [256, false],
    ]);
    expect(r.adaptation).toMatch(/adapted down to 256 px to hold 30 fps \(384 px frames took 34 ms\)/);
    r.dispose();
    expect(f.made[2].freed).toBe(true);
  });

  it('disposed while a frame is in flight: its resources are freed after that frame, and no frame starts after', async () => {
    const f = fakes(() => 10);
    const r = await createGpuCharacterRenderer(f.device, character, { size: 64, adaptive: false, present: true }, f);
    const frame = r.render(new Float32Array(45));
    r.dispose();
    expect(f.made[0].freed).toBe(false);
    await frame;
    expect(f.made[0].freed).toBe(true);
    await expect(r.render(new Float32Array(45))).rejects.toThrow(/disposed/);
  });
});
