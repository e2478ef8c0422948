/**
 * Generates the WGSL of the renderer's kernels from a model layout (layer sizes and buffer
 * offsets are baked in as constants). Pure.
 *
 * One invocation per pixel of a stage's grid; its hidden state lives in two private vec4 arrays
 * (ping-pong), weights are read from one constant buffer, four output channels per inner loop.
 * Kernels:
 * - face: the face SIREN, written straight into the face box of the persistent image buffer (at a
 *   512 frame) or onto its coarse grid (smaller frames, then `faceUp` upsamples into the box);
 * - level0, level1: a body level plus the next level's feature layer at this level's grid;
 * - level2: the last level (its first layer reads the bilinear upsample of level 1's output),
 *   the last linear layer, the warp (grid_sample: bilinear, border, align_corners=false) of the
 *   pasted image, and the blend, written as the 4 x size x size CHW frame.
 */
import { FACE_PATCH_LEFT, FACE_PATCH_SIZE, FACE_PATCH_TOP } from '../../core/character/architecture';
import { IMAGE_SIZE } from '../../core/model-graph/frame-model';
import { SIN_TURN_POLY } from '../../core/model-graph/sine';
import type { DenseSlot, FirstSlot, ModelLayout, StageLayout, WgslSine } from './model-layout';

export const WORKGROUP = 8; // 8x8 invocations

export type BindingName = 'consts' | 'pose' | 'input' | 'output' | 'image';

export interface KernelSource {
  name: string;
  code: string;
  /** Bindings in binding-index order. */
  bindings: readonly BindingName[];
  /** Grid side (one invocation per pixel). */
  grid: number;
}

const f = (v: number): string => {
  const s = String(Math.fround(v));
  return /[.eE]/.test(s) ? s : `${s}.0`;
};
const u = (v: number): string => `${v}u`;

function sineFn(mode: WgslSine): string {
  if (mode === 'native-reduced') {
    // Pre-activation is in turns: drop whole turns, then sin on [-pi, pi].
    return `fn act(x: vec4<f32>) -> vec4<f32> { return sin((x - round(x)) * ${f(2 * Math.PI)}); }`;
  }
  // Pre-activation is turns minus a quarter: sin(2 pi u) = cos(2 pi w) = sin(2 pi (1/4 - |w|)).
  const c = SIN_TURN_POLY;
  return `fn act(x: vec4<f32>) -> vec4<f32> {
  let w = x - round(x);
  let t = 0.25 - abs(w);
  let t2 = t * t;
  var p = t2 * ${f(c[4])};
  p = (p + ${f(c[3])}) * t2;
  p = (p + ${f(c[2])}) * t2;
  p = (p + ${f(c[1])}) * t2;
  p = p + ${f(c[0])};
  return p * t;
}`;
}

const BINDING_DECL: Record<BindingName, string> = {
  consts: 'var<storage, read> K: array<vec4<f32>>;',
  pose: '', // sized per layout, see header()
  input: 'var<storage, read> X: array<vec4<f32>>;',
  output: 'var<storage, read_write> Y: array<vec4<f32>>;',
  image: 'var<storage, read_write> IMG: array<vec4<f32>>;',
};

function header(layout: ModelLayout, bindings: readonly BindingName[], outputScalar = false): string {
  const lines = bindings.map((b, i) => {
    let decl = BINDING_DECL[b];
    if (b === 'pose') decl = `var<uniform> P: array<vec4<f32>, ${layout.poseVec4s}>;`;
    if (b === 'output' && outputScalar) decl = 'var<storage, read_write> Y: array<f32>;';
    return `@group(0) @binding(${i}) ${decl}`;
  });
  return `${lines.join('\n')}\n${sineFn(layout.sine)}\n`;
}

/** Output vec4s computed per pass over the input (each input vec4 read once for all of them). */
export const OUT_GROUP = 2;

/** One pass over the input for output vec4s [o, o + g): acc_j += W[4(o+j)..4(o+j)+3] . src. */
type Store = (index: string, value: string) => string;

