/**
 * Plain-language expression presets over the ~30 tuning numbers. A preset is the defaults plus a
 * few changes; applying one keeps what belongs to the person or the character rather than to a
 * style (calibration, head offsets, iris sizes, brow and blink looks).
 */
import { DEFAULT_POSE_DRIVER_SETTINGS, sanitizePoseDriverSettings, type ConverterSettings, type PoseDriverSettings } from '../../core/pose';

export type PresetId = 'standard' | 'calm' | 'expressive' | 'subtle-mouth';

interface PresetChanges {
  converter?: Partial<ConverterSettings>;
  smoothing?: Partial<PoseDriverSettings['smoothing']>;
  headStrength?: number;
  faceFadeMs?: number;
}

export interface Preset {
  id: PresetId;
  label: string;
  description: string;
  changes: PresetChanges;
}

export const PRESETS: readonly Preset[] = [
  { id: 'standard', label: 'Standard', description: 'The original THA4 settings.', changes: {} },
  {
    id: 'calm',
    label: 'Calm',
    description: 'Steadier and slower: less jitter, gentler head moves, slow breathing.',
    changes: {
      smoothing: { minCutoff: 0.5, beta: 0.6 },
      headStrength: 0.7,
      faceFadeMs: 450,
      converter: { eyeRotationFactor: 1, breathingRatePerMinute: 12 },
    },
  },
  {
    id: 'expressive',
    label: 'Expressive',
    description: 'Bigger reactions: smiles, wide eyes and brows come sooner; head moves more.',
    changes: {
      smoothing: { minCutoff: 1.5, beta: 3 },
      headStrength: 1.3,
      converter: {
        smileThresholdMin: 0.3,
        smileThresholdMax: 0.5,
        eyeSurprisedMax: 0.35,
        eyebrowDownMax: 0.3,
        jawOpenMax: 0.3,
        mouthFrownMax: 0.45,
        eyeRotationFactor: 1.6,
      },
    },
  },
  {
    id: 'subtle-mouth',
    label: 'Subtle mouth',
    description: 'The mouth opens and rounds only for clear movements (less chatter while you listen).',
    changes: {
      converter: { jawOpenMin: 0.2, jawOpenMax: 0.6, mouthFunnelMin: 0.35, mouthFunnelMax: 0.7, mouthFrownMax: 0.8 },
    },
  },
];

/** Fields a preset never changes: they are about the person, the camera or the character. */
const KEPT_CONVERTER_KEYS = ['headXOffset', 'headYOffset', 'headZOffset', 'irisSmallLeft', 'irisSmallRight', 'eyebrowDownMode', 'winkMode'] as const;

export function presetById(id: PresetId): Preset {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown preset ${id}`);
  return p;
}

/** The settings with the preset applied (sanitised, so always valid). */
export function applyPreset(current: PoseDriverSettings, id: PresetId): PoseDriverSettings {
  const { changes } = presetById(id);
  const d = DEFAULT_POSE_DRIVER_SETTINGS;
  const kept = Object.fromEntries(KEPT_CONVERTER_KEYS.map((k) => [k, current.converter[k]]));
  return sanitizePoseDriverSettings({
    converter: { ...d.converter, ...changes.converter, ...kept },
    smoothing: { ...d.smoothing, enabled: current.smoothing.enabled, ...changes.smoothing },
    calibration: current.calibration,
    headStrength: changes.headStrength ?? d.headStrength,
    faceFadeMs: changes.faceFadeMs ?? d.faceFadeMs,
  });
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** The preset the settings are exactly at, or null once a slider moved them away ("Custom"). */
export function matchPreset(current: PoseDriverSettings): PresetId | null {
  for (const p of PRESETS) {
    const want = applyPreset(current, p.id);
    const conv = Object.keys(want.converter) as (keyof ConverterSettings)[];
    const same =
      conv.every((k) => {
        const a = want.converter[k];
        const b = current.converter[k];
        return typeof a === 'number' && typeof b === 'number' ? close(a, b) : a === b;
      }) &&
      close(want.smoothing.minCutoff, current.smoothing.minCutoff) &&
      close(want.smoothing.beta, current.smoothing.beta) &&
      close(want.smoothing.dCutoff, current.smoothing.dCutoff) &&
      close(want.headStrength, current.headStrength) &&
      close(want.faceFadeMs, current.faceFadeMs);
    if (same) return p.id;
  }
  return null;
}
