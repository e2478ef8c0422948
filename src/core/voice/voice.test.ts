import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVELOPE, LoudnessEnvelope, openingForDb, rms } from './envelope';
import { estimateFormants, VOWEL_FORMANTS, VOWELS, vowelWeights, type Vowel } from './formants';
import { applyVoiceMouth, VoiceMouth } from './voice-mouth';
import { PoseParam, POSE_SIZE } from '../pose/pose-params';

const RATE = 48_000;

/** A vowel by formant synthesis: a glottal pulse train at f0 through resonators at F1, F2, F3. */
function vowel(f1: number, f2: number, ms: number, amp = 0.3, f0 = 120, rate = RATE): Float32Array {
  const n = Math.round((rate * ms) / 1000);
  let x = new Float32Array(n);
  const period = rate / f0;
  for (let i = 0; i < n; i++) x[i] = i % Math.round(period) === 0 ? 1 : 0;
  for (const [f, bw] of [[f1, 80], [f2, 100], [2900, 150]]) {
    const r = Math.exp((-Math.PI * bw) / rate);
    const c = 2 * r * Math.cos((2 * Math.PI * f) / rate);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = (1 - r) * x[i] + c * (y[i - 1] ?? 0) - r * r * (y[i - 2] ?? 0);
    x = y;
  }
  const peak = Math.max(...x.map(Math.abs));
  return x.map((v) => (v / peak) * amp);
}

function silence(ms: number): Float32Array {
  return new Float32Array(Math.round((RATE * ms) / 1000));
}

/** Feeds a signal in 10 ms blocks, returning the opening after each block. */
function feed(m: VoiceMouth, x: Float32Array, t0 = 0): number[] {
  const out: number[] = [];
  const block = RATE / 100;
  for (let i = 0; i + block <= x.length; i += block) {
    m.push(x.subarray(i, i + block), RATE, t0 + (i / RATE) * 1000);
    out.push(m.opening);
  }
  return out;
}

describe('loudness envelope', () => {
  it('maps dBFS onto [0, 1] between the gate and full level', () => {
    expect(openingForDb(-80)).toBe(0);
    expect(openingForDb(DEFAULT_ENVELOPE.gateDb)).toBe(0);
    expect(openingForDb(DEFAULT_ENVELOPE.fullDb)).toBe(1);
    expect(openingForDb(0)).toBe(1);
    expect(openingForDb((DEFAULT_ENVELOPE.gateDb + DEFAULT_ENVELOPE.fullDb) / 2)).toBeCloseTo(0.5);
    expect(openingForDb(NaN)).toBe(0);
    expect(rms([1, -1, 1, -1])).toBe(1);
  });

  it('opens fast (attack) and closes slower (release)', () => {
    const e = new LoudnessEnvelope();
    const up: number[] = [];
    for (let i = 0; i < 30; i++) up.push(e.update(0.5, 10));
    const down: number[] = [];
    for (let i = 0; i < 60; i++) down.push(e.update(0, 10));
    const t90up = up.findIndex((v) => v > 0.9) * 10;
    const t10down = down.findIndex((v) => v < 0.1) * 10;
    expect(t90up).toBeGreaterThan(20);
    expect(t90up).toBeLessThan(90);
    expect(t10down).toBeGreaterThan(t90up * 2);
    expect(t10down).toBeLessThan(350);
  });
});

describe('formants and vowel shape', () => {
  // LPC is pulled toward voice harmonics (here every 120 Hz), which matters most for a low F1.
  it('finds F1 within 22% and F2 within 15% for synthetic vowels', () => {
    for (const v of VOWELS) {
      const [f1, f2] = VOWEL_FORMANTS[v];
      const est = estimateFormants(vowel(f1, f2, 40).subarray(0, 1536), RATE)!;
      expect(est, v).not.toBeNull();
      expect(Math.abs(est[0] / f1 - 1), `${v} F1 ${est[0]}`).toBeLessThan(0.22);
      expect(Math.abs(est[1] / f2 - 1), `${v} F2 ${est[1]}`).toBeLessThan(0.15);
    }
  });

  it('weights sum to 1 and pick the nearest vowel, also for a voice off the table by 8%', () => {
    for (const v of VOWELS) {
      const [f1, f2] = VOWEL_FORMANTS[v];
      for (const scale of [0.92, 1, 1.08]) {
        const w = vowelWeights(f1 * scale, f2 * scale);
        expect(VOWELS.reduce((s, k) => s + w[k], 0)).toBeCloseTo(1);
        const best = VOWELS.reduce((a, b) => (w[a] >= w[b] ? a : b));
        expect(best, `${v} x${scale}`).toBe(v);
      }
    }
  });
});

