/**
 * Settings for what keeps the character alive beyond face tracking: camera-free mode (global or
 * per site), the voice-driven mouth and expression keys. Sanitised like every stored setting.
 */
import { CUSTOM_EXPRESSIONS, DEFAULT_KEY_HOLD_MS, type ExpressionId } from '../core/pose/expressions';
import { POSE_SIZE } from '../core/pose/pose-params';

export interface CameraFreeSettings {
  /** Never open the real camera, on every site. */
  everywhere: boolean;
  /** Per-origin choice; overrides `everywhere` for that site. */
  sites: Record<string, boolean>;
}

export interface VoiceSettings {
  /** The microphone the call already uses drives the mouth when no face does. */
  enabled: boolean;
  /** Share of the voice in the mouth while a face is tracked: 0 = tracked mouth only, 1 = voice only. */
  blendWithTracking: number;
}

export interface CustomExpression {
  name: string;
  /** The live pose (45 values) when it was saved. */
  pose: number[];
}

export interface ExpressionSettings {
  /** How long a keyboard shortcut shows its expression (ms). */
  keyHoldMs: number;
  custom: Partial<Record<(typeof CUSTOM_EXPRESSIONS)[number], CustomExpression>>;
}

export const DEFAULT_CAMERA_FREE: CameraFreeSettings = { everywhere: false, sites: {} };
export const DEFAULT_VOICE: VoiceSettings = { enabled: true, blendWithTracking: 0 };
export const DEFAULT_EXPRESSIONS: ExpressionSettings = { keyHoldMs: DEFAULT_KEY_HOLD_MS, custom: {} };

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const clamp = (v: unknown, lo: number, hi: number, dflt: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;

function origin(key: string): string | null {
  try {
    const u = new URL(key);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

export function sanitizeCameraFree(raw: unknown): CameraFreeSettings {
  const o = record(raw);
  const sites: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(record(o.sites)).slice(0, 500)) {
    const key = origin(k);
    if (key && typeof v === 'boolean') sites[key] = v;
  }
  return { everywhere: o.everywhere === true, sites };
}

export function sanitizeVoice(raw: unknown): VoiceSettings {
  const o = record(raw);
  return {
    enabled: typeof o.enabled === 'boolean' ? o.enabled : DEFAULT_VOICE.enabled,
    blendWithTracking: clamp(o.blendWithTracking, 0, 1, DEFAULT_VOICE.blendWithTracking),
  };
}

export function sanitizeExpressions(raw: unknown): ExpressionSettings {
  const o = record(raw);
  const custom: ExpressionSettings['custom'] = {};
  const src = record(o.custom);
  for (const id of CUSTOM_EXPRESSIONS) {
    const e = record(src[id]);
    if (!Array.isArray(e.pose) || e.pose.length !== POSE_SIZE) continue;
    custom[id] = {
      name: typeof e.name === 'string' && e.name.trim() ? e.name.trim().slice(0, 40) : id,
      pose: e.pose.map((v) => clamp(v, -1, 1, 0)),
    };
  }
  return { keyHoldMs: clamp(o.keyHoldMs, 300, 10_000, DEFAULT_KEY_HOLD_MS), custom };
}

/** Is AnimeCam camera-free for this origin (null: an extension page such as the preview)? */
export function cameraFreeFor(s: CameraFreeSettings, siteOrigin: string | null): boolean {
  if (siteOrigin !== null && Object.hasOwn(s.sites, siteOrigin)) return s.sites[siteOrigin];
  return s.everywhere;
}

/** The saved pose of a custom expression, or null when that slot is empty. */
export function customPose(s: ExpressionSettings, id: ExpressionId): number[] | null {
  return (s.custom as Record<string, CustomExpression | undefined>)[id]?.pose ?? null;
}

/**
 * Does the shared pipeline need the real camera? Yes when any call's site is not camera-free.
 * Previews (origin null) follow the calls that are open; alone, they follow the global switch.
 */
export function cameraNeeded(consumerOrigins: readonly (string | null)[], s: CameraFreeSettings): boolean {
  const sites = consumerOrigins.filter((o): o is string => o !== null);
  if (sites.length > 0) return sites.some((o) => !cameraFreeFor(s, o));
  return consumerOrigins.length > 0 && !s.everywhere;
}
