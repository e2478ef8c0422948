import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, sanitizeSettings, type Settings } from '../shared/settings';
import { calibrateAndSave } from './calibration';

const captured = { rotation: [0, 0.1, 0, 0.995], rest: { jawOpen: 0.2 } };

function deps(over: { running?: boolean; capture?: unknown } = {}) {
  let settings: Settings = DEFAULT_SETTINGS;
  return {
    get settings() {
      return settings;
    },
    running: async () => over.running ?? true,
    capture: async () => (over.capture ?? { ok: true, calibration: captured }) as { ok: boolean; calibration?: unknown; error?: string },
    save: async (change: (s: Settings) => Settings) => {
      settings = sanitizeSettings(change(settings));
    },
  };
}

describe('calibrateAndSave', () => {
  it('saves what the offscreen document captured in settings.pose.calibration', async () => {
    const d = deps();
    expect(await calibrateAndSave(d)).toEqual({ ok: true });
    expect(d.settings.pose.calibration?.rotation[1]).toBeCloseTo(0.1, 2);
    expect(d.settings.pose.calibration?.rest.jawOpen).toBeCloseTo(0.2);
  });

  it('saves nothing when nothing runs, no face was seen, or the capture is unusable', async () => {
    for (const d of [deps({ running: false }), deps({ capture: { ok: false, error: 'no face' } }), deps({ capture: { ok: true, calibration: { rotation: [0, 0, 0, 0] } } })]) {
      const res = await calibrateAndSave(d);
      expect(res.ok).toBe(false);
      expect(d.settings.pose.calibration).toBeNull();
    }
    expect(await calibrateAndSave(deps({ capture: { ok: false, error: 'no face' } }))).toEqual({ ok: false, error: 'no face' });
  });
});
