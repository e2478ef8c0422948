/**
 * How a Chromium camera turns constraints into settings, for a device described by its native
 * formats. AnimeCam can render any size, but a call site expects camera answers: getUserMedia
 * and applyConstraints pick a native format (closest to the ideals, then to the "native" ideals,
 * then to a default resolution) and crop-and-scale from it only when that fits the request
 * better. Written from the behaviour measured on Chromium's own fake camera (see
 * camera-model.test.ts) and the Media Capture fitness distance. Pure, so it is unit-tested.
 */

export interface NativeFormat {
  width: number;
  height: number;
  frameRate: number;
}

export interface DeviceModel {
  formats: readonly NativeFormat[];
  /** Smallest size the device can scale down to. */
  minWidth: number;
  minHeight: number;
  facingMode: string | null;
}

export type ResizeMode = 'none' | 'crop-and-scale';

export interface TrackSettingsPlan {
  width: number;
  height: number;
  frameRate: number;
  resizeMode: ResizeMode;
  /** The native format the source runs at (what the pipeline renders). */
  native: NativeFormat;
}

export type Selection = { ok: true; settings: TrackSettingsPlan } | { ok: false; constraint: string };

interface Range {
  min: number;
  max: number;
  ideal?: number;
}

/** Chromium's defaults when nothing asks otherwise (getUserMedia). */
export const DEFAULT_FORMAT: NativeFormat = { width: 640, height: 480, frameRate: 30 };

type Raw = Record<string, unknown>;

function numeric(v: unknown, lo: number, hi: number): Range {
  const r: Range = { min: lo, max: hi };
  if (typeof v === 'number' && Number.isFinite(v)) return { ...r, ideal: v };
  if (typeof v !== 'object' || v === null) return r;
  const o = v as Raw;
  const n = (k: string) => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : undefined);
  const exact = n('exact'), min = n('min'), max = n('max'), ideal = n('ideal');
  if (exact !== undefined) (r.min = Math.max(r.min, exact)), (r.max = Math.min(r.max, exact));
  if (min !== undefined) r.min = Math.max(r.min, min);
  if (max !== undefined) r.max = Math.min(r.max, max);
  if (ideal !== undefined) r.ideal = ideal;
  return r;
}

function strings(v: unknown): { exact: string[] | null; ideal: string[] | null } {
  const list = (x: unknown): string[] | null => (typeof x === 'string' ? [x] : Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : null);
  if (typeof v === 'string' || Array.isArray(v)) return { exact: null, ideal: list(v) };
  if (typeof v !== 'object' || v === null) return { exact: null, ideal: null };
  const o = v as Raw;
  return { exact: list(o.exact), ideal: list(o.ideal) };
}

/** The spec's fitness distance between an actual value and an ideal one. */
function distance(actual: number, ideal: number | undefined): number {
  if (ideal === undefined || actual === ideal) return 0;
  return Math.abs(actual - ideal) / Math.max(Math.abs(actual), Math.abs(ideal));
}

/** How far a native value is from what the constraints would like (Chromium's tie-breaker). */
function nativeDistance(native: number, r: Range, lo: number, hi: number): number {
  if (r.ideal !== undefined) return distance(native, Math.min(Math.max(r.ideal, r.min), r.max));
  if (r.max < hi && native > r.max) return distance(native, r.max);
  if (r.min > lo && native < r.min) return distance(native, r.min);
  return 0;
}

const BIG = 1e6;
const EPS = 1e-6;

interface Ranges {
  width: Range;
  height: Range;
  aspectRatio: Range;
  frameRate: Range;
}

/** The size a camera's track adapter crops and scales to from a native format, or the failing constraint. */
export function rescaleTarget(f: NativeFormat, c: Ranges, minW = 1, minH = 1): { width: number; height: number } | { fail: string } {
  const wLo = Math.max(minW, c.width.min), wHi = Math.min(f.width, c.width.max);
  if (wLo > wHi) return { fail: 'width' };
  const hLo = Math.max(minH, c.height.min), hHi = Math.min(f.height, c.height.max);
  if (hLo > hHi) return { fail: 'height' };
  const arLo = Math.max(c.aspectRatio.min, wLo / hHi), arHi = Math.min(c.aspectRatio.max, wHi / hLo);
  if (arLo > arHi + EPS) return { fail: 'aspectRatio' };
  const clampAr = (a: number) => Math.min(Math.max(a, arLo), arHi);
  const cw = (w: number) => Math.min(Math.max(w, wLo), wHi);
  const ch = (h: number) => Math.min(Math.max(h, hLo), hHi);
  const wi = c.width.ideal, hi = c.height.ideal;
  let w: number, h: number;
  if (wi !== undefined && hi !== undefined && c.aspectRatio.ideal === undefined) {
    w = cw(wi);
    h = ch(hi);
    const a = clampAr(w / h);
    if (Math.abs(a - w / h) > EPS) h = ch(w / a);
  } else {
    // One side asked (or none): keep the requested (or the native) aspect ratio, like a camera.
    const ar = clampAr(c.aspectRatio.ideal ?? f.width / f.height);
    if (hi !== undefined) {
      h = ch(hi);
      w = cw(h * ar);
      h = ch(w / ar);
    } else if (wi !== undefined) {
      w = cw(wi);
      h = ch(w / ar);
      w = cw(h * ar);
    } else {
      // Largest picture of that shape inside the allowed box.
      w = Math.min(wHi, hHi * ar);
      h = w / ar;
      if (h < hLo) (h = hLo), (w = cw(h * ar));
      if (w < wLo) (w = wLo), (h = ch(w / ar));
    }
  }
  return { width: Math.round(w), height: Math.round(h) };
}

