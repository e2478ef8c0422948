import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, originOf, sanitizeSettings, siteSettings } from './settings';

describe('settings', () => {
  it('fills defaults from nothing and from garbage', () => {
    expect(sanitizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(sanitizeSettings('x')).toEqual(DEFAULT_SETTINGS);
    expect(sanitizeSettings({ renderSize: 'huge', framing: { scale: NaN }, background: { kind: 'color', color: 'red;' } })).toEqual(DEFAULT_SETTINGS);
  });
  it('clamps numbers and normalises site origins', () => {
    const s = sanitizeSettings({
      renderSize: 10_000,
      framing: { scale: 9, offsetX: -3, offsetY: 0.25 },
      sites: { 'https://meet.google.com/abc-defg-hij': { enabled: false }, 'javascript:alert(1)': { enabled: true } },
    });
    expect(s.renderSize).toBe(512);
    expect(s.framing).toEqual({ scale: 2.5, offsetX: -0.5, offsetY: 0.25 });
    expect(s.sites).toEqual({ 'https://meet.google.com': { enabled: false, replaceCamera: false } });
    expect(siteSettings(s, 'https://meet.google.com').enabled).toBe(false);
    expect(siteSettings(s, 'https://zoom.us').enabled).toBe(true);
    expect(originOf('chrome://settings')).toBeNull();
  });
});
