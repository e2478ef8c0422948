/**
 * Splits an open-mouth observation into THA4's four vowel shapes by solving
 *
 *   minimize  f(d) = || d·M − p ||₂ + λ·||d||₁   subject to  d ∈ [0, 1]⁴
 *
 * where the rows of M are the feature points of aaa, iii, uuu and ooo in
 * (mouth open, lower lip down, funnel, pucker) space.
 *
 * The objective is convex, so its minimizer lies in the relative interior of exactly one face of
 * the box (each variable at 0, at 1, or free). On a face the problem has a closed-form solution:
 * with A the free rows (as columns), G = AᵀA and r₀ the least-squares residual, stationarity
 * Aᵀr = −λ‖r‖·1 gives ‖r‖ = ‖r₀‖ / √(1 − λ²·1ᵀG⁻¹1) and d = d_ls − λ‖r‖·G⁻¹1 (or d = d_ls when
 * r₀ = 0, the kink of the norm). Trying all 3⁴ faces and keeping the best feasible candidate
 * is exact and deterministic, unlike a numerical optimizer.
 */

export type Vec4 = readonly [number, number, number, number];

/** Rows: aaa, iii, uuu, ooo; columns: open, lower-lip down, funnel, pucker. */
export const MOUTH_SHAPE_POINTS: readonly Vec4[] = [
  [1.0, 1.0, 0.0, 0.0],
  [0.0, 1.0, 0.0, 0.0],
  [0.5, 0.3, 0.25, 0.75],
  [1.0, 0.5, 0.5, 0.4],
];

/** Weight of the L1 term (prefers using fewer shapes). */
export const MOUTH_L1_WEIGHT = 0.01;

const FREE = 2;
const FEASIBILITY_TOL = 1e-10;

export function mouthSplitObjective(d: ArrayLike<number>, point: ArrayLike<number>): number {
  let sq = 0;
  for (let c = 0; c < 4; c++) {
    let v = -point[c];
    for (let r = 0; r < 4; r++) v += d[r] * MOUTH_SHAPE_POINTS[r][c];
    sq += v * v;
  }
  let l1 = 0;
  for (let r = 0; r < 4; r++) l1 += Math.abs(d[r]);
  return Math.sqrt(sq) + MOUTH_L1_WEIGHT * l1;
}

/**
 * Weights [aaa, iii, uuu, ooo] in [0, 1] minimizing the objective for `point`
 * (non-finite coordinates are treated as 0).
 */
export function splitMouth(point: ArrayLike<number>): [number, number, number, number] {
  const p = [0, 1, 2, 3].map((i) => (Number.isFinite(point[i]) ? point[i] : 0));
  let best: number[] = [0, 0, 0, 0];
  let bestLoss = mouthSplitObjective(best, p);
  const state = [0, 0, 0, 0];
  for (let code = 0; code < 81; code++) {
    let rest = code;
    for (let i = 0; i < 4; i++) {
      state[i] = rest % 3; // 0: at lower bound, 1: at upper bound, 2: free
      rest = Math.floor(rest / 3);
    }
    const candidate = solveOnFace(state, p);
    if (candidate === null) continue;
    const loss = mouthSplitObjective(candidate, p);
    if (loss < bestLoss) {
      bestLoss = loss;
      best = candidate;
    }
  }
  return [best[0], best[1], best[2], best[3]];
}

/** Minimizer restricted to one face of the box, or null when it is not inside that face. */
function solveOnFace(state: readonly number[], p: readonly number[]): number[] | null {
  const d: number[] = state.map((s) => (s === 1 ? 1 : 0));
  const free: number[] = [];
  for (let i = 0; i < 4; i++) if (state[i] === FREE) free.push(i);

  // b = (fixed part of d·M) − p
  const b = [0, 0, 0, 0];
  for (let c = 0; c < 4; c++) {
    b[c] = -p[c];
    for (let r = 0; r < 4; r++) if (state[r] !== FREE) b[c] += d[r] * MOUTH_SHAPE_POINTS[r][c];
  }
  const n = free.length;
  if (n === 0) return d;

  const gram: number[][] = free.map((i) => free.map((j) => dot(MOUTH_SHAPE_POINTS[i], MOUTH_SHAPE_POINTS[j])));
  const atb = free.map((i) => dot(MOUTH_SHAPE_POINTS[i], b));
  const dLs = solveSpd(gram, atb.map((v) => -v));
  const gInvOnes = solveSpd(gram, new Array<number>(n).fill(1));
  if (dLs === null || gInvOnes === null) return null;

  const r0 = b.slice();
  for (let k = 0; k < n; k++) for (let c = 0; c < 4; c++) r0[c] += dLs[k] * MOUTH_SHAPE_POINTS[free[k]][c];
  const r0Norm = Math.hypot(r0[0], r0[1], r0[2], r0[3]);

  let step = 0;
  if (r0Norm > 0) {
    const s = gInvOnes.reduce((acc, v) => acc + v, 0);
    const denom = 1 - MOUTH_L1_WEIGHT * MOUTH_L1_WEIGHT * s;
    if (!(denom > 0)) return null; // the L1 pull dominates: no interior minimizer on this face
    step = MOUTH_L1_WEIGHT * (r0Norm / Math.sqrt(denom));
  }
  for (let k = 0; k < n; k++) {
    const v = dLs[k] - step * gInvOnes[k];
    if (v < -FEASIBILITY_TOL || v > 1 + FEASIBILITY_TOL) return null;
    d[free[k]] = Math.min(1, Math.max(0, v));
  }
  return d;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
}

/** Solves G x = y for a small symmetric positive definite G (Cholesky); null if singular. */
function solveSpd(g: readonly (readonly number[])[], y: readonly number[]): number[] | null {
  const n = y.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = g[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(sum > 1e-14)) return null;
        l[i][i] = Math.sqrt(sum);
      } else {
        l[i][j] = sum / l[j][j];
      }
    }
  }
  const z = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let sum = y[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * z[k];
    z[i] = sum / l[i][i];
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}
