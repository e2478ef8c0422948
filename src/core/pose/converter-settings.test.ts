import { describe, expect, it } from 'vitest';
import {
  CONVERTER_SETTING_RANGES,
  DEFAULT_CONVERTER_SETTINGS,
  sanitizeConverterSettings,
} from './converter-settings';

describe('converter settings', () => {
  it('fills defaults for anything that is not an object', () => {
    for (const v of [undefined, null, 3, 'x', []]) expect(sanitizeConverterSettings(v)).toEqual(DEFAULT_CONVERTER_SETTINGS);
  });

  it('defaults lie inside their documented ranges', () => {
    for (const [key, [lo, hi]] of Object.entries(CONVERTER_SETTING_RANGES)) {
      const v = DEFAULT_CONVERTER_SETTINGS[key as keyof typeof CONVERTER_SETTING_RANGES];
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThanOrEqual(hi);
    }
  });

  it('clamps, replaces bad values and drops unknown keys', () => {
    const s = sanitizeConverterSettings({
      smileThresholdMin: -1,
      smileThresholdMax: 7,
      eyeBlinkMax: Number.NaN,
      eyeRotationFactor: 99,
      headYOffset: 10,
      breathingRatePerMinute: '12',
      eyebrowDownMode: 'troubled',
      winkMode: 'SLEEPY',
      extra: true,
    });
    expect(s.smileThresholdMin).toBe(0);
    expect(s.smileThresholdMax).toBe(1);
    expect(s.eyeBlinkMax).toBe(DEFAULT_CONVERTER_SETTINGS.eyeBlinkMax);
    expect(s.eyeRotationFactor).toBe(4);
    expect(s.headYOffset).toBe(Math.PI);
    expect(s.breathingRatePerMinute).toBe(20);
    expect(s.eyebrowDownMode).toBe('TROUBLED');
    expect(s.winkMode).toBe('NORMAL');
    expect('extra' in s).toBe(false);
  });

  it('round-trips through JSON', () => {
    const s = sanitizeConverterSettings({ ...DEFAULT_CONVERTER_SETTINGS, jawOpenMax: 0.5, winkMode: 'RELAXED' });
    expect(sanitizeConverterSettings(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
});