describe('VoiceMouth', () => {
  it('opens the mouth with the right shape for each synthetic vowel, and closes it in silence', () => {
    for (const v of VOWELS) {
      const m = new VoiceMouth();
      const [f1, f2] = VOWEL_FORMANTS[v];
      const open = feed(m, vowel(f1, f2, 400));
      expect(open.at(-1)!, v).toBeGreaterThan(0.8);
      const pose = m.pose();
      const best = (Object.keys(pose) as Vowel[]).reduce((a, b) => (pose[a] >= pose[b] ? a : b));
      expect(best, v).toBe(v);
      const closed = feed(m, silence(400), 400);
      expect(closed[20], v).toBeLessThan(0.2); // 200 ms after the voice stops
      expect(closed.at(-1)!, v).toBe(0);
      expect(Math.max(...Object.values(m.pose()))).toBe(0);
    }
  });

  it('keeps the mouth shut for quiet room noise', () => {
    const m = new VoiceMouth();
    const noise = new Float32Array(RATE).map((_, i) => 0.002 * Math.sin(i * 12.9898) * Math.cos(i * 78.233));
    expect(Math.max(...feed(m, noise))).toBe(0);
  });

  it('follows syllables: open during each, mostly closed between', () => {
    const m = new VoiceMouth();
    const [f1, f2] = VOWEL_FORMANTS.aaa;
    const trace: number[] = [];
    for (let k = 0; k < 4; k++) {
      trace.push(...feed(m, vowel(f1, f2, 150)));
      trace.push(...feed(m, silence(250)));
    }
    const peaks = trace.filter((_, i) => i % 40 === 14); // near the end of each syllable
    const gaps = trace.filter((_, i) => i % 40 === 39); // end of each gap
    peaks.forEach((p) => expect(p).toBeGreaterThan(0.8));
    gaps.forEach((g) => expect(g).toBeLessThan(0.15));
  });

  it('handles any block size and sample rate change without throwing', () => {
    const m = new VoiceMouth();
    const x = vowel(800, 1300, 200, 0.3, 120, 44_100);
    for (let i = 0; i < x.length; i += 333) m.push(x.subarray(i, i + 333), 44_100, i);
    expect(m.opening).toBeGreaterThan(0.5);
    m.push(new Float32Array(0), 44_100, 0);
    m.push(vowel(800, 1300, 50), RATE, 1000);
    expect(Number.isFinite(m.opening)).toBe(true);
  });
});

describe('applyVoiceMouth', () => {
  it('replaces the vowels at weight 1, leaves them at 0 and blends between', () => {
    const pose = new Float32Array(POSE_SIZE);
    pose[PoseParam.mouth_aaa] = 0.4;
    pose[PoseParam.head_x] = 0.3;
    const voice = { aaa: 0, iii: 0.8, uuu: 0, eee: 0, ooo: 0 };
    expect(applyVoiceMouth(Float32Array.from(pose), voice, 0)[PoseParam.mouth_aaa]).toBeCloseTo(0.4);
    const full = applyVoiceMouth(Float32Array.from(pose), voice, 1);
    expect(full[PoseParam.mouth_aaa]).toBe(0);
    expect(full[PoseParam.mouth_iii]).toBeCloseTo(0.8);
    expect(full[PoseParam.head_x]).toBeCloseTo(0.3);
    expect(applyVoiceMouth(Float32Array.from(pose), voice, 0.5)[PoseParam.mouth_aaa]).toBeCloseTo(0.2);
  });
});
