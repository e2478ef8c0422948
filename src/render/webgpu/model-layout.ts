/**
 * Lays a character's weights out for the WGSL kernels: one constant buffer of vec4s per character
 * and frame size, plus the per-frame pose vectors. Pure (runs in Node and the browser).
 *
 * The same exact rewrites as the ONNX graph (src/core/model-graph/frame-model.ts), so both paths
 * round alike: the SIREN's 30 is folded into the weights (as turns, for the in-kernel sine), every
 * first layer is split into a per-frame pose vector and a separable position part (tables per grid
 * column and row), and the feature part of levels 1 and 2 is applied at the coarser resolution,
 * before the bilinear upsample. Channel counts are read from the checkpoint's tensors and padded
 * to multiples of 4 with zero weights (sin(0) = 0 keeps the padding inert).
 */
import {
  BODY_LAST_LAYER,
  BODY_LEVELS,
  FACE_LAST_LAYER,
  FACE_PATCH_SIZE,
  FACE_SINE_LAYERS,
  POSITION_CHANNELS,
  type LinearLayerSpec,
} from '../../core/character/architecture';
import type { StateDict } from '../../core/character/tensor';
import { gridCoordinates, IMAGE_CHANNELS, IMAGE_SIZE, LEVEL_DIVISORS } from '../../core/model-graph/frame-model';
import { preActivationScale, preActivationShift } from '../../core/model-graph/sine';

/** 'polynomial': range-reduced odd polynomial (exact in fp32); 'native-reduced': WGSL sin after reduction to [-pi, pi]. */
export type WgslSine = 'polynomial' | 'native-reduced';

export interface LayerDims {
  readonly inChannels: number;
  readonly outChannels: number;
}

/** Channel counts of both morphers, as the checkpoint has them. */
export interface ModelDims {
  /** Face: first layer input is (x, y, pose[0:facePose]). */
  readonly face: { readonly layers: readonly LayerDims[]; readonly last: LayerDims; readonly pose: number };
  /** Body levels: level 0's first input is (x, y, pose), later ones (features, x, y, pose). */
  readonly body: { readonly levels: readonly (readonly LayerDims[])[]; readonly last: LayerDims; readonly pose: number };
}

export const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

function dimsOf(sd: StateDict, spec: LinearLayerSpec): LayerDims {
  const w = sd.get(spec.weight);
  const b = sd.get(spec.bias);
  if (!w || w.shape.length !== 4 || w.shape[2] !== 1 || w.shape[3] !== 1) throw new Error(`tensor '${spec.weight}' missing or not a 1x1 conv weight`);
  if (!b || b.shape.length !== 1 || b.shape[0] !== w.shape[0]) throw new Error(`tensor '${spec.bias}' missing or not shaped [${w.shape[0]}]`);
  return { inChannels: w.shape[1], outChannels: w.shape[0] };
}

/** Reads the layer sizes from the checkpoints and checks that they chain. */
export function modelDims(face: StateDict, body: StateDict): ModelDims {
  const faceLayers = FACE_SINE_LAYERS.map((l) => dimsOf(face, l));
  const faceLast = dimsOf(face, FACE_LAST_LAYER);
  const facePose = faceLayers[0].inChannels - POSITION_CHANNELS;
  const levels = BODY_LEVELS.map((l) => l.layers.map((s) => dimsOf(body, s)));
  const bodyLast = dimsOf(body, BODY_LAST_LAYER);
  const bodyPose = levels[0][0].inChannels - POSITION_CHANNELS;
  const chain = (layers: readonly LayerDims[], what: string): void => {
    for (let i = 1; i < layers.length; i++) {
      if (layers[i].inChannels !== layers[i - 1].outChannels) throw new Error(`${what}: layer ${i} takes ${layers[i].inChannels} channels, gets ${layers[i - 1].outChannels}`);
    }
  };
  chain([...faceLayers, faceLast], 'face morpher');
  levels.forEach((lv, i) => {
    chain(lv, `body level ${i}`);
    const features = i === 0 ? 0 : levels[i - 1][levels[i - 1].length - 1].outChannels;
    if (lv[0].inChannels !== features + POSITION_CHANNELS + bodyPose) throw new Error(`body level ${i}: first layer takes ${lv[0].inChannels} channels`);
  });
  chain([levels[levels.length - 1][levels[levels.length - 1].length - 1], bodyLast], 'body last layer');
  if (faceLast.outChannels !== IMAGE_CHANNELS) throw new Error('face morpher must output 4 channels');
  if (bodyLast.outChannels !== 7) throw new Error('body morpher must output 7 channels');
  return { face: { layers: faceLayers, last: faceLast, pose: facePose }, body: { levels, last: bodyLast, pose: bodyPose } };
}

