import { describe, expect, it, vi } from 'vitest';
import type { Scene } from '../pipeline/compositor';
import { ConsumerGpuCompositing, type Compositor } from './consumer-compositing';
import { tagGpuFrame } from './gpu-frame';

const scene = (character: object | null): Scene => ({ background: { kind: 'color', color: '#000000' }, framing: { scale: 1, offsetX: 0, offsetY: 0 }, character: character as CanvasImageSource | null, card: null });

function setup(opts: { throwOn?: GPUDevice; busy?: boolean } = {}) {
  const made: { device: GPUDevice; disposed: boolean; pictures: { close: ReturnType<typeof vi.fn> }[] }[] = [];
  const make = (device: GPUDevice): Compositor => {
    const rec = { device, disposed: false, pictures: [] as { close: ReturnType<typeof vi.fn> }[] };
    made.push(rec);
    return {
      device,
      get busy() {
        return opts.busy ?? false;
      },
      draw: () => {
        if (device === opts.throwOn) throw new Error('shader refused');
        const p = { close: vi.fn() };
        rec.pictures.push(p);
        return p as unknown as ImageBitmap;
      },
      dispose: () => {
        rec.disposed = true;
      },
    };
  };
  return { made, gpu: new ConsumerGpuCompositing(make) };
}

/** A rendered image tagged as a GPU frame on `device`; `state.live` says whether it still is. */
function frameOn(device: GPUDevice, state = { live: true }) {
  const image = {};
  tagGpuFrame(image, { device, texture: {} as GPUTexture, live: () => state.live });
  return { image, state };
}

const deviceA = { label: 'a' } as unknown as GPUDevice;
const deviceB = { label: 'b' } as unknown as GPUDevice;

describe('ConsumerGpuCompositing', () => {
  it('leaves frames that are not on the GPU (WASM, the still, none) to the 2D compositor', () => {
    const { gpu, made } = setup();
    expect(gpu.draw(scene({}), 64, 48)).toBe(false);
    expect(gpu.draw(scene(null), 64, 48)).toBe(false);
    expect(made).toHaveLength(0);
    expect(gpu.frames).toBe(0);
  });

  it('composites a live GPU frame on its device, one compositor per device, closing replaced pictures', () => {
    const { gpu, made } = setup();
    const f = frameOn(deviceA);
    expect(gpu.draw(scene(f.image), 64, 48)).toBe(true);
    expect(gpu.draw(scene(f.image), 64, 48)).toBe(true);
    expect(made).toHaveLength(1);
    expect(made[0]!.pictures[0]!.close).toHaveBeenCalled();
    expect(made[0]!.pictures[1]!.close).not.toHaveBeenCalled();
    expect(gpu.frames).toBe(2);
  });

  it('while the GPU is behind, keeps the last picture instead of queueing another frame', () => {
    const opts = { busy: false };
    const { gpu, made } = setup(opts);
    const f = frameOn(deviceA);
    expect(gpu.draw(scene(f.image), 64, 48)).toBe(true);
    opts.busy = true;
    expect(gpu.draw(scene(f.image), 64, 48)).toBe(true);
    expect(made[0]!.pictures).toHaveLength(1);
    expect(made[0]!.pictures[0]!.close).not.toHaveBeenCalled();
    opts.busy = false;
    gpu.draw(scene(f.image), 64, 48);
    expect(made[0]!.pictures).toHaveLength(2);
  });

  it('drops the compositor when the frame is no longer live (device lost) and the 2D path serves', () => {
    const { gpu, made } = setup();
    const f = frameOn(deviceA);
    gpu.draw(scene(f.image), 64, 48);
    f.state.live = false;
    expect(gpu.draw(scene(f.image), 64, 48)).toBe(false);
    expect(made[0]!.disposed).toBe(true);
    expect(made[0]!.pictures[0]!.close).toHaveBeenCalled();
  });

  it('moves to the new device when frames come from a new one', () => {
    const { gpu, made } = setup();
    gpu.draw(scene(frameOn(deviceA).image), 64, 48);
    expect(gpu.draw(scene(frameOn(deviceB).image), 64, 48)).toBe(true);
    expect(made.map((m) => [m.device, m.disposed])).toEqual([[deviceA, true], [deviceB, false]]);
  });

  it('after a failure, never tries that device again (no exception loops), but does a new one', () => {
    const { gpu, made } = setup({ throwOn: deviceA });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const f = frameOn(deviceA);
    expect(gpu.draw(scene(f.image), 64, 48)).toBe(false);
    expect(gpu.draw(scene(f.image), 64, 48)).toBe(false);
    expect(made).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(gpu.draw(scene(frameOn(deviceB).image), 64, 48)).toBe(true);
    warn.mockRestore();
  });
});