function targetRate(native: number, r: Range): number | null {
  if (r.min > native + EPS || r.max < 1 - EPS || r.min > r.max) return null;
  if (r.ideal !== undefined) return Math.min(Math.max(r.ideal, r.min, 1), r.max, native);
  return Math.min(r.max, native);
}

interface Candidate {
  settings: TrackSettingsPlan;
  score: number[];
}

/**
 * Picks settings for a track of `device` under `constraints` (the basic set; `advanced` is not
 * modelled). `current` is the format the source already runs at: applyConstraints prefers it on
 * ties, getUserMedia passes Chromium's default 640x480@30.
 */
export function selectSettings(device: DeviceModel, constraints: MediaTrackConstraints | true, current: NativeFormat = DEFAULT_FORMAT): Selection {
  const v: Raw = constraints === true ? {} : (constraints as Raw);
  const facing = strings(v.facingMode);
  if (facing.exact && !(device.facingMode && facing.exact.includes(device.facingMode))) return { ok: false, constraint: 'facingMode' };
  const resize = strings(v.resizeMode);
  const allowNone = !resize.exact || resize.exact.includes('none');
  const allowRescale = !resize.exact || resize.exact.includes('crop-and-scale');
  if (!allowNone && !allowRescale) return { ok: false, constraint: 'resizeMode' };
  const c: Ranges = {
    width: numeric(v.width, 1, BIG),
    height: numeric(v.height, 1, BIG),
    aspectRatio: numeric(v.aspectRatio, 0, BIG),
    frameRate: numeric(v.frameRate, 0, BIG),
  };
  const candidates: Candidate[] = [];
  let failed = 'width';
  for (const f of device.formats) {
    const rate = targetRate(f.frameRate, c.frameRate);
    const rateFit = rate === null ? 0 : distance(rate, c.frameRate.ideal);
    const native = nativeDistance(f.width, c.width, 1, BIG) + nativeDistance(f.height, c.height, 1, BIG) + nativeDistance(f.frameRate, c.frameRate, 0, BIG);
    const defaults = [distance(f.width * f.height, current.width * current.height), distance(f.frameRate, current.frameRate)];
    const options: { s: TrackSettingsPlan; fit: number }[] = [];
    const nativeFits =
      f.width >= c.width.min && f.width <= c.width.max && f.height >= c.height.min && f.height <= c.height.max &&
      f.width / f.height >= c.aspectRatio.min - EPS && f.width / f.height <= c.aspectRatio.max + EPS;
    if (allowNone && nativeFits && rate !== null) {
      const fit = distance(f.width / f.height, c.aspectRatio.ideal) + distance(f.height, c.height.ideal) + distance(f.width, c.width.ideal) + rateFit + (resize.ideal && !resize.ideal.includes('none') ? 1 : 0);
      options.push({ s: { width: f.width, height: f.height, frameRate: rate, resizeMode: 'none', native: f }, fit });
    }
    const t = rescaleTarget(f, c, device.minWidth, device.minHeight);
    if (allowRescale && !('fail' in t) && rate !== null) {
      const fit = distance(t.width / t.height, c.aspectRatio.ideal) + distance(t.height, c.height.ideal) + distance(t.width, c.width.ideal) + rateFit + (resize.ideal && !resize.ideal.includes('crop-and-scale') ? 1 : 0);
      const same = t.width === f.width && t.height === f.height;
      options.push({ s: { width: t.width, height: t.height, frameRate: rate, resizeMode: same ? 'none' : 'crop-and-scale', native: f }, fit });
    }
    if (!options.length) {
      failed = 'fail' in t ? t.fail : rate === null ? 'frameRate' : !allowNone ? 'resizeMode' : 'width';
      continue;
    }
    // Same fitness with and without scaling: a camera prefers its native picture.
    options.sort((a, b) => a.fit - b.fit || (a.s.resizeMode === 'none' ? -1 : 1));
    candidates.push({ settings: options[0].s, score: [options[0].fit, native, ...defaults] });
  }
  if (!candidates.length) return { ok: false, constraint: failed };
  candidates.sort((a, b) => {
    for (let i = 0; i < a.score.length; i++) if (Math.abs(a.score[i] - b.score[i]) > EPS) return a.score[i] - b.score[i];
    return 0;
  });
  return { ok: true, settings: candidates[0].settings };
}

/** What getConstraints() answers: Chromium reports `{ideal: x}` as a bare `x`. */
export function normalizeConstraints(c: MediaTrackConstraints | true): MediaTrackConstraints {
  if (c === true) return {};
  const out: Raw = {};
  for (const [k, v] of Object.entries(c as Raw)) {
    if (v === undefined || k === 'advanced') continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v).filter((x) => (v as Raw)[x] !== undefined);
      out[k] = keys.length === 1 && keys[0] === 'ideal' ? (v as Raw).ideal : v;
    } else out[k] = v;
  }
  return out as MediaTrackConstraints;
}