/** A dense layer in the constant buffer: rows of `inV` vec4s, padded to multiples of 4 rows. */
export interface DenseSlot {
  /** vec4 index of row 0. */
  readonly weights: number;
  /** vec4 index of the bias (-1: none, the pose vector carries it). */
  readonly bias: number;
  readonly inV: number;
  readonly outV: number;
}

/** A first layer's position tables ([coord][outV] vec4s) and its pose vector in the pose uniform. */
export interface FirstSlot {
  readonly posX: number;
  readonly posY: number;
  /** vec4 index into the pose uniform. */
  readonly pose: number;
  readonly outV: number;
}

export interface StageLayout {
  /** Grid side this stage runs at. */
  readonly grid: number;
  readonly first: FirstSlot;
  /** Sine layers after the first. */
  readonly hidden: readonly DenseSlot[];
  /** Face and last body level: the plain linear output layer. Other levels: the next level's feature layer. */
  readonly out: DenseSlot;
}

/** A pose vector to compute per frame: v = bias + W pose, stored at `at` (vec4 index). */
interface PoseVectorSpec {
  at: number;
  channels: number;
  poseStart: number;
  poseCount: number;
  /** [channels][poseCount], scaled. */
  weights: Float32Array;
  /** [channels], scaled and shifted. */
  bias: Float32Array;
}

export interface ModelLayout {
  readonly dims: ModelDims;
  readonly size: number;
  readonly sine: WgslSine;
  /** All weights and tables (vec4-aligned float32). */
  readonly consts: Float32Array<ArrayBuffer>;
  readonly face: StageLayout;
  readonly levels: readonly StageLayout[];
  /** vec4s in the pose uniform. */
  readonly poseVec4s: number;
  /** Largest padded channel count of any hidden state (sizes the kernels' private arrays). */
  readonly maxChannels: number;
  /** Character image as 512x512 RGBA vec4s (HWC), THA4's encoding. */
  readonly image: Float32Array<ArrayBuffer>;
  readonly poseVectors: readonly PoseVectorSpec[];
}

class ConstWriter {
  private chunks: Float32Array[] = [];
  private length = 0; // in vec4s
  add(data: Float32Array): number {
    const at = this.length;
    const padded = new Float32Array(pad4(data.length));
    padded.set(data);
    this.chunks.push(padded);
    this.length += padded.length / 4;
    return at;
  }
  finish(): Float32Array<ArrayBuffer> {
    const r = new Float32Array(this.length * 4);
    let o = 0;
    for (const c of this.chunks) {
      r.set(c, o);
      o += c.length;
    }
    return r;
  }
}

function tensor(sd: StateDict, name: string): Float32Array {
  const t = sd.get(name);
  if (!t) throw new Error(`tensor '${name}' missing`);
  return t.data;
}

/**
 * Columns [start, start+count) of an [out, in] weight times `scale` (rounded to float32 like the
 * ONNX graph's constants), as rows of pad4(count) floats, rows padded to pad4(out).
 */
function denseRows(w: Float32Array, d: LayerDims, start: number, count: number, scale: number): Float32Array {
  const inP = pad4(count);
  const r = new Float32Array(pad4(d.outChannels) * inP);
  for (let o = 0; o < d.outChannels; o++) for (let k = 0; k < count; k++) r[o * inP + k] = w[o * d.inChannels + start + k] * scale;
  return r;
}

function scaledBias(b: Float32Array, scale: number, shift: number): Float32Array {
  return Float32Array.from(b, (v) => v * scale + shift);
}

