import { describe, expect, it } from 'vitest';
import { CPU_SEND_PIXELS, sendSize, sendStampBlock } from './send-size';

describe('sendSize', () => {
  it('keeps a track that fits, or when there is no limit', () => {
    expect(sendSize({ width: 640, height: 480 }, CPU_SEND_PIXELS)).toEqual({ width: 640, height: 480 });
    expect(sendSize({ width: 1920, height: 1080 }, Infinity)).toEqual({ width: 1920, height: 1080 });
    expect(sendSize({ width: 1920, height: 1080 }, 0)).toEqual({ width: 1920, height: 1080 });
  });

  it('scales a larger track down to the limit, aspect kept, even sides', () => {
    expect(sendSize({ width: 1280, height: 720 }, CPU_SEND_PIXELS)).toEqual({ width: 640, height: 360 });
    expect(sendSize({ width: 1920, height: 1080 }, CPU_SEND_PIXELS)).toEqual({ width: 640, height: 360 });
    expect(sendSize({ width: 1280, height: 960 }, CPU_SEND_PIXELS)).toEqual({ width: 640, height: 480 });
    const odd = sendSize({ width: 1001, height: 999 }, CPU_SEND_PIXELS);
    expect(odd.width % 2).toBe(0);
    expect(odd.height % 2).toBe(0);
    expect(odd.width * odd.height).toBeLessThanOrEqual(CPU_SEND_PIXELS);
    expect(Math.abs(odd.width / odd.height - 1001 / 999)).toBeLessThan(0.02);
    // Portrait tracks too.
    expect(sendSize({ width: 720, height: 1280 }, CPU_SEND_PIXELS)).toEqual({ width: 360, height: 640 });
  });

  it('never goes below 2 px', () => {
    const s = sendSize({ width: 100000, height: 1 }, 100);
    expect(s.height).toBe(2);
    expect(s.width).toBeLessThanOrEqual(100000 / 31);
  });
});

describe('sendStampBlock', () => {
  it('keeps the stamp block at the same size in the track pixels', () => {
    expect(sendStampBlock({ width: 1280, height: 720 }, { width: 640, height: 360 }, 8)).toBe(4);
    expect(sendStampBlock({ width: 1280, height: 720 }, { width: 1280, height: 720 }, 8)).toBe(8);
    expect(sendStampBlock({ width: 4000, height: 720 }, { width: 100, height: 18 }, 8)).toBe(2);
  });
});
