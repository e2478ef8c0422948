/**
 * The mouth from a stream of microphone samples: the loudness envelope says how open, the
 * formants say which shape. Feed it blocks as they arrive (any size, any rate); read the five
 * THA4 vowel values whenever a frame is drawn.
 */
import { LoudnessEnvelope, rms, type EnvelopeSettings, DEFAULT_ENVELOPE } from './envelope';
import { estimateFormants, VOWELS, vowelWeights, type VowelWeights } from './formants';
import { PoseParam } from '../pose/pose-params';

/** Envelope step and formant window. */
const HOP_MS = 10;
const WINDOW_MS = 32;
/** Vowel weights follow the analysis with this time constant (no flicker between frames). */
const SHAPE_MS = 60;
/** Below this opening the shape is not re-estimated (the last one fades with the mouth). */
const SHAPE_GATE = 0.15;

export type VowelPose = VowelWeights;

const NEUTRAL_SHAPE: VowelWeights = { aaa: 1, iii: 0, uuu: 0, eee: 0, ooo: 0 };

export class VoiceMouth {
  private readonly envelope: LoudnessEnvelope;
  private buffer = new Float32Array(0);
  private rate = 48_000;
  private consumed = 0;
  private shape: VowelWeights = { ...NEUTRAL_SHAPE };
  /** Time (ms, caller's clock) of the last sample fed, for "is the voice live?". */
  lastInputMs = -Infinity;

  constructor(envelope: EnvelopeSettings = DEFAULT_ENVELOPE) {
    this.envelope = new LoudnessEnvelope(envelope);
  }

  /** Opening in [0, 1]. */
  get opening(): number {
    return this.envelope.current;
  }

  get vowelShape(): VowelWeights {
    return this.shape;
  }

  /** Feeds mono samples at `rate` Hz; `nowMs` is when they arrived. */
  push(samples: Float32Array, rate: number, nowMs: number): void {
    if (!(rate > 0) || samples.length === 0) return;
    if (rate !== this.rate) {
      this.rate = rate;
      this.buffer = new Float32Array(0);
      this.consumed = 0;
    }
    this.lastInputMs = nowMs;
    const merged = new Float32Array(this.buffer.length + samples.length);
    merged.set(this.buffer);
    merged.set(samples, this.buffer.length);
    this.buffer = merged;
    const hop = Math.round((rate * HOP_MS) / 1000);
    const win = Math.round((rate * WINDOW_MS) / 1000);
    while (this.buffer.length - this.consumed >= hop) {
      const end = this.consumed + hop;
      const open = this.envelope.update(rms(this.buffer, this.consumed, end), HOP_MS);
      if (open > SHAPE_GATE && end >= win) {
        const f = estimateFormants(this.buffer.subarray(end - win, end), rate);
        if (f) this.follow(vowelWeights(f[0], f[1]));
      }
      this.consumed = end;
    }
    // Keep one window of history for the next formant frame.
    const keepFrom = Math.max(0, this.consumed - win);
    this.buffer = this.buffer.slice(keepFrom);
    this.consumed -= keepFrom;
  }

  private follow(target: VowelWeights): void {
    const a = 1 - Math.exp(-HOP_MS / SHAPE_MS);
    for (const v of VOWELS) this.shape[v] += (target[v] - this.shape[v]) * a;
  }

  /** The five THA4 mouth values now: opening times shape. */
  pose(): VowelPose {
    const open = this.envelope.current;
    const out = {} as VowelPose;
    for (const v of VOWELS) out[v] = open * this.shape[v];
    return out;
  }

  reset(): void {
    this.envelope.reset();
    this.buffer = new Float32Array(0);
    this.consumed = 0;
    this.shape = { ...NEUTRAL_SHAPE };
  }
}

const VOWEL_INDEX: Record<keyof VowelPose, number> = {
  aaa: PoseParam.mouth_aaa,
  iii: PoseParam.mouth_iii,
  uuu: PoseParam.mouth_uuu,
  eee: PoseParam.mouth_eee,
  ooo: PoseParam.mouth_ooo,
};

/**
 * Mixes the voice's mouth into a pose in place: weight 1 replaces the five vowel values with
 * the voice's, 0 leaves the tracked mouth.
 */
export function applyVoiceMouth(pose: Float32Array, voice: VowelPose, weight: number): Float32Array {
  const w = Number.isFinite(weight) ? Math.max(0, Math.min(1, weight)) : 0;
  if (w === 0) return pose;
  for (const v of VOWELS) {
    const i = VOWEL_INDEX[v];
    pose[i] = Math.max(0, Math.min(1, pose[i] + (voice[v] - pose[i]) * w));
  }
  return pose;
}
