import { describe, expect, it } from 'vitest';
import { decideVideo, deviceIdWish, planFor } from './constraints';

const ID = 'f'.repeat(64);
const on = { enabled: true, replaceCamera: false, deviceId: ID };

describe('decideVideo', () => {
  it('serves AnimeCam when asked for by its deviceId for this origin, in every form', () => {
    for (const deviceId of [ID, { exact: ID }, { ideal: ID }, [ID, 'other'], { exact: [ID] }]) {
      expect(decideVideo({ deviceId }, on)).toMatchObject({ kind: 'animecam', settings: { width: 640, height: 480, frameRate: 30, resizeMode: 'none' } });
    }
    // Another origin's id is just an unknown camera here.
    expect(decideVideo({ deviceId: { exact: 'e'.repeat(64) } }, on)).toEqual({ kind: 'passthrough' });
  });
  it('passes other cameras, no video and a disabled site straight through', () => {
    expect(decideVideo(true, on)).toEqual({ kind: 'passthrough' });
    expect(decideVideo({ deviceId: { exact: 'real' } }, on)).toEqual({ kind: 'passthrough' });
    expect(decideVideo(undefined, on)).toEqual({ kind: 'none' });
    expect(decideVideo(false, on)).toEqual({ kind: 'none' });
    expect(decideVideo({ deviceId: ID }, { enabled: false, replaceCamera: true, deviceId: ID })).toEqual({ kind: 'passthrough' });
  });
  it('replaces any camera when "replace my camera" is on', () => {
    const r = { enabled: true, replaceCamera: true, deviceId: ID };
    expect(decideVideo(true, r).kind).toBe('animecam');
    expect(decideVideo({ deviceId: { exact: 'real' }, width: 1280, height: 720 }, r)).toMatchObject({ kind: 'animecam', settings: { width: 1280, height: 720, frameRate: 30 } });
  });
  it('fits sizes and frame-rate ranges, and refuses the impossible like a camera', () => {
    expect(planFor({ width: { min: 640, ideal: 3000 }, frameRate: { min: 10, max: 24 } })).toMatchObject({ kind: 'animecam', settings: { width: 1920, height: 1080, frameRate: 24 } });
    expect(planFor({ width: { min: 4000 } })).toMatchObject({ kind: 'error', name: 'OverconstrainedError', constraint: 'width' });
    expect(planFor({ frameRate: { exact: 120 } })).toMatchObject({ kind: 'error', constraint: 'frameRate' });
    expect(planFor({ facingMode: { exact: 'environment' } })).toMatchObject({ kind: 'error', constraint: 'facingMode' });
    expect(planFor({ facingMode: 'environment' }).kind).toBe('animecam'); // a wish, not a demand
    expect(planFor({ width: 1280, aspectRatio: { exact: 4 / 3 } })).toMatchObject({ kind: 'animecam', settings: { width: 1280, height: 960 } });
  });
  it('parses deviceId forms', () => {
    expect(deviceIdWish({ exact: 'a' })).toEqual({ ids: ['a'], required: true });
    expect(deviceIdWish(42)).toBeNull();
  });
});
