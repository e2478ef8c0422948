import { describe, expect, it } from 'vitest';
import { syntheticBody, syntheticFace } from '../../core/model-graph/test-weights';
import { boundFrameTime, frameCost, REFERENCE_GPUS, SINE_FLOPS } from './kernel-plan';
import { layoutModel } from './model-layout';

const image = new Float32Array(4 * 512 * 512);
const face = syntheticFace();
const body = syntheticBody();
const layout512 = layoutModel({ face, body, imageTensor: image, size: 512 });

describe('frameCost', () => {
  it('counts four dispatches at 512 and five when the face grid is coarser than its box', () => {
    expect(frameCost(layout512).dispatches).toBe(4);
    expect(frameCost(layoutModel({ face, body, imageTensor: image, size: 256 })).kernels.map((k) => k.name)).toEqual(['face', 'faceUp', 'level0', 'level1', 'level2']);
  });

  it('counts the inter-level features, image and frame bytes of a 512 frame exactly', () => {
    const c = frameCost(layout512);
    const [faceK, l0, l1, l2] = c.kernels;
    // Face: 128x128 RGBA written into the image's face box.
    expect(faceK.bytesWritten).toBe(128 * 128 * 16);
    // Level 0 writes level 1's 180 channels at 128x128; level 1 writes level 2's 90 (padded to 92) at 256x256.
    expect(l0.bytesWritten).toBe(128 * 128 * 180 * 4);
    expect(l1.bytesWritten).toBe(256 * 256 * 92 * 4);
    // Level 2 reads those features, the whole image for the warp, and writes the RGBA frame.
    const l2Weights = (2 * 512 * 23 + 2 * (4 * 23 * 23 + 23) + 4 * 2 * 23 + 2) * 16;
    expect(l2.bytesRead).toBe(l2Weights + 256 * 256 * 92 * 4 + 512 * 512 * 16);
    expect(l2.bytesWritten).toBe(512 * 512 * 16);
    expect(l1.bytesRead).toBeGreaterThan(128 * 128 * 180 * 4);
  });

  it('stays within the 0.3 GB target per 512 frame and near the model arithmetic', () => {
    const c = frameCost(layout512);
    const bytes = c.bytesRead + c.bytesWritten;
    expect(bytes).toBeLessThan(0.3e9);
    expect(bytes).toBeGreaterThan(0.05e9);
    // Multiply-adds alone: face 2.1 GMAC, body about 17 GMAC (spec), i.e. about 38 GFLOP, plus sines and padding.
    const macFlops = 2 * (128 * 128 * (7 * 128 * 128 + 128 * 4) + 128 * 128 * (360 * 360 + 360 * 180 + 180 * 180) + 256 * 256 * (180 * 180 + 180 * 90 + 90 * 90) + 512 * 512 * (90 * 90 * 2 + 90 * 7));
    expect(c.flops).toBeGreaterThan(macFlops);
    const sines = 128 * 128 * 128 * 8 + 128 * 128 * (360 + 360 + 180) + 256 * 256 * (180 + 180 + 90) + 512 * 512 * 270;
    expect(c.flops).toBeLessThan((macFlops + sines * SINE_FLOPS) * 1.1);
  });

  it('scales the level work with the frame area', () => {
    const c256 = frameCost(layoutModel({ face, body, imageTensor: image, size: 256 }));
    const l512 = frameCost(layout512).kernels.find((k) => k.name === 'level2')!;
    const l256 = c256.kernels.find((k) => k.name === 'level2')!;
    expect(l512.invocations).toBe(4 * l256.invocations);
  });
});

describe('boundFrameTime', () => {
  it('takes the larger of the memory and compute times', () => {
    const t = boundFrameTime({ bytesRead: 40e9, bytesWritten: 20e9, flops: 1e12 }, REFERENCE_GPUS[0]);
    expect(t.memoryMs).toBeCloseTo(1000);
    expect(t.computeMs).toBeCloseTo(500);
    expect(t.boundMs).toBeCloseTo(1000);
    expect(t.bound).toBe('memory');
    const d = boundFrameTime({ bytesRead: 0, bytesWritten: 0, flops: 12.7e12 }, REFERENCE_GPUS[1]);
    expect(d.bound).toBe('compute');
    expect(d.boundMs).toBeCloseTo(1000);
  });
});
