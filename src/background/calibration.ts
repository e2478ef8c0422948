/**
 * Calibration is owned by the settings: the offscreen document captures the neutral face, and it
 * is saved here (pose.calibration), so it survives reloads and restarts and "Clear" resets it.
 * The popup, the options page and the keyboard shortcut all come here.
 */
import { sanitizeCalibration } from '../core/pose/calibration';
import type { CalibrateResponse, OkResponse } from '../shared/messages';
import type { Settings } from '../shared/settings';

export interface CalibrationDeps {
  running(): Promise<boolean>;
  capture(): Promise<CalibrateResponse>;
  save(change: (s: Settings) => Settings): Promise<unknown>;
}

export async function calibrateAndSave(deps: CalibrationDeps): Promise<OkResponse> {
  if (!(await deps.running())) return { ok: false, error: 'AnimeCam is not running: start a call or the preview first' };
  const res = await deps.capture();
  const calibration = res.ok ? sanitizeCalibration(res.calibration) : null;
  if (!calibration) return { ok: false, ...(res.error ? { error: res.error } : {}) };
  await deps.save((s) => ({ ...s, pose: { ...s.pose, calibration } }));
  return { ok: true };
}
