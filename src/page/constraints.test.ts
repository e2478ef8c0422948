import { describe, expect, it } from 'vitest';
import { ANIMECAM_DEVICE_ID as ID, decideVideo, deviceIdWish, fit, planFor } from './constraints';

const on = { enabled: true, replaceCamera: false };

describe('decideVideo', () => {
  it('serves AnimeCam when asked for by deviceId in every form', () => {
    for (const deviceId of [ID, { exact: ID }, { ideal: ID }, [ID, 'other'], { exact: [ID] }]) {
      expect(decideVideo({ deviceId }, on)).toEqual({ kind: 'animecam', plan: { width: 1280, height: 720, frameRate: 30 } });
    }
  });
  it('passes other cameras, no video and a disabled site straight through', () => {
    expect(decideVideo(true, on)).toEqual({ kind: 'passthrough' });
    expect(decideVideo({ deviceId: { exact: 'real' } }, on)).toEqual({ kind: 'passthrough' });
    expect(decideVideo(undefined, on)).toEqual({ kind: 'none' });
    expect(decideVideo(false, on)).toEqual({ kind: 'none' });
    expect(decideVideo({ deviceId: ID }, { enabled: false, replaceCamera: true })).toEqual({ kind: 'passthrough' });
  });
  it('replaces any camera when "replace my camera" is on', () => {
    const r = { enabled: true, replaceCamera: true };
    expect(decideVideo(true, r).kind).toBe('animecam');
    expect(decideVideo({ deviceId: { exact: 'real' }, width: 640, height: 480 }, r)).toEqual({ kind: 'animecam', plan: { width: 640, height: 480, frameRate: 30 } });
  });
  it('fits sizes and frame-rate ranges, and refuses the impossible like a camera', () => {
    expect(planFor({ width: { min: 640, ideal: 3000 }, frameRate: { min: 10, max: 24 } })).toEqual({ kind: 'animecam', plan: { width: 1920, height: 720, frameRate: 24 } });
    expect(planFor({ width: { min: 4000 } })).toMatchObject({ kind: 'error', name: 'OverconstrainedError', constraint: 'width' });
    expect(planFor({ frameRate: { exact: 120 } })).toMatchObject({ kind: 'error', constraint: 'frameRate' });
    expect(planFor({ facingMode: { exact: 'environment' } })).toMatchObject({ kind: 'error', constraint: 'facingMode' });
    expect(planFor({ facingMode: 'environment' }).kind).toBe('animecam'); // a wish, not a demand
    expect(planFor({ width: 1280, aspectRatio: { exact: 4 / 3 } })).toEqual({ kind: 'animecam', plan: { width: 1280, height: 960, frameRate: 30 } });
  });
  it('parses range helpers', () => {
    expect(fit(null, 0, 10, 5)).toBe(5);
    expect(fit({ exact: 3 }, 0, 10, 5)).toBe(3);
    expect(fit({ min: 11 }, 0, 10, 5)).toBeNull();
    expect(deviceIdWish({ exact: 'a' })).toEqual({ ids: ['a'], required: true });
    expect(deviceIdWish(42)).toBeNull();
  });
});
