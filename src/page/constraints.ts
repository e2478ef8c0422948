/**
 * Decides what a getUserMedia video request means for AnimeCam, the way a real camera would:
 * which requests it serves, at what size and rate, and which it must refuse (and with which
 * constraint named). Pure, so it is unit-tested in Node.
 */
export const ANIMECAM_DEVICE_ID = 'a61mec4m0000000000000000000000000000000000000000000000000000cafe';
export const ANIMECAM_GROUP_ID = 'a61mec4m0000000000000000000000000000000000000000000000000000face';
export const ANIMECAM_LABEL = 'AnimeCam';

/** What the virtual camera can deliver (it renders any size in this range). */
export const CAPS = {
  width: { min: 160, max: 1920 },
  height: { min: 120, max: 1080 },
  frameRate: { min: 1, max: 60 },
  aspectRatio: { min: 160 / 1080, max: 1920 / 120 },
} as const;
export const DEFAULTS = { width: 1280, height: 720, frameRate: 30 } as const;

export interface VideoPlan {
  width: number;
  height: number;
  frameRate: number;
}

export type VideoDecision =
  | { kind: 'none' } // no video asked for
  | { kind: 'passthrough' } // a real camera's business
  | { kind: 'animecam'; plan: VideoPlan }
  | { kind: 'error'; name: 'OverconstrainedError'; constraint: string; message: string };

type Range = { min?: number; max?: number; exact?: number; ideal?: number };

function asRange(v: unknown): Range | null {
  if (typeof v === 'number' && Number.isFinite(v)) return { ideal: v };
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const out: Range = {};
  for (const k of ['min', 'max', 'exact', 'ideal'] as const) {
    if (typeof r[k] === 'number' && Number.isFinite(r[k])) out[k] = r[k] as number;
  }
  return out;
}

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

/** Picks a value in [lo, hi] honouring min/max/exact, closest to ideal (or the fallback); null when impossible. */
export function fit(r: Range | null, lo: number, hi: number, fallback: number): number | null {
  if (!r) return fallback;
  let min = lo, max = hi;
  if (r.exact !== undefined) {
    min = Math.max(min, r.exact);
    max = Math.min(max, r.exact);
  }
  if (r.min !== undefined) min = Math.max(min, r.min);
  if (r.max !== undefined) max = Math.min(max, r.max);
  if (min > max) return null;
  const want = r.ideal ?? fallback;
  return Math.min(max, Math.max(min, want));
}

export interface DecideContext {
  /** AnimeCam is switched on for this site. */
  enabled: boolean;
  /** Serve AnimeCam even when the page asks for a real (or any) camera. */
  replaceCamera: boolean;
}

/** Applies size/rate constraints to the virtual camera; used by getUserMedia and applyConstraints. */
export function planFor(c: MediaTrackConstraints | true, base: VideoPlan = DEFAULTS): VideoDecision {
  const v: Record<string, unknown> = c === true ? {} : (c as Record<string, unknown>);
  const facing = v.facingMode;
  const facingExact = typeof facing === 'object' && facing !== null ? (facing as { exact?: unknown }).exact : undefined;
  if (facingExact !== undefined && facingExact !== 'user' && !(Array.isArray(facingExact) && facingExact.includes('user'))) {
    return { kind: 'error', name: 'OverconstrainedError', constraint: 'facingMode', message: 'AnimeCam is a front ("user") camera' };
  }
  const width = fit(asRange(v.width), CAPS.width.min, CAPS.width.max, base.width);
  if (width === null) return overconstrained('width');
  const height = fit(asRange(v.height), CAPS.height.min, CAPS.height.max, base.height);
  if (height === null) return overconstrained('height');
  const frameRate = fit(asRange(v.frameRate), CAPS.frameRate.min, CAPS.frameRate.max, base.frameRate);
  if (frameRate === null) return overconstrained('frameRate');
  const ar = asRange(v.aspectRatio);
  if (ar?.exact !== undefined && Math.abs(width / height - ar.exact) > 0.01) {
    // Honour an exact aspect ratio by adjusting the height, as cameras crop.
    const h = Math.round(width / ar.exact);
    if (h < CAPS.height.min || h > CAPS.height.max) return overconstrained('aspectRatio');
    return { kind: 'animecam', plan: { width: even(width), height: even(h), frameRate } };
  }
  return { kind: 'animecam', plan: { width: even(width), height: even(height), frameRate } };
}

function even(n: number): number {
  // Video encoders want even sizes.
  return Math.max(2, Math.round(n / 2) * 2);
}

function overconstrained(constraint: string): VideoDecision {
  return { kind: 'error', name: 'OverconstrainedError', constraint, message: `AnimeCam cannot satisfy the ${constraint} constraint` };
}

/** What to do with the `video` member of a getUserMedia call. */
export function decideVideo(video: MediaStreamConstraints['video'], ctx: DecideContext): VideoDecision {
  if (video === undefined || video === false) return { kind: 'none' };
  if (!ctx.enabled) return { kind: 'passthrough' };
  const c = video === true ? {} : video;
  const wish = deviceIdWish((c as { deviceId?: unknown }).deviceId);
  const asksForUs = wish?.ids.includes(ANIMECAM_DEVICE_ID) ?? false;
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