function denseGroup(slot: DenseSlot, src: string, store: Store, activate: boolean, g: number, oExpr: string): string {
  const bias = (j: number): string => (slot.bias < 0 ? 'vec4<f32>(0.0)' : `K[${u(slot.bias)} + ${oExpr} + ${u(j)}]`);
  const accs = Array.from({ length: g }, (_, j) => `    var acc${j} = ${bias(j)};\n    let r${j} = ${u(slot.weights)} + (${oExpr} + ${u(j)}) * ${u(4 * slot.inV)};\n`).join('');
  const inner = Array.from({ length: g }, (_, j) => `      acc${j} += vec4<f32>(dot(K[r${j} + i], h), dot(K[r${j} + ${u(slot.inV)} + i], h), dot(K[r${j} + ${u(2 * slot.inV)} + i], h), dot(K[r${j} + ${u(3 * slot.inV)} + i], h));\n`).join('');
  const stores = Array.from({ length: g }, (_, j) => `    ${store(`${oExpr} + ${u(j)}`, activate ? `act(acc${j})` : `acc${j}`)}\n`).join('');
  return `${accs}    for (var i = 0u; i < ${u(slot.inV)}; i++) {
      let h = ${src}[i];
${inner}    }
${stores}`;
}

/** hidden[dst] = act(W hidden[src] + b) for one dense layer. */
function denseLayer(slot: DenseSlot, src: string, dst: string | Store, activate: boolean): string {
  const store: Store = typeof dst === 'string' ? (i, v) => `${dst}[${i}] = ${v};` : dst;
  const g = Math.min(OUT_GROUP, slot.outV);
  const full = Math.floor(slot.outV / g);
  let code = `  for (var og = 0u; og < ${u(full)}; og++) {\n    let o = og * ${u(g)};\n${denseGroup(slot, src, store, activate, g, 'o')}  }\n`;
  const rest = slot.outV - full * g;
  if (rest > 0) code += `  {\n${denseGroup(slot, src, store, activate, rest, u(full * g))}  }\n`;
  return code;
}

/** First layer from (x, y, pose): z = (pose vector + x table) + y table. */
function firstFromPosition(s: FirstSlot): string {
  return `  for (var o = 0u; o < ${u(s.outV)}; o++) {
    ha[o] = act((P[${u(s.pose)} + o] + K[${u(s.posX)} + gx * ${u(s.outV)} + o]) + K[${u(s.posY)} + gy * ${u(s.outV)} + o]);
  }\n`;
}

/**
 * First layer from features: bilinear upsample (align_corners=false, no antialias) of the previous
 * level's pre-activation X (grid m = n/2, already holding the pose vector), plus the position tables.
 */
function firstFromFeatures(s: FirstSlot, m: number): string {
  return `  let sx = max((f32(gx) + 0.5) * 0.5 - 0.5, 0.0);
  let sy = max((f32(gy) + 0.5) * 0.5 - 0.5, 0.0);
  let x0 = u32(sx);
  let y0 = u32(sy);
  let x1 = min(x0 + 1u, ${u(m - 1)});
  let y1 = min(y0 + 1u, ${u(m - 1)});
  let fx = sx - f32(x0);
  let fy = sy - f32(y0);
  let q00 = (y0 * ${u(m)} + x0) * ${u(s.outV)};
  let q01 = (y0 * ${u(m)} + x1) * ${u(s.outV)};
  let q10 = (y1 * ${u(m)} + x0) * ${u(s.outV)};
  let q11 = (y1 * ${u(m)} + x1) * ${u(s.outV)};
  for (var o = 0u; o < ${u(s.outV)}; o++) {
    let top = X[q00 + o] * (1.0 - fx) + X[q01 + o] * fx;
    let bottom = X[q10 + o] * (1.0 - fx) + X[q11 + o] * fx;
    let up = top * (1.0 - fy) + bottom * fy;
    ha[o] = act((up + K[${u(s.posX)} + gx * ${u(s.outV)} + o]) + K[${u(s.posY)} + gy * ${u(s.outV)} + o]);
  }\n`;
}