export function layoutModel(opts: { face: StateDict; body: StateDict; imageTensor: Float32Array; size: number; sine?: WgslSine }): ModelLayout {
  const { size } = opts;
  if (!Number.isInteger(size) || size < 16 || size > IMAGE_SIZE || size % 4 !== 0) throw new Error(`frame size must be a multiple of 4 in [16, 512], got ${size}`);
  if (opts.imageTensor.length !== IMAGE_CHANNELS * IMAGE_SIZE * IMAGE_SIZE) throw new Error('imageTensor must hold 4x512x512 floats');
  const sine = opts.sine ?? 'polynomial';
  const scale = preActivationScale(sine);
  const shift = preActivationShift(sine);
  const dims = modelDims(opts.face, opts.body);
  const k = new ConstWriter();
  const poseVectors: PoseVectorSpec[] = [];
  let poseAt = 0;

  const dense = (sd: StateDict, spec: LinearLayerSpec, d: LayerDims, sineLayer: boolean): DenseSlot => {
    const s = sineLayer ? scale : 1;
    const weights = k.add(denseRows(tensor(sd, spec.weight), d, 0, d.inChannels, s));
    const bias = k.add(sineLayer ? scaledBias(tensor(sd, spec.bias), scale, shift) : tensor(sd, spec.bias).slice());
    return { weights, bias, inV: pad4(d.inChannels) / 4, outV: pad4(d.outChannels) / 4 };
  };

  /** Position tables and pose vector of a first layer whose (x, y) columns start at `posStart`. */
  const first = (sd: StateDict, spec: LinearLayerSpec, d: LayerDims, posStart: number, poseCount: number, n: number): FirstSlot => {
    const w = tensor(sd, spec.weight);
    const C = d.outChannels;
    const CP = pad4(C);
    const coords = gridCoordinates(n);
    const px = new Float32Array(n * CP);
    const py = new Float32Array(n * CP);
    for (let c = 0; c < C; c++) {
      // Same float32 roundings as the graph's position constants.
      const wx = Math.fround(w[c * d.inChannels + posStart] * scale);
      const wy = Math.fround(w[c * d.inChannels + posStart + 1] * scale);
      for (let i = 0; i < n; i++) {
        px[i * CP + c] = wx * coords[i];
        py[i * CP + c] = wy * coords[i];
      }
    }
    const pw = new Float32Array(C * poseCount);
    const poseStart = posStart + POSITION_CHANNELS;
    for (let c = 0; c < C; c++) for (let p = 0; p < poseCount; p++) pw[c * poseCount + p] = w[c * d.inChannels + poseStart + p] * scale;
    poseVectors.push({ at: poseAt, channels: C, poseStart: 0, poseCount, weights: pw, bias: scaledBias(tensor(sd, spec.bias), scale, shift) });
    const slot = { posX: k.add(px), posY: k.add(py), pose: poseAt, outV: CP / 4 };
    poseAt += CP / 4;
    return slot;
  };

  const nFace = size / LEVEL_DIVISORS[0];
  const faceHidden = FACE_SINE_LAYERS.slice(1).map((spec, i) => dense(opts.face, spec, dims.face.layers[i + 1], true));
  const face: StageLayout = {
    grid: nFace,
    first: first(opts.face, FACE_SINE_LAYERS[0], dims.face.layers[0], 0, dims.face.pose, nFace),
    hidden: faceHidden,
    out: dense(opts.face, FACE_LAST_LAYER, dims.face.last, false),
  };

  const levels: StageLayout[] = [];
  const firsts: FirstSlot[] = [];
  BODY_LEVELS.forEach((lv, li) => {
    const n = size / LEVEL_DIVISORS[li];
    const features = li === 0 ? 0 : dims.body.levels[li - 1][dims.body.levels[li - 1].length - 1].outChannels;
    firsts.push(first(opts.body, lv.layers[0], dims.body.levels[li][0], features, dims.body.pose, n));
  });
  BODY_LEVELS.forEach((lv, li) => {
    const hidden = lv.layers.slice(1).map((spec, i) => dense(opts.body, spec, dims.body.levels[li][i + 1], true));
    let out: DenseSlot;
    if (li + 1 < BODY_LEVELS.length) {
      // Next level's feature columns, applied here at this level's (coarser) grid; no bias: the
      // next level's pose vector carries it.
      const next = BODY_LEVELS[li + 1].layers[0];
      const nd = dims.body.levels[li + 1][0];
      const features = dims.body.levels[li][dims.body.levels[li].length - 1].outChannels;
      const weights = k.add(denseRows(tensor(opts.body, next.weight), nd, 0, features, scale));
      out = { weights, bias: -1, inV: pad4(features) / 4, outV: pad4(nd.outChannels) / 4 };
    } else {
      out = dense(opts.body, BODY_LAST_LAYER, dims.body.last, false);
    }
    levels.push({ grid: size / LEVEL_DIVISORS[li], first: firsts[li], hidden, out });
  });

  const maxChannels = Math.max(
    ...dims.face.layers.map((l) => pad4(l.outChannels)),
    ...dims.body.levels.flat().map((l) => pad4(l.outChannels)),
  );
  const image = new Float32Array(IMAGE_SIZE * IMAGE_SIZE * 4);
  const plane = IMAGE_SIZE * IMAGE_SIZE;
  for (let p = 0; p < plane; p++) for (let c = 0; c < 4; c++) image[p * 4 + c] = opts.imageTensor[c * plane + p];
  return { dims, size, sine, consts: k.finish(), face, levels, poseVec4s: poseAt, maxChannels, image, poseVectors };
}

/** The per-frame pose uniform: every first layer's pose part plus bias, float32 like a MatMul. */
export function poseUniform(layout: ModelLayout, pose: ArrayLike<number>): Float32Array<ArrayBuffer> {
  const r = new Float32Array(layout.poseVec4s * 4);
  for (const v of layout.poseVectors) {
    for (let c = 0; c < v.channels; c++) {
      let acc = 0;
      for (let p = 0; p < v.poseCount; p++) acc += v.weights[c * v.poseCount + p] * Math.fround(pose[v.poseStart + p] ?? 0);
      r[v.at * 4 + c] = Math.fround(acc) + v.bias[c];
    }
  }
  return r;
}

export { FACE_PATCH_SIZE };
