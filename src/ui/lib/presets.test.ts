import { describe, expect, it } from 'vitest';
import { DEFAULT_POSE_DRIVER_SETTINGS, sanitizePoseDriverSettings, type PoseDriverSettings } from '../../core/pose';
import { applyPreset, matchPreset, PRESETS } from './presets';

const base = DEFAULT_POSE_DRIVER_SETTINGS;

describe('expression presets', () => {
  it('are valid settings: sanitising a preset changes nothing, and ranges keep min below max', () => {
    for (const p of PRESETS) {
      const s = applyPreset(base, p.id);
      expect(sanitizePoseDriverSettings(JSON.parse(JSON.stringify(s)))).toEqual(s);
      expect(s.converter.smileThresholdMin).toBeLessThan(s.converter.smileThresholdMax);
      expect(s.converter.jawOpenMin).toBeLessThan(s.converter.jawOpenMax);
      expect(s.converter.mouthFunnelMin).toBeLessThan(s.converter.mouthFunnelMax);
      expect(s.converter.cheekSquintMin).toBeLessThan(s.converter.cheekSquintMax);
    }
  });

  it('standard is the defaults, and each other preset differs from it', () => {
    expect(applyPreset(base, 'standard')).toEqual(base);
    for (const p of PRESETS.filter((x) => x.id !== 'standard')) expect(applyPreset(base, p.id)).not.toEqual(base);
  });

  it('say what they promise: calm is steadier, expressive reacts sooner, subtle mouth opens later', () => {
    const calm = applyPreset(base, 'calm');
    const expressive = applyPreset(base, 'expressive');
    const subtle = applyPreset(base, 'subtle-mouth');
    expect(calm.smoothing.minCutoff).toBeLessThan(base.smoothing.minCutoff);
    expect(calm.headStrength).toBeLessThan(base.headStrength);
    expect(expressive.converter.smileThresholdMin).toBeLessThan(base.converter.smileThresholdMin);
    expect(expressive.converter.eyeSurprisedMax).toBeLessThan(base.converter.eyeSurprisedMax);
    expect(expressive.headStrength).toBeGreaterThan(base.headStrength);
    expect(subtle.converter.jawOpenMin).toBeGreaterThan(base.converter.jawOpenMin);
    expect(subtle.converter.jawOpenMax).toBeGreaterThan(base.converter.jawOpenMax);
  });

  it('keeps calibration, head offsets, iris sizes, looks and the smoothing switch', () => {
    const mine: PoseDriverSettings = sanitizePoseDriverSettings({
      ...base,
      converter: { ...base.converter, headYOffset: 0.2, irisSmallLeft: 0.3, eyebrowDownMode: 'SERIOUS', winkMode: 'RELAXED', jawOpenMin: 0.05 },
      smoothing: { ...base.smoothing, enabled: false },
    });
    for (const p of PRESETS) {
      const s = applyPreset(mine, p.id);
      expect(s.converter).toMatchObject({ headYOffset: 0.2, irisSmallLeft: 0.3, eyebrowDownMode: 'SERIOUS', winkMode: 'RELAXED' });
      expect(s.smoothing.enabled).toBe(false);
      expect(s.calibration).toBe(mine.calibration);
    }
  });

  it('recognises the preset in effect, and none once a number is moved', () => {
    for (const p of PRESETS) expect(matchPreset(applyPreset(base, p.id))).toBe(p.id);
    const moved = applyPreset(base, 'calm');
    expect(matchPreset({ ...moved, headStrength: moved.headStrength + 0.05 })).toBeNull();
    expect(matchPreset({ ...moved, converter: { ...moved.converter, jawOpenMax: 0.41 } })).toBeNull();
  });
});