function hiddenLayers(stage: StageLayout): { code: string; last: string } {
  let code = '';
  let src = 'ha';
  for (const slot of stage.hidden) {
    const dst = src === 'ha' ? 'hb' : 'ha';
    code += denseLayer(slot, src, dst, true);
    src = dst;
  }
  return { code, last: src };
}

function kernelMain(layout: ModelLayout, grid: number, body: string): string {
  return `@compute @workgroup_size(${WORKGROUP}, ${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let gx = id.x;
  let gy = id.y;
  if (gx >= ${u(grid)} || gy >= ${u(grid)}) { return; }
  var ha: array<vec4<f32>, ${layout.maxChannels / 4}>;
  var hb: array<vec4<f32>, ${layout.maxChannels / 4}>;
${body}}
`;
}

/** Face SIREN; writes the face box of IMG (grid 128) or its coarse grid Y (smaller grids). */
function faceKernel(layout: ModelLayout): KernelSource {
  const st = layout.face;
  const direct = st.grid === FACE_PATCH_SIZE;
  const { code, last } = hiddenLayers(st);
  // One output vec4 (RGBA), so the index is always 0.
  const out = denseLayer(st.out, last, (_i, v) => (direct ? `IMG[(${u(FACE_PATCH_TOP)} + gy) * ${u(IMAGE_SIZE)} + ${u(FACE_PATCH_LEFT)} + gx] = ${v};` : `Y[gy * ${u(st.grid)} + gx] = ${v};`), false);
  const bindings: BindingName[] = direct ? ['consts', 'pose', 'image'] : ['consts', 'pose', 'output'];
  return { name: 'face', bindings, grid: st.grid, code: header(layout, bindings) + kernelMain(layout, st.grid, firstFromPosition(st.first) + code + out) };
}

/** Bilinear upsample of the coarse face grid into the 128x128 face box of IMG. */
function faceUpKernel(layout: ModelLayout): KernelSource {
  const n = layout.face.grid;
  const bindings: BindingName[] = ['input', 'image'];
  const scale = n / FACE_PATCH_SIZE;
  const code = `${header(layout, bindings)}
@compute @workgroup_size(${WORKGROUP}, ${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let gx = id.x;
  let gy = id.y;
  if (gx >= ${u(FACE_PATCH_SIZE)} || gy >= ${u(FACE_PATCH_SIZE)}) { return; }
  let sx = max((f32(gx) + 0.5) * ${f(scale)} - 0.5, 0.0);
  let sy = max((f32(gy) + 0.5) * ${f(scale)} - 0.5, 0.0);
  let x0 = u32(sx);
  let y0 = u32(sy);
  let x1 = min(x0 + 1u, ${u(n - 1)});
  let y1 = min(y0 + 1u, ${u(n - 1)});
  let fx = sx - f32(x0);
  let fy = sy - f32(y0);
  let top = X[y0 * ${u(n)} + x0] * (1.0 - fx) + X[y0 * ${u(n)} + x1] * fx;
  let bottom = X[y1 * ${u(n)} + x0] * (1.0 - fx) + X[y1 * ${u(n)} + x1] * fx;
  IMG[(${u(FACE_PATCH_TOP)} + gy) * ${u(IMAGE_SIZE)} + ${u(FACE_PATCH_LEFT)} + gx] = top * (1.0 - fy) + bottom * fy;
}
`;
  return { name: 'faceUp', bindings, grid: FACE_PATCH_SIZE, code };
}

