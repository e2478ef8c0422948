/**
 * Expression keys: preset or saved expressions shown on demand, blended in and out over about
 * 150 ms on top of the live pose. An expression sets only the face parameters it names; the head,
 * gaze, breathing (and, unless it names them, the mouth's vowels) keep following the face or voice.
 */
import { clampPose, POSE_SIZE, PoseParam, type PoseParamName } from './pose-params';

export const PRESET_EXPRESSIONS = ['smile', 'wink-left', 'wink-right', 'surprised', 'angry', 'sad'] as const;
export const CUSTOM_EXPRESSIONS = ['custom-1', 'custom-2', 'custom-3'] as const;
export const EXPRESSION_IDS = [...PRESET_EXPRESSIONS, ...CUSTOM_EXPRESSIONS] as const;
export type ExpressionId = (typeof EXPRESSION_IDS)[number];

export function isExpressionId(v: unknown): v is ExpressionId {
  return typeof v === 'string' && (EXPRESSION_IDS as readonly string[]).includes(v);
}

export const EXPRESSION_LABELS: Readonly<Record<ExpressionId, string>> = {
  smile: 'Smile',
  'wink-left': 'Wink (left eye)',
  'wink-right': 'Wink (right eye)',
  surprised: 'Surprised',
  angry: 'Angry',
  sad: 'Sad',
  'custom-1': 'Custom 1',
  'custom-2': 'Custom 2',
  'custom-3': 'Custom 3',
};

/** A partial pose: the parameters an expression sets, with their values. */
export type ExpressionTarget = Partial<Record<PoseParamName, number>>;

/** Presets, in THA4's vocabulary (left/right are the character's). */
export const PRESET_TARGETS: Readonly<Record<(typeof PRESET_EXPRESSIONS)[number], ExpressionTarget>> = {
  smile: {
    eye_happy_wink_left: 1,
    eye_happy_wink_right: 1,
    eyebrow_happy_left: 0.8,
    eyebrow_happy_right: 0.8,
    mouth_raised_corner_left: 1,
    mouth_raised_corner_right: 1,
  },
  'wink-left': { eye_wink_left: 1, eye_wink_right: 0, mouth_raised_corner_left: 0.6, mouth_raised_corner_right: 0.6 },
  'wink-right': { eye_wink_right: 1, eye_wink_left: 0, mouth_raised_corner_left: 0.6, mouth_raised_corner_right: 0.6 },
  surprised: {
    eye_surprised_left: 1,
    eye_surprised_right: 1,
    eyebrow_raised_left: 1,
    eyebrow_raised_right: 1,
    iris_small_left: 0.6,
    iris_small_right: 0.6,
    eye_wink_left: 0,
    eye_wink_right: 0,
    mouth_ooo: 0.7,
  },
  angry: {
    eyebrow_angry_left: 1,
    eyebrow_angry_right: 1,
    eye_unimpressed_left: 0.4,
    eye_unimpressed_right: 0.4,
    eye_raised_lower_eyelid_left: 0.5,
    eye_raised_lower_eyelid_right: 0.5,
    mouth_lowered_corner_left: 0.7,
    mouth_lowered_corner_right: 0.7,
    mouth_raised_corner_left: 0,
    mouth_raised_corner_right: 0,
  },
  sad: {
    eyebrow_troubled_left: 1,
    eyebrow_troubled_right: 1,
    eye_relaxed_left: 0.4,
    eye_relaxed_right: 0.4,
    mouth_lowered_corner_left: 1,
    mouth_lowered_corner_right: 1,
    mouth_raised_corner_left: 0,
    mouth_raised_corner_right: 0,
  },
};

/**
 * Parameters a saved (custom) expression keeps: eyebrows, eyes and mouth shape, but not the
 * vowels, the gaze, the head or breathing, so the saved face still talks and moves.
 */
export const CUSTOM_PARAM_INDICES: readonly number[] = Array.from({ length: POSE_SIZE }, (_, i) => i).filter(
  (i) => i <= PoseParam.iris_small_right || (i >= PoseParam.mouth_delta && i <= PoseParam.mouth_smirk),
);

/** Indexed form of a target, for the per-frame mix. */
export type IndexedTarget = readonly (readonly [index: number, value: number])[];

export function indexTarget(target: ExpressionTarget): IndexedTarget {
  return Object.entries(target)
    .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
    .map(([k, v]) => [PoseParam[k as PoseParamName], v as number] as const);
}

/** A custom expression target from a live pose (45 values). */
export function customTarget(pose: ArrayLike<number>): IndexedTarget {
  return CUSTOM_PARAM_INDICES.map((i) => [i, Number.isFinite(pose[i]) ? Math.max(0, Math.min(1, pose[i])) : 0] as const);
}

