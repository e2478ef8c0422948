import { DEFAULT_POSE_DRIVER_SETTINGS, sanitizePoseDriverSettings, type PoseDriverSettings } from '../core/pose/pose-driver';
import * as life from './character-life-settings';

/**
 * User settings, kept by the service worker in chrome.storage.local. Everything read back from
 * storage goes through `sanitizeSettings`, which clamps values and fills defaults, so a damaged or
 * older store never breaks the pipeline.
 */
export interface SiteSettings {
  /** AnimeCam appears as a camera on this site. */
  enabled: boolean;
  /** Serve AnimeCam even when the site asks for a real camera. */
  replaceCamera: boolean;
}

export interface Framing {
  /** Character height as a share of the frame height. */
  scale: number;
  /** Horizontal and vertical offset of the character's centre, in frame widths/heights. */
  offsetX: number;
  offsetY: number;
}

export interface Settings {
  /** Per-origin switches ("https://meet.google.com"). Sites not listed use `defaultSite`. */
  sites: Record<string, SiteSettings>;
  defaultSite: SiteSettings;
  /** The real camera that drives the character (null: the system default). */
  cameraId: string | null;
  /** Selected character in the library (null: the first one). */
  characterId: string | null;
  /** Render size: 'auto' picks by backend speed; a number forces a size (64..512). */
  renderSize: 'auto' | number;
  /** Renderer backend: 'auto' prefers a hardware WebGPU adapter and falls back to WASM. */
  renderBackend: 'auto' | 'webgpu' | 'wasm';
  background: { kind: 'color'; color: string } | { kind: 'image'; imageId: string };
  framing: Framing;
  /** Draws the pipeline's read time of each camera frame into the corner, for the latency benchmark. */
  stampFrames: boolean;
  /** Expression tuning: converter, smoothing, calibration, head strength, breathing. */
  pose: PoseDriverSettings;
  /** Camera-free mode, voice-driven mouth, expression keys (see character-life-settings.ts). */
  cameraFree: life.CameraFreeSettings;
  voice: life.VoiceSettings;
  expressions: life.ExpressionSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  sites: {},
  defaultSite: { enabled: true, replaceCamera: false },
  cameraId: null,
  characterId: null,
  renderSize: 'auto',
  renderBackend: 'auto',
  background: { kind: 'color', color: '#3a6b8c' },
  framing: { scale: 1, offsetX: 0, offsetY: 0 },
  stampFrames: false,
  pose: DEFAULT_POSE_DRIVER_SETTINGS,
  cameraFree: life.DEFAULT_CAMERA_FREE,
  voice: life.DEFAULT_VOICE,
  expressions: life.DEFAULT_EXPRESSIONS,
};

const clamp = (v: unknown, lo: number, hi: number, dflt: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;
const bool = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : dflt);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length < 512 ? v : null);

function site(v: unknown, dflt: SiteSettings): SiteSettings {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  return { enabled: bool(o.enabled, dflt.enabled), replaceCamera: bool(o.replaceCamera, dflt.replaceCamera) };
}

/** A normalised origin ("https://meet.google.com"), or null for anything that is not http(s). */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

export function sanitizeSettings(raw: unknown): Settings {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const defaultSite = site(o.defaultSite, DEFAULT_SETTINGS.defaultSite);
  const sites: Record<string, SiteSettings> = {};
  if (typeof o.sites === 'object' && o.sites !== null) {
    for (const [k, v] of Object.entries(o.sites as Record<string, unknown>).slice(0, 500)) {
      const origin = originOf(k);
      if (origin) sites[origin] = site(v, defaultSite);
    }
  }
  const bg = (typeof o.background === 'object' && o.background !== null ? o.background : {}) as Record<string, unknown>;
  const background: Settings['background'] =
    bg.kind === 'image' && typeof bg.imageId === 'string' && bg.imageId.length < 128
      ? { kind: 'image', imageId: bg.imageId }
      : { kind: 'color', color: typeof bg.color === 'string' && /^#[0-9a-f]{6}$/i.test(bg.color) ? bg.color : DEFAULT_SETTINGS.background.kind === 'color' ? DEFAULT_SETTINGS.background.color : '#000000' };
  const f = (typeof o.framing === 'object' && o.framing !== null ? o.framing : {}) as Record<string, unknown>;
  return {
    sites,
    defaultSite,
    cameraId: strOrNull(o.cameraId),
    characterId: strOrNull(o.characterId),
    renderSize: typeof o.renderSize === 'number' && Number.isFinite(o.renderSize) ? Math.round(clamp(o.renderSize, 64, 512, 512) / 16) * 16 : 'auto',
    renderBackend: o.renderBackend === 'webgpu' || o.renderBackend === 'wasm' ? o.renderBackend : 'auto',
    background,
    framing: { scale: clamp(f.scale, 0.3, 2.5, 1), offsetX: clamp(f.offsetX, -0.5, 0.5, 0), offsetY: clamp(f.offsetY, -0.5, 0.5, 0) },
    stampFrames: o.stampFrames === true,
    pose: sanitizePoseDriverSettings(o.pose),
    cameraFree: life.sanitizeCameraFree(o.cameraFree),
    voice: life.sanitizeVoice(o.voice),
    expressions: life.sanitizeExpressions(o.expressions),
  };
}

export function siteSettings(s: Settings, origin: string | null): SiteSettings {
  return (origin && s.sites[origin]) || s.defaultSite;
}