/** Body level li < last: writes the next level's feature pre-activation (plus its pose vector). */
function levelKernel(layout: ModelLayout, li: number): KernelSource {
  const st = layout.levels[li];
  const next = layout.levels[li + 1];
  const { code, last } = hiddenLayers(st);
  const first = li === 0 ? firstFromPosition(st.first) : firstFromFeatures(st.first, layout.levels[li - 1].grid);
  // The next level's pose vector (with its bias) is added here, before the upsample, as the graph does.
  const out = denseLayer(st.out, last, (i, v) => `Y[(gy * ${u(st.grid)} + gx) * ${u(st.out.outV)} + ${i}] = ${v} + P[${u(next.first.pose)} + ${i}];`, false);
  const bindings: BindingName[] = li === 0 ? ['consts', 'pose', 'output'] : ['consts', 'pose', 'input', 'output'];
  return { name: `level${li}`, bindings, grid: st.grid, code: header(layout, bindings) + kernelMain(layout, st.grid, first + code + out) };
}

/** Last body level + last linear + warp of the pasted image + blend, into the CHW frame Y. */
function finalKernel(layout: ModelLayout): KernelSource {
  const li = layout.levels.length - 1;
  const st = layout.levels[li];
  const n = st.grid;
  const { code, last } = hiddenLayers(st);
  if (st.out.outV !== 2) throw new Error('the body output layer must have 7 channels');
  const lastLinear = denseLayer(st.out, last, 'res', false);
  const S = IMAGE_SIZE;
  const warp = `  // grid = identity (align_corners=false) + grid change; grid_sample bilinear, border padding.
  let gxn = (f32(2u * gx + 1u) / ${f(n)} - 1.0) + res[0].x;
  let gyn = (f32(2u * gy + 1u) / ${f(n)} - 1.0) + res[0].y;
  let ix = clamp(((gxn + 1.0) * ${f(S)} - 1.0) * 0.5, 0.0, ${f(S - 1)});
  let iy = clamp(((gyn + 1.0) * ${f(S)} - 1.0) * 0.5, 0.0, ${f(S - 1)});
  let ix0 = floor(ix);
  let iy0 = floor(iy);
  let ix1 = ix0 + 1.0;
  let iy1 = iy0 + 1.0;
  let xa = u32(ix0);
  let ya = u32(iy0);
  let xb = min(xa + 1u, ${u(S - 1)});
  let yb = min(ya + 1u, ${u(S - 1)});
  let warped = IMG[ya * ${u(S)} + xa] * ((ix1 - ix) * (iy1 - iy)) + IMG[ya * ${u(S)} + xb] * ((ix - ix0) * (iy1 - iy))
    + IMG[yb * ${u(S)} + xa] * ((ix1 - ix) * (iy - iy0)) + IMG[yb * ${u(S)} + xb] * ((ix - ix0) * (iy - iy0));
  let alpha = res[0].z;
  let colour = vec4<f32>(res[0].w, res[1].x, res[1].y, res[1].z);
  let outv = (1.0 - alpha) * warped + alpha * colour;
  let p = gy * ${u(n)} + gx;
  Y[p] = outv.x;
  Y[${u(n * n)} + p] = outv.y;
  Y[${u(2 * n * n)} + p] = outv.z;
  Y[${u(3 * n * n)} + p] = outv.w;
`;
  // No pose binding: this level's pose vector was added before the upsample, by level li - 1.
  const bindings: BindingName[] = ['consts', 'input', 'output', 'image'];
  const body = firstFromFeatures(st.first, layout.levels[li - 1].grid) + code + '  var res: array<vec4<f32>, 2>;\n' + lastLinear + warp;
  return { name: `level${li}`, bindings, grid: n, code: header(layout, bindings, true) + kernelMain(layout, n, body) };
}

/** The kernels of one frame, in dispatch order. */
export function frameKernels(layout: ModelLayout): KernelSource[] {
  const ks = [faceKernel(layout)];
  if (layout.face.grid !== FACE_PATCH_SIZE) ks.push(faceUpKernel(layout));
  for (let li = 0; li + 1 < layout.levels.length; li++) ks.push(levelKernel(layout, li));
  ks.push(finalKernel(layout));
  return ks;
}
