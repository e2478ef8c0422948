/**
 * Decides what a getUserMedia video request means for AnimeCam, the way a real camera would:
 * which requests it serves, at what size and rate, and which it must refuse (and with which
 * constraint named). Pure, so it is unit-tested in Node.
 */
import { selectSettings, type DeviceModel, type TrackSettingsPlan } from './camera-model';

export const ANIMECAM_LABEL = 'AnimeCam';

/**
 * AnimeCam as a camera: it renders any size, but answers constraints like a front-facing webcam
 * with these native formats, so call sites get the sizes a camera would give them.
 */
export const ANIMECAM_DEVICE: DeviceModel = {
  formats: [
    { width: 320, height: 240, frameRate: 30 },
    { width: 640, height: 480, frameRate: 30 },
    { width: 1280, height: 720, frameRate: 30 },
    { width: 1920, height: 1080, frameRate: 30 },
  ],
  minWidth: 160,
  minHeight: 120,
  facingMode: 'user',
};

export type VideoDecision =
  | { kind: 'none' } // no video asked for
  | { kind: 'passthrough' } // a real camera's business
  | { kind: 'animecam'; settings: TrackSettingsPlan }
  | { kind: 'error'; name: 'OverconstrainedError'; constraint: string; message: string };

/** deviceId as a string, {exact}, {ideal} or an array of those. */
export function deviceIdWish(v: unknown): { ids: string[]; required: boolean } | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return { ids: [v], required: false };
  if (Array.isArray(v)) return { ids: v.filter((x): x is string => typeof x === 'string'), required: false };
  if (typeof v === 'object') {
    const o = v as { exact?: unknown; ideal?: unknown };
    if (o.exact !== undefined) {
      const ids = Array.isArray(o.exact) ? o.exact : [o.exact];
      return { ids: ids.filter((x): x is string => typeof x === 'string'), required: true };
    }
    if (o.ideal !== undefined) {
      const ids = Array.isArray(o.ideal) ? o.ideal : [o.ideal];
      return { ids: ids.filter((x): x is string => typeof x === 'string'), required: false };
    }
  }
  return null;
}

export interface DecideContext {
  /** AnimeCam is switched on for this site. */
  enabled: boolean;
  /** Serve AnimeCam even when the page asks for a real (or any) camera. */
  replaceCamera: boolean;
  /** AnimeCam's deviceId for this origin. */
  deviceId: string;
}

/** Settings for an AnimeCam track opened with these constraints, or the constraint it cannot meet. */
export function planFor(c: MediaTrackConstraints | true): VideoDecision {
  const r = selectSettings(ANIMECAM_DEVICE, c);
  if (r.ok) return { kind: 'animecam', settings: r.settings };
  return { kind: 'error', name: 'OverconstrainedError', constraint: r.constraint, message: `AnimeCam cannot satisfy the ${r.constraint} constraint` };
}

/** What to do with the `video` member of a getUserMedia call. */
export function decideVideo(video: MediaStreamConstraints['video'], ctx: DecideContext): VideoDecision {
  if (video === undefined || video === false) return { kind: 'none' };
  if (!ctx.enabled) return { kind: 'passthrough' };
  const c = video === true ? {} : video;
  const wish = deviceIdWish((c as { deviceId?: unknown }).deviceId);
  const asksForUs = wish?.ids.includes(ctx.deviceId) ?? false;
  if (asksForUs) return planFor(video);
  if (wish?.required) {
    // A specific other camera, exactly: its own business (and its own errors), unless replacing.
    return ctx.replaceCamera ? planFor(stripDevice(c)) : { kind: 'passthrough' };
  }
  return ctx.replaceCamera ? planFor(stripDevice(c)) : { kind: 'passthrough' };
}

function stripDevice(c: MediaTrackConstraints): MediaTrackConstraints {
  const { deviceId: _ignored, groupId: _g, ...rest } = c;
  return rest;
}