/** Blend-in and blend-out time. */
export const DEFAULT_BLEND_MS = 150;

/** Smoothstep on a linear ramp: gentle at both ends, no overshoot. */
export function blendCurve(progress: number): number {
  const t = Math.max(0, Math.min(1, Number.isFinite(progress) ? progress : 0));
  return t * t * (3 - 2 * t);
}

/** Presses closer together than this are a held key auto-repeating, not a second press. */
export const REPEAT_GAP_MS = 250;
/** How long a key press shows its expression (held keys keep extending it). */
export const DEFAULT_KEY_HOLD_MS = 2000;

interface Active {
  /** Linear blend level in [0, 1]. */
  level: number;
  /** Shown until this time (ms); after it the expression blends out. */
  untilMs: number;
  lastPressMs: number;
  /** Order of activation (later ones are mixed on top). */
  order: number;
}

export class ExpressionMixer {
  private readonly active = new Map<ExpressionId, Active>();
  private lastMs: number | null = null;
  private counter = 0;

  constructor(private blendMs: number = DEFAULT_BLEND_MS) {}

  setBlendMs(ms: number): void {
    this.blendMs = Number.isFinite(ms) ? Math.max(0, Math.min(1000, ms)) : DEFAULT_BLEND_MS;
  }

  private entry(id: ExpressionId): Active {
    let a = this.active.get(id);
    if (!a) {
      a = { level: 0, untilMs: -Infinity, lastPressMs: -Infinity, order: 0 };
      this.active.set(id, a);
    }
    return a;
  }

  /** Shows `id` for `durationMs` from `nowMs` (a popup button held down re-sends this). */
  hold(id: ExpressionId, nowMs: number, durationMs: number): void {
    const a = this.entry(id);
    if (a.untilMs <= nowMs) a.order = ++this.counter;
    a.untilMs = Math.max(a.untilMs, nowMs + Math.max(0, durationMs));
  }

  /** Blends `id` out now. */
  release(id: ExpressionId, nowMs: number): void {
    const a = this.active.get(id);
    if (a) a.untilMs = Math.min(a.untilMs, nowMs);
  }

  releaseAll(nowMs: number): void {
    for (const id of this.active.keys()) this.release(id, nowMs);
  }

  /**
   * A keyboard shortcut fired (Chrome sends presses only, never releases): a press shows the
   * expression for `holdMs`; presses in quick succession (a held key repeating) keep it up; a
   * deliberate second press while it shows puts it away.
   */
  keyPress(id: ExpressionId, nowMs: number, holdMs: number = DEFAULT_KEY_HOLD_MS): void {
    const a = this.entry(id);
    const sincePrevious = nowMs - a.lastPressMs;
    a.lastPressMs = nowMs;
    if (a.untilMs > nowMs && sincePrevious > REPEAT_GAP_MS) {
      this.release(id, nowMs);
      return;
    }
    this.hold(id, nowMs, holdMs);
  }

  /** Ids shown or blending, for the status. */
  showing(nowMs: number): ExpressionId[] {
    return [...this.active.entries()].filter(([, a]) => a.level > 0 || a.untilMs > nowMs).map(([id]) => id);
  }

  /**
   * Advances the blends to `nowMs` and mixes the shown expressions into `pose` (a new array is
   * returned; `pose` is untouched). `targets` resolves an id to its target (null: none saved).
   */
  apply(pose: Float32Array, nowMs: number, targets: (id: ExpressionId) => IndexedTarget | null): Float32Array {
    const dt = this.lastMs === null || !Number.isFinite(nowMs) ? 0 : Math.max(0, nowMs - this.lastMs);
    if (Number.isFinite(nowMs)) this.lastMs = nowMs;
    const step = this.blendMs === 0 ? 1 : dt / this.blendMs;
    const out = Float32Array.from(pose);
    const order = [...this.active.entries()].sort((a, b) => a[1].order - b[1].order);
    for (const [id, a] of order) {
      a.level = a.untilMs > nowMs ? Math.min(1, a.level + step) : Math.max(0, a.level - step);
      if (a.level === 0 && a.untilMs <= nowMs) {
        this.active.delete(id);
        continue;
      }
      const target = targets(id);
      if (target) mixTarget(out, target, blendCurve(a.level));
    }
    return clampPose(out);
  }
}

/** Moves each named parameter of `pose` toward its target by `weight` (in place). */
export function mixTarget(pose: Float32Array, target: IndexedTarget, weight: number): Float32Array {
  const w = Math.max(0, Math.min(1, Number.isFinite(weight) ? weight : 0));
  for (const [i, v] of target) pose[i] = pose[i] + (v - pose[i]) * w;
  return pose;
}
