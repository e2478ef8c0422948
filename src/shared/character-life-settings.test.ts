import { describe, expect, it } from 'vitest';
import { cameraFreeFor, cameraNeeded, customPose, sanitizeCameraFree, sanitizeExpressions, sanitizeVoice } from './character-life-settings';
import { DEFAULT_SETTINGS, sanitizeSettings } from './settings';

describe('camera-free settings', () => {
  it('sanitises: origins normalised, non-booleans and non-http sites dropped', () => {
    expect(sanitizeCameraFree({ everywhere: 'yes', sites: { 'https://meet.google.com/abc': true, 'javascript:x': true, 'https://a.example': 1 } })).toEqual({
      everywhere: false,
      sites: { 'https://meet.google.com': true },
    });
    expect(sanitizeSettings(undefined).cameraFree).toEqual(DEFAULT_SETTINGS.cameraFree);
  });

  it('a per-site choice overrides the global switch', () => {
    const s = { everywhere: true, sites: { 'https://a.example': false } };
    expect(cameraFreeFor(s, 'https://a.example')).toBe(false);
    expect(cameraFreeFor(s, 'https://b.example')).toBe(true);
    expect(cameraFreeFor(s, null)).toBe(true);
  });

  it('needs the camera when any call site is not camera-free; previews follow the calls, alone the global switch', () => {
    const s = { everywhere: false, sites: { 'https://free.example': true } };
    expect(cameraNeeded([], s)).toBe(false);
    expect(cameraNeeded(['https://free.example'], s)).toBe(false);
    expect(cameraNeeded(['https://free.example', null], s)).toBe(false);
    expect(cameraNeeded(['https://free.example', 'https://cam.example'], s)).toBe(true);
    expect(cameraNeeded([null], s)).toBe(true);
    expect(cameraNeeded([null], { ...s, everywhere: true })).toBe(false);
  });
});

describe('voice and expression settings', () => {
  it('clamps the voice blend and keeps booleans', () => {
    expect(sanitizeVoice({ enabled: false, blendWithTracking: 7 })).toEqual({ enabled: false, blendWithTracking: 1 });
    expect(sanitizeVoice(null)).toEqual({ enabled: true, blendWithTracking: 0 });
  });

  it('keeps only well-formed custom poses in known slots, clamped, with bounded names', () => {
    const pose = Array.from({ length: 45 }, (_, i) => (i === 3 ? 9 : 0.5));
    const s = sanitizeExpressions({ keyHoldMs: 5, custom: { 'custom-1': { name: 'x'.repeat(99), pose }, 'custom-2': { pose: [1, 2] }, other: { pose } } });
    expect(s.keyHoldMs).toBe(300);
    expect(Object.keys(s.custom)).toEqual(['custom-1']);
    expect(s.custom['custom-1']!.name).toHaveLength(40);
    expect(customPose(s, 'custom-1')![3]).toBe(1);
    expect(customPose(s, 'custom-2')).toBeNull();
    expect(customPose(s, 'smile')).toBeNull();
  });
});
