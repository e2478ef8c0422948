import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../scripts/lib/shared-path';
import { frameToTha4Rgba, roundHalfEven } from './frame-image';

describe('frameToTha4Rgba', () => {
  it('rounds half to even like numpy.rint', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, 2, 3]);
  });

  it('maps -1 to 0, +1 to 255 and clips', () => {
    // A 1x1 frame: R = 1, G = -1, B = 5 (clipped), A = 1.
    const px = frameToTha4Rgba(new Float32Array([1, -1, 5, 1]), 1);
    expect(Array.from(px)).toEqual([255, 0, 255, 255]);
    expect(() => frameToTha4Rgba(new Float32Array(5), 1)).toThrow(RangeError);
  });

  const shared = sharedDir();
  it.skipIf(!shared)('reproduces THA4 PNG bytes from the golden final frame (within the README bound)', () => {
    const dir = join(shared as string, 'tha4', 'golden');
    const b = readFileSync(join(dir, 'lambda_00_random_1.final.f32'));
    const frame = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const png = decode(readFileSync(join(dir, 'lambda_00_random_1.png')));
    const ours = frameToTha4Rgba(frame, 512);
    let differing = 0;
    let worst = 0;
    for (let i = 0; i < ours.length; i++) {
      const d = Math.abs(ours[i] - png.data[i]);
      if (d) differing++;
      worst = Math.max(worst, d);
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(differing).toBeLessThanOrEqual(3);
  });
});
