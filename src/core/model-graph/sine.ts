import { SIREN_OMEGA } from '../character/architecture';
import type { GraphBuilder } from './graph-builder';

/**
 * How a SIREN activation sin(30 * (W x + b)) is evaluated inside the graph.
 * - 'polynomial': the layer's weights are pre-scaled to produce a phase in turns shifted by a
 *   quarter turn; the graph reduces it to [-1/4, 1/4] turn with Round/Abs and evaluates an odd
 *   polynomial. ORT's wasm Sin is scalar and single-threaded (about 15 ns per element measured,
 *   6x slower than this chain of vectorized element-wise ops), and the polynomial is exact on
 *   every backend.
 * - 'native': plain Sin on 30 * (W x + b), as the original.
 * - 'native-reduced': Sin after reducing the argument to [-pi, pi] with Round, for GPUs whose
 *   sin loses precision on large arguments (WGSL).
 * - 'polynomial-fast': the WASM path's default, 12 passes instead of 14. The phase is shifted so
 *   that Floor does the reduction (ORT's wasm Round is single-threaded, Floor is not), the
 *   polynomial is degree 7 (max error 7e-7 in float32 instead of 2e-7) and monic: its leading
 *   coefficient is not multiplied in but folded into the next layer's weights (the activation's
 *   output is sin / SIN_FAST_SCALE). Golden statistics stay well within tolerance (see README).
 */
export type SineMode = 'polynomial' | 'native' | 'native-reduced' | 'polynomial-fast';

const TWO_PI = 2 * Math.PI;

/**
 * Odd minimax-style polynomial for sin(2 pi t) on |t| <= 1/4, coefficients of t, t^3, t^5, t^7,
 * t^9 (Lawson-weighted least squares). Max error 3e-9 in float64, 2e-7 evaluated in float32.
 * Degree 7 (7e-7) would save two passes per layer but measurably moved the golden error
 * statistics (final-frame mean 2.4e-6 instead of 0.9e-6), so faithfulness wins.
 */
export const SIN_TURN_POLY = [6.28318501, -41.3416557, 81.6010056, -76.5497818, 39.536705] as const;

/**
 * Degree-7 polynomial for sin(2 pi t) on |t| <= 1/4 (Lawson-weighted least squares, max error
 * 6e-7), written monic: sin(2 pi t) ~ SIN_FAST_SCALE * t * (s^3 + a2 s^2 + a1 s + a0), s = t^2.
 * Coefficients [a0, a1, a2].
 */
export const SIN_FAST_SCALE = -70.99356699534752;
export const SIN_FAST_MONIC = [-0.0885032861, 0.582266037, -1.14574861] as const;

/** The activation's output times this is the sine: consumers of it scale their weights by it. */
export function sineOutputScale(mode: SineMode): number {
  return mode === 'polynomial-fast' ? SIN_FAST_SCALE : 1;
}

/** Scale applied to a layer's weights and bias so the Conv output is what `applySine` expects. */
export function preActivationScale(mode: SineMode): number {
  return mode === 'native' ? SIREN_OMEGA : SIREN_OMEGA / TWO_PI;
}

/** Added to a layer's (already scaled) bias: a quarter turn turns the cosine fold into sine. */
export function preActivationShift(mode: SineMode): number {
  // 'polynomial-fast': u + 1/4 = (u - 1/4) + 1/2, so Floor of it is Round(u - 1/4).
  return mode === 'polynomial' ? -0.25 : mode === 'polynomial-fast' ? 0.25 : 0;
}

