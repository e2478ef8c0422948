import { describe, expect, it } from 'vitest';
import { normalizeConstraints, selectSettings, type DeviceModel } from './camera-model';

/** Chromium's fake camera as measured (Chromium 156): these are its answers, from a 1280x720 track. */
const fakeCamera: DeviceModel = {
  formats: [
    { width: 320, height: 240, frameRate: 20 },
    { width: 640, height: 480, frameRate: 20 },
    { width: 1280, height: 720, frameRate: 20 },
    { width: 1920, height: 1080, frameRate: 20 },
    { width: 3840, height: 2160, frameRate: 20 },
  ],
  minWidth: 1,
  minHeight: 1,
  facingMode: null,
};
const hd = { width: 1280, height: 720, frameRate: 20 };
const short = (c: MediaTrackConstraints, current = hd) => {
  const r = selectSettings(fakeCamera, c, current);
  return r.ok ? `${r.settings.width}x${r.settings.height}@${r.settings.frameRate} ${r.settings.resizeMode}` : `error ${r.constraint}`;
};

describe('selectSettings reproduces the fake camera', () => {
  it.each([
    [{ width: { ideal: 640 } }, '640x480@20 none'],
    [{ height: 360 }, '480x360@20 crop-and-scale'],
    [{ height: { ideal: 480 } }, '640x480@20 none'],
    [{ aspectRatio: 4 / 3 }, '960x720@20 crop-and-scale'],
    [{ aspectRatio: { exact: 1 } }, '720x720@20 crop-and-scale'],
    [{ aspectRatio: { exact: 10 } }, '1280x128@20 crop-and-scale'],
    [{ frameRate: 10 }, '1280x720@10 none'],
    [{ frameRate: { max: 15 } }, '1280x720@15 none'],
    [{ frameRate: { exact: 120 } }, 'error frameRate'],
    [{ width: { exact: 800 } }, '800x450@20 crop-and-scale'],
    [{ width: { min: 800 } }, '1280x720@20 none'],
    [{ width: { max: 320 } }, '320x240@20 none'],
    [{ width: { min: 5000 } }, 'error width'],
    [{ height: { exact: 5000 } }, 'error height'],
    [{ width: 640, resizeMode: 'none' }, '640x480@20 none'],
    [{ width: 800, height: 600, resizeMode: 'crop-and-scale' }, '800x600@20 crop-and-scale'],
    [{ resizeMode: { exact: 'none' }, width: { exact: 800 } }, 'error width'],
    [{}, '1280x720@20 none'],
    [{ facingMode: { exact: 'user' } }, 'error facingMode'],
    [{ width: { ideal: 1920 } }, '1920x1080@20 none'],
    [{ width: { min: 320, max: 1000 }, height: { min: 200, max: 500 } }, '640x480@20 none'],
  ] as [Record<string, unknown>, string][])('%j → %s', (c, want) => {
    expect(short(c as MediaTrackConstraints)).toBe(want);
  });

  it('opens at 640x480 by default and at the asked size otherwise, like getUserMedia', () => {
    expect(selectSettings(fakeCamera, true)).toMatchObject({ ok: true, settings: { width: 640, height: 480, resizeMode: 'none' } });
    expect(selectSettings(fakeCamera, { width: 1280, height: 720 })).toMatchObject({ ok: true, settings: { width: 1280, height: 720, resizeMode: 'none' } });
  });

  it('honours a front-facing device and an exact resize mode', () => {
    const front = { ...fakeCamera, facingMode: 'user' };
    expect(selectSettings(front, { facingMode: { exact: 'user' } }).ok).toBe(true);
    expect(selectSettings(front, { facingMode: { exact: 'environment' } })).toEqual({ ok: false, constraint: 'facingMode' });
    expect(selectSettings(front, { facingMode: 'environment' }).ok).toBe(true); // a wish, not a demand
    expect(short({ width: 800, resizeMode: { exact: "crop-and-scale" } } as MediaTrackConstraints)).toBe('800x450@20 crop-and-scale');
  });
});

describe('normalizeConstraints', () => {
  it('reports ideal-only values bare, as Chromium does', () => {
    expect(normalizeConstraints({ width: { ideal: 640 }, height: { min: 2, ideal: 3 }, frameRate: 5 })).toEqual({ width: 640, height: { min: 2, ideal: 3 }, frameRate: 5 });
    expect(normalizeConstraints(true)).toEqual({});
  });
});
