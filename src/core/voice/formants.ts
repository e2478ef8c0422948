/**
 * Vowel shape from the voice: the first two formants (resonances of the mouth and throat) found
 * as peaks of an LPC spectral envelope, then a soft match against typical vowel formants, giving
 * weights for THA4's five mouth shapes (aaa, iii, uuu, eee, ooo).
 */

/** Analysis rate: formants of interest lie below 4 kHz. */
export const ANALYSIS_RATE = 11_025;
// Order 12 at 11 kHz separates the close F1 and F2 of back vowels (u, o); 10 merged them (bench:voice).
const LPC_ORDER = 12;
const PRE_EMPHASIS = 0.94;
const SPECTRUM_POINTS = 256;

/**
 * Typical first and second formants (Hz), rounded from published adult averages (Peterson &
 * Barney 1952; Hillenbrand et al. 1995), between male and female voices.
 */
export const VOWEL_FORMANTS = Object.freeze({
  aaa: [800, 1300],
  iii: [320, 2400],
  uuu: [360, 1000],
  eee: [520, 2000],
  ooo: [540, 950],
} as const);
export const VOWELS = ['aaa', 'iii', 'uuu', 'eee', 'ooo'] as const;
export type Vowel = (typeof VOWELS)[number];
export type VowelWeights = Record<Vowel, number>;

/** Block-averaging decimation to about ANALYSIS_RATE (crude anti-aliasing, enough for formants). */
export function decimate(samples: ArrayLike<number>, rate: number): { data: Float32Array; rate: number } {
  const factor = Math.max(1, Math.floor(rate / ANALYSIS_RATE));
  const n = Math.floor(samples.length / factor);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < factor; j++) s += samples[i * factor + j];
    data[i] = s / factor;
  }
  return { data, rate: rate / factor };
}

/** LPC coefficients a[1..p] (a[0] = 1) by autocorrelation and Levinson-Durbin; null when silent. */
export function lpc(x: Float32Array, order = LPC_ORDER, preEmphasis = PRE_EMPHASIS): Float64Array | null {
  const n = x.length;
  if (n <= order) return null;
  // Pre-emphasis and a Hamming window.
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pre = x[i] - preEmphasis * (i > 0 ? x[i - 1] : 0);
    w[i] = pre * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1)));
  }
  const r = new Float64Array(order + 1);
  for (let k = 0; k <= order; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += w[i] * w[i - k];
    r[k] = s;
  }
  if (r[0] <= 1e-12) return null;
  r[0] *= 1 + 1e-6; // a little white noise keeps the recursion stable
  const a = new Float64Array(order + 1);
  a[0] = 1;
  let err = r[0];
  for (let i = 1; i <= order; i++) {
    let acc = r[i];
    for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
    const k = -acc / err;
    const prev = Float64Array.from(a);
    for (let j = 1; j < i; j++) a[j] = prev[j] + k * prev[i - j];
    a[i] = k;
    err *= 1 - k * k;
    if (err <= 0) return null;
  }
  return a;
}

/** Formant candidates: peaks (Hz) of the LPC envelope 1/|A(e^jw)| between 200 Hz and 3.5 kHz. */
export function envelopePeaks(a: Float64Array, rate: number): number[] {
  const mag = new Float64Array(SPECTRUM_POINTS);
  const maxHz = Math.min(3500, rate / 2);
  for (let k = 0; k < SPECTRUM_POINTS; k++) {
    const w = (Math.PI * 2 * ((k / (SPECTRUM_POINTS - 1)) * maxHz)) / rate;
    let re = 0;
    let im = 0;
    for (let j = 0; j < a.length; j++) {
      re += a[j] * Math.cos(w * j);
      im -= a[j] * Math.sin(w * j);
    }
    mag[k] = -Math.log(re * re + im * im + 1e-12);
  }
  const peaks: number[] = [];
  for (let k = 1; k < SPECTRUM_POINTS - 1; k++) {
    const hz = (k / (SPECTRUM_POINTS - 1)) * maxHz;
    if (hz < 200) continue;
    if (mag[k] > mag[k - 1] && mag[k] >= mag[k + 1]) peaks.push(hz);
  }
  return peaks;
}

/** F1 and F2 of a frame (any rate), or null when silent or unvoiced-looking. */
export function estimateFormants(frame: ArrayLike<number>, rate: number): [number, number] | null {
  const d = decimate(frame, rate);
  const a = lpc(d.data, LPC_ORDER, PRE_EMPHASIS);
  if (!a) return null;
  const peaks = envelopePeaks(a, d.rate);
  if (peaks.length === 0) return null;
  const f1 = peaks[0];
  // Back vowels put F2 close to F1, where the two peaks may merge into one.
  const f2 = peaks.find((p) => p > f1 + 150) ?? f1 * 1.5;
  return [f1, f2];
}

/** Soft match of (F1, F2) against the vowel table in log-frequency: weights sum to 1. */
export function vowelWeights(f1: number, f2: number, sharpness = 0.18): VowelWeights {
  const out = {} as VowelWeights;
  let total = 0;
  for (const v of VOWELS) {
    const [t1, t2] = VOWEL_FORMANTS[v];
    // F1 separates open from close vowels and weighs more; F2 front from back.
    const d = ((Math.log(f1 / t1) * 1.3) ** 2 + Math.log(f2 / t2) ** 2) / (2 * sharpness * sharpness);
    out[v] = Math.exp(-d);
    total += out[v];
  }
  for (const v of VOWELS) out[v] = total > 1e-12 ? out[v] / total : v === 'aaa' ? 1 : 0;
  return out;
}