/** Evaluates the activation on a pre-activation produced with the scale/shift above. */
export function applySine(g: GraphBuilder, x: string, mode: SineMode, hint: string): string {
  if (mode === 'native') return g.op('Sin', [x], {}, `${hint}_sin`);
  if (mode === 'native-reduced') {
    // x is in turns: subtract whole turns, then back to radians in [-pi, pi].
    const frac = g.op('Sub', [x, g.op('Round', [x])], {}, `${hint}_frac`);
    const radians = g.op('Mul', [frac, scalar(g, TWO_PI)], {}, `${hint}_rad`);
    return g.op('Sin', [radians], {}, `${hint}_sin`);
  }
  if (mode === 'polynomial-fast') {
    // x = u + 1/4: w = x - Floor(x) - 1/2 is (u - 1/4) minus whole turns, then as below.
    const f = g.op('Sub', [x, g.op('Floor', [x])], {}, `${hint}_f`);
    const w = g.op('Add', [f, scalar(g, -0.5)], {}, `${hint}_w`);
    const t = g.op('Sub', [scalar(g, 0.25), g.op('Abs', [w])], {}, `${hint}_t`);
    const t2 = g.op('Mul', [t, t], {}, `${hint}_t2`);
    const [a0, a1, a2] = SIN_FAST_MONIC;
    let q = g.op('Add', [t2, scalar(g, a2)], {}, `${hint}_q`);
    q = g.op('Add', [g.op('Mul', [q, t2]), scalar(g, a1)], {}, `${hint}_q`);
    q = g.op('Add', [g.op('Mul', [q, t2]), scalar(g, a0)], {}, `${hint}_q`);
    return g.op('Mul', [q, t], {}, `${hint}_sin`);
  }
  // x = u - 1/4 with u the phase in turns, so sin(2 pi u) = cos(2 pi x) = cos(2 pi w) where w is
  // x minus whole turns (|w| <= 1/2); cos(2 pi |w|) = sin(2 pi (1/4 - |w|)) with |1/4 - |w|| <= 1/4.
  const w = g.op('Sub', [x, g.op('Round', [x])], {}, `${hint}_w`);
  const t = g.op('Sub', [scalar(g, 0.25), g.op('Abs', [w])], {}, `${hint}_t`);
  const t2 = g.op('Mul', [t, t], {}, `${hint}_t2`);
  const last = SIN_TURN_POLY.length - 1;
  let p = g.op('Mul', [t2, scalar(g, SIN_TURN_POLY[last])], {}, `${hint}_p`);
  for (let k = last - 1; k >= 1; k--) {
    p = g.op('Mul', [g.op('Add', [p, scalar(g, SIN_TURN_POLY[k])]), t2], {}, `${hint}_p`);
  }
  p = g.op('Add', [p, scalar(g, SIN_TURN_POLY[0])], {}, `${hint}_p`);
  return g.op('Mul', [p, t], {}, `${hint}_sin`);
}

/** Shared scalar constants keyed by value, so the graph does not hold hundreds of copies. */
const scalarCache = new WeakMap<GraphBuilder, Map<number, string>>();

export function scalar(g: GraphBuilder, value: number): string {
  let cache = scalarCache.get(g);
  if (!cache) scalarCache.set(g, (cache = new Map()));
  let name = cache.get(value);
  if (!name) {
    name = g.constant('scalar', [], [value]);
    cache.set(value, name);
  }
  return name;
}

/** Reference of the 'polynomial-fast' path in plain JS (float64), including its output scale. */
export function fastSinReference(z: number): number {
  const x = z / TWO_PI + 0.25;
  const w = x - Math.floor(x) - 0.5;
  const t = 0.25 - Math.abs(w);
  const s = t * t;
  const [a0, a1, a2] = SIN_FAST_MONIC;
  return SIN_FAST_SCALE * t * (((s + a2) * s + a1) * s + a0);
}

/** Reference of the polynomial path in plain JS (float64), for tests. */
export function polynomialSinReference(z: number): number {
  const x = z / TWO_PI - 0.25;
  const w = x - Math.round(x);
  const t = 0.25 - Math.abs(w);
  const t2 = t * t;
  let p = 0;
  for (let k = SIN_TURN_POLY.length - 1; k >= 0; k--) p = p * t2 + SIN_TURN_POLY[k];
  return p * t;
}
