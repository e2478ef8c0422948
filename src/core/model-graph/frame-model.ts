/**
 * Builds one ONNX graph that renders a THA4 student frame from a 45-number pose: face SIREN,
 * paste into the character image, three-level body SIREN, warp (GridSample) and blend.
 *
 * Faithful to the original up to float rounding, with these exact rewrites for speed:
 * - The 30 of sin(30 (W x + b)) is folded into W and b.
 * - Every first layer is split: its position part is constant per character and separable
 *   (w_x * x_j + w_y * y_i, two small broadcast initializers), its pose part is one vector per
 *   frame (a [1,45] x [45,C] MatMul).
 * - The upsampled-feature part of levels 1 and 2 is computed before the bilinear upsample, at the
 *   coarser resolution: upsampling is per-channel linear with weights summing to 1, so it commutes
 *   with a 1x1 conv plus bias, and the conv costs 4x less there.
 * - The body's last layer is three Convs (grid change, alpha, color change) instead of a Slice.
 */
import {
  BODY_LAST_LAYER,
  BODY_LEVELS,
  BODY_POSE_SIZE,
  FACE_LAST_LAYER,
  FACE_PATCH_LEFT,
  FACE_PATCH_SIZE,
  FACE_PATCH_TOP,
  FACE_POSE_SIZE,
  FACE_SINE_LAYERS,
  POSITION_CHANNELS,
  type LinearLayerSpec,
} from '../character/architecture';
import type { StateDict } from '../character/tensor';
import { GraphBuilder } from './graph-builder';
import { applySine, preActivationScale, preActivationShift, scalar, sineOutputScale, type SineMode } from './sine';

/** Side of the character image and of a full-resolution frame. */
export const IMAGE_SIZE = 512;
export const IMAGE_CHANNELS = 4;
/** Body levels run at size/4, size/2 and size; the face grid at size/4 (128 for a 512 frame). */
export const LEVEL_DIVISORS = [4, 2, 1] as const;
const FACE_GRID_DIVISOR = 4;

/** GridSample and Resize with half_pixel need opset >= 16. */
export const FRAME_MODEL_OPSET = 17;

/** Graph input and output names. */
export const FrameModelNames = {
  pose: 'pose',
  frame: 'frame',
  face: 'face',
  gridChange: 'grid_change',
  alpha: 'alpha',
  colorChange: 'color_change',
  warped: 'warped',
  /** Sampling grid, identity plus grid change, NHWC [1, s, s, 2] (the body-fields/frame-from-fields split). */
  grid: 'grid',
} as const;

/**
 * Which part of the pipeline the graph computes. 'face' and 'body' serve benchmarks;
 * 'body-fields' and 'frame-from-fields' split a frame in two so the body morpher can run less often
 * than the face (see src/render/split-renderer.ts).
 */
export type FrameModelPart = 'frame' | 'face' | 'body' | 'body-fields' | 'frame-from-fields';

export interface FrameModelOptions {
  face: StateDict;
  body: StateDict;
  /** Character image, 4x512x512 CHW, THA4's encoding (premultiplied linear RGBA in [-1, 1]). */
  imageTensor: Float32Array;
  /** Output side, a multiple of 4 up to 512 (default 512). Smaller frames sample the full image. */
  size?: number;
  /**
   * Use a native Sin after reducing its argument to [-pi, pi] (for GPUs whose sin is fast but
   * inexact for large arguments). Ignored when `sine` is set. The default polynomial is exact on
   * every backend and measured more faithful on WebGPU (see SineMode).
   */
  sinRangeReduction?: boolean;
  /** Explicit activation formulation; default 'polynomial' ('native-reduced' with sinRangeReduction). */
  sine?: SineMode;
  /** Also output the face patch and the body morpher's intermediates (tests, debugging). */
  debugOutputs?: boolean;
  /**
   * 'frame' (default): everything. 'face': only the face morpher (output `face`). 'body': the body
   * morpher, warp and blend on the unpasted image (no face morpher). 'body-fields': only the body
   * morpher, outputs `grid` (NHWC, identity added), `alpha` and `color_change`. 'frame-from-fields':
   * face morpher, paste, warp and blend, taking those three as graph inputs beside the pose.
   */
  part?: FrameModelPart;
}

export interface FrameModelOutputShape {
  name: string;
  dims: number[];
}

/** Output names and shapes the built graph will have, in order. */
export function frameModelOutputs(opts: Pick<FrameModelOptions, 'size' | 'debugOutputs' | 'part'>): FrameModelOutputShape[] {
  const s = opts.size ?? IMAGE_SIZE;
  const part = opts.part ?? 'frame';
  const face = { name: FrameModelNames.face, dims: [1, IMAGE_CHANNELS, FACE_PATCH_SIZE, FACE_PATCH_SIZE] };
  if (part === 'face') return [face];
  if (part === 'body-fields') return bodyFieldShapes(s);
  const out: FrameModelOutputShape[] = [{ name: FrameModelNames.frame, dims: [1, IMAGE_CHANNELS, s, s] }];
  if (opts.debugOutputs && part === 'frame-from-fields') {
    out.push(face, { name: FrameModelNames.warped, dims: [1, IMAGE_CHANNELS, s, s] });
  } else if (opts.debugOutputs) {
    if (part === 'frame') out.push(face);
    out.push(
      { name: FrameModelNames.gridChange, dims: [1, 2, s, s] },
      { name: FrameModelNames.alpha, dims: [1, 1, s, s] },
      { name: FrameModelNames.colorChange, dims: [1, IMAGE_CHANNELS, s, s] },
      { name: FrameModelNames.warped, dims: [1, IMAGE_CHANNELS, s, s] },
    );
  }
  return out;
}

/** The body morpher's per-pose fields at size s: what 'body-fields' outputs and 'frame-from-fields' takes. */
export function bodyFieldShapes(s: number): FrameModelOutputShape[] {
  return [
    { name: FrameModelNames.grid, dims: [1, s, s, 2] },
    { name: FrameModelNames.alpha, dims: [1, 1, s, s] },
    { name: FrameModelNames.colorChange, dims: [1, IMAGE_CHANNELS, s, s] },
  ];
}

/** Pixel-centre coordinates in [-1, 1] of an n-point axis (align_corners = false). */
export function gridCoordinates(n: number): Float64Array {
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = (2 * i + 1) / n - 1;
  return c;
}

function weightOf(sd: StateDict, layer: LinearLayerSpec): Float32Array {
  const t = sd.get(layer.weight);
  const want = [layer.outChannels, layer.inChannels, 1, 1];
  if (!t || t.shape.length !== 4 || t.shape.some((d, i) => d !== want[i])) {
    throw new Error(`tensor '${layer.weight}' missing or not shaped [${want}]`);
  }
  return t.data;
}

function biasOf(sd: StateDict, layer: LinearLayerSpec): Float32Array {
  const t = sd.get(layer.bias);
  if (!t || t.shape.length !== 1 || t.shape[0] !== layer.outChannels) {
    throw new Error(`tensor '${layer.bias}' missing or not shaped [${layer.outChannels}]`);
  }
  return t.data;
}

/** Columns [start, start+count) of an [out, in] weight, times `scale`, as [out, count]. */
function columns(w: Float32Array, layer: LinearLayerSpec, start: number, count: number, scale: number): Float32Array {
  const { outChannels: out, inChannels: inC } = layer;
  const r = new Float32Array(out * count);
  for (let o = 0; o < out; o++) for (let k = 0; k < count; k++) r[o * count + k] = w[o * inC + start + k] * scale;
  return r;
}

/** Bilinear resize matching PyTorch interpolate(mode='bilinear', align_corners=False, antialias=False). */
export function bilinearResize(g: GraphBuilder, x: string, sizes: number[], name: string): string {
  return g.op('Resize', [x, '', '', g.constantInt64('sizes', sizes)], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }, name);
}

/**
 * Attributes of every 1x1 Conv, spelled out: ORT's JSEP WebGPU kernels do not fill in the
 * defaults (a Conv without `dilations` fails with "dilations should be 2D").
 */
const CONV_1X1 = { kernel_shape: [1, 1], dilations: [1, 1], strides: [1, 1], pads: [0, 0, 0, 0], group: 1 };

class FrameGraph {
  readonly g = new GraphBuilder();
  private readonly scale: number;
  private readonly shift: number;
  /** Every hidden feature is an activation's output: its consumers multiply by this to undo its scale. */
  private readonly hidden: number;

  constructor(private readonly sine: SineMode) {
    this.scale = preActivationScale(sine);
    this.shift = preActivationShift(sine);
    this.hidden = sineOutputScale(sine);
  }

  /** Per-frame pose part of a first layer plus its bias: [1, C, 1, 1]. */
  private poseVector(sd: StateDict, layer: LinearLayerSpec, poseStart: number, poseCount: number, name: string): string {
    const { g } = this;
    const w = weightOf(sd, layer);
    const C = layer.outChannels;
    // [45, C]; rows beyond poseCount stay zero so every morpher can take the full pose.
    const m = new Float32Array(BODY_POSE_SIZE * C);
    for (let o = 0; o < C; o++) {
      for (let p = 0; p < poseCount; p++) m[p * C + o] = w[o * layer.inChannels + poseStart + p] * this.scale;
    }
    const b = Float32Array.from(biasOf(sd, layer), (v) => v * this.scale + this.shift);
    const v = g.op('Add', [g.op('MatMul', [FrameModelNames.pose, g.constant(`${name}_wpose`, [BODY_POSE_SIZE, C], m)]), g.constant(`${name}_b`, [1, C], b)]);
    return g.op('Reshape', [v, g.constantInt64('shape', [1, C, 1, 1])], {}, `${name}_posevec`);
  }

  /** Adds the separable position part (w_x x_j + w_y y_i) of a first layer on an n x n grid. */
  private addPosition(z: string, sd: StateDict, layer: LinearLayerSpec, posStart: number, n: number, name: string): string {
    const { g } = this;
    const w = weightOf(sd, layer);
    const C = layer.outChannels;
    const coords = gridCoordinates(n);
    const row = new Float32Array(C * n);
    const col = new Float32Array(C * n);
    for (let c = 0; c < C; c++) {
      const wx = w[c * layer.inChannels + posStart] * this.scale;
      const wy = w[c * layer.inChannels + posStart + 1] * this.scale;
      for (let i = 0; i < n; i++) {
        row[c * n + i] = wx * coords[i];
        col[c * n + i] = wy * coords[i];
      }
    }
    const withRow = g.op('Add', [z, g.constant(`${name}_posx`, [1, C, 1, n], row)]);
    return g.op('Add', [withRow, g.constant(`${name}_posy`, [1, C, n, 1], col)], {}, `${name}_z`);
  }

  /** A first layer whose input is only (x, y, pose): z is rank-1 in x and y plus the pose vector. */
  firstLayerFromPosition(sd: StateDict, layer: LinearLayerSpec, poseCount: number, n: number, name: string): string {
    const v = this.poseVector(sd, layer, POSITION_CHANNELS, poseCount, name);
    return applySine(this.g, this.addPosition(v, sd, layer, 0, n, name), this.sine, name);
  }

  /**
   * A first layer whose input is (upsampled features, x, y, pose): the feature part and the pose
   * vector are applied at the coarse resolution of `features`, then upsampled to n x n.
   */
  firstLayerFromFeatures(sd: StateDict, layer: LinearLayerSpec, features: string, featureCount: number, n: number, name: string): string {
    const { g } = this;
    const C = layer.outChannels;
    const wf = columns(weightOf(sd, layer), layer, 0, featureCount, this.scale * this.hidden);
    const conv = g.op('Conv', [features, g.constant(`${name}_wfeat`, [C, featureCount, 1, 1], wf)], CONV_1X1);
    const v = this.poseVector(sd, layer, featureCount + POSITION_CHANNELS, BODY_POSE_SIZE, name);
    const coarse = g.op('Add', [conv, v]);
    const up = this.resize(coarse, [1, C, n, n], `${name}_up`);
    return applySine(g, this.addPosition(up, sd, layer, featureCount, n, name), this.sine, name);
  }

  sineLayer(sd: StateDict, layer: LinearLayerSpec, x: string, name: string): string {
    const { g } = this;
    const w = columns(weightOf(sd, layer), layer, 0, layer.inChannels, this.scale * this.hidden);
    const b = Float32Array.from(biasOf(sd, layer), (v) => v * this.scale + this.shift);
    const z = g.op('Conv', [x, g.constant(`${name}_w`, [layer.outChannels, layer.inChannels, 1, 1], w), g.constant(`${name}_b`, [layer.outChannels], b)], CONV_1X1, `${name}_z`);
    return applySine(g, z, this.sine, name);
  }

  /** Plain 1x1 conv over output channels [start, start+count) of `layer`. */
  linear(sd: StateDict, layer: LinearLayerSpec, x: string, start: number, count: number, name: string): string {
    const { g } = this;
    const w = weightOf(sd, layer);
    const rows = Float32Array.from(w.subarray(start * layer.inChannels, (start + count) * layer.inChannels), (v) => v * this.hidden);
    const b = biasOf(sd, layer).slice(start, start + count);
    return g.op('Conv', [x, g.constant(`${name}_w`, [count, layer.inChannels, 1, 1], rows), g.constant(`${name}_b`, [count], b)], CONV_1X1, name);
  }

  resize(x: string, sizes: number[], name: string): string {
    return bilinearResize(this.g, x, sizes, name);
  }
}

function checkOptions(opts: FrameModelOptions): number {
  const size = opts.size ?? IMAGE_SIZE;
  if (!Number.isInteger(size) || size < 16 || size > IMAGE_SIZE || size % FACE_GRID_DIVISOR !== 0) {
    throw new Error(`frame size must be a multiple of 4 in [16, ${IMAGE_SIZE}], got ${size}`);
  }
  const want = IMAGE_CHANNELS * IMAGE_SIZE * IMAGE_SIZE;
  if (opts.imageTensor.length !== want) {
    throw new Error(`imageTensor must hold 4x512x512 = ${want} floats, got ${opts.imageTensor.length}`);
  }
  return size;
}

function buildFace(fg: FrameGraph, sd: StateDict, size: number): string {
  const n = size / FACE_GRID_DIVISOR;
  let h = fg.firstLayerFromPosition(sd, FACE_SINE_LAYERS[0], FACE_POSE_SIZE, n, 'face0');
  for (let i = 1; i < FACE_SINE_LAYERS.length; i++) h = fg.sineLayer(sd, FACE_SINE_LAYERS[i], h, `face${i}`);
  const out = fg.linear(sd, FACE_LAST_LAYER, h, 0, FACE_LAST_LAYER.outChannels, 'face_out');
  // The patch is always pasted at 128x128; a coarser grid is upsampled the same way the body's levels are.
  return n === FACE_PATCH_SIZE ? out : fg.resize(out, [1, IMAGE_CHANNELS, FACE_PATCH_SIZE, FACE_PATCH_SIZE], 'face_up');
}

/** Body morpher outputs at size x size: grid change [1,2], alpha [1,1], color change [1,4]. */
function buildBody(fg: FrameGraph, sd: StateDict, size: number): { gridChange: string; alpha: string; colorChange: string } {
  let h = '';
  let prevWidth = 0;
  BODY_LEVELS.forEach((level, li) => {
    const n = size / LEVEL_DIVISORS[li];
    const [first, ...rest] = level.layers;
    h = li === 0
      ? fg.firstLayerFromPosition(sd, first, BODY_POSE_SIZE, n, `body${li}_0`)
      : fg.firstLayerFromFeatures(sd, first, h, prevWidth, n, `body${li}_0`);
    rest.forEach((layer, i) => {
      h = fg.sineLayer(sd, layer, h, `body${li}_${i + 1}`);
    });
    prevWidth = level.layers[level.layers.length - 1].outChannels;
  });
  return {
    gridChange: fg.linear(sd, BODY_LAST_LAYER, h, 0, 2, 'body_grid_change'),
    alpha: fg.linear(sd, BODY_LAST_LAYER, h, 2, 1, 'body_alpha'),
    colorChange: fg.linear(sd, BODY_LAST_LAYER, h, 3, IMAGE_CHANNELS, 'body_color_change'),
  };
}

/** The character image with the face box set to zero, so that adding the padded face pastes it exactly. */
function imageWithoutFace(image: Float32Array): Float32Array {
  const r = image.slice();
  for (let c = 0; c < IMAGE_CHANNELS; c++) {
    for (let y = FACE_PATCH_TOP; y < FACE_PATCH_TOP + FACE_PATCH_SIZE; y++) {
      const at = c * IMAGE_SIZE * IMAGE_SIZE + y * IMAGE_SIZE + FACE_PATCH_LEFT;
      r.fill(0, at, at + FACE_PATCH_SIZE);
    }
  }
  return r;
}

/** Identity sampling grid [1, 2, n, n] (channel 0 = x), as affine_grid(align_corners=False). */
function identityGrid(n: number): Float32Array {
  const coords = gridCoordinates(n);
  const r = new Float32Array(2 * n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      r[y * n + x] = coords[x];
      r[n * n + y * n + x] = coords[y];
    }
  }
  return r;
}

/** Serialized ONNX model: input `pose` [1,45] float32, outputs per `frameModelOutputs(opts)`. */
export function buildFrameModel(opts: FrameModelOptions): Uint8Array {
  const size = checkOptions(opts);
  const part = opts.part ?? 'frame';
  const sine: SineMode = opts.sine ?? (opts.sinRangeReduction ? 'native-reduced' : 'polynomial');
  const fg = new FrameGraph(sine);
  const { g } = fg;
  g.input(FrameModelNames.pose, [1, BODY_POSE_SIZE]);
  const tensors = new Map<string, string>();
  const expose = (tensor: string, name: string): void => void tensors.set(name, tensor);
  // Graph outputs in the documented order, whatever order they were computed in.
  const finish = (graphName: string): Uint8Array => {
    for (const o of frameModelOutputs({ size, debugOutputs: opts.debugOutputs, part })) {
      g.expose(tensors.get(o.name) as string, o.name, o.dims);
    }
    return g.build(graphName, FRAME_MODEL_OPSET);
  };

  if (part === 'frame-from-fields') {
    for (const f of bodyFieldShapes(size)) g.input(f.name, f.dims);
  }
  let image: string;
  if (part === 'body' || part === 'body-fields') {
    image = part === 'body' ? g.constant('image', [1, IMAGE_CHANNELS, IMAGE_SIZE, IMAGE_SIZE], opts.imageTensor) : '';
  } else {
    const face = buildFace(fg, opts.face, size);
    expose(face, FrameModelNames.face);
    if (part === 'face') return finish('tha4_face');
    const below = IMAGE_SIZE - FACE_PATCH_TOP - FACE_PATCH_SIZE;
    const right = IMAGE_SIZE - FACE_PATCH_LEFT - FACE_PATCH_SIZE;
    const pads = g.constantInt64('pads', [0, 0, FACE_PATCH_TOP, FACE_PATCH_LEFT, 0, 0, below, right]);
    const padded = g.op('Pad', [face, pads], { mode: 'constant' }, 'face_padded');
    const background = g.constant('image_without_face', [1, IMAGE_CHANNELS, IMAGE_SIZE, IMAGE_SIZE], imageWithoutFace(opts.imageTensor));
    image = g.op('Add', [background, padded], {}, 'pasted');
  }

  let gridNhwc: string;
  let alpha: string;
  let colorChange: string;
  if (part === 'frame-from-fields') {
    gridNhwc = FrameModelNames.grid;
    alpha = FrameModelNames.alpha;
    colorChange = FrameModelNames.colorChange;
  } else {
    const body = buildBody(fg, opts.body, size);
    const grid = g.op('Add', [body.gridChange, g.constant('identity_grid', [1, 2, size, size], identityGrid(size))]);
    gridNhwc = g.op('Transpose', [grid], { perm: [0, 2, 3, 1] }, 'grid_nhwc');
    alpha = body.alpha;
    colorChange = body.colorChange;
    expose(body.gridChange, FrameModelNames.gridChange);
    if (part === 'body-fields') {
      expose(gridNhwc, FrameModelNames.grid);
      expose(alpha, FrameModelNames.alpha);
      expose(colorChange, FrameModelNames.colorChange);
      return finish('tha4_body_fields');
    }
  }
  const warped = g.op('GridSample', [image, gridNhwc], { mode: 'bilinear', padding_mode: 'border', align_corners: 0 }, 'warped_img');
  const keep = g.op('Sub', [scalar(g, 1), alpha]);
  const frame = g.op('Add', [g.op('Mul', [keep, warped]), g.op('Mul', [alpha, colorChange])], {}, 'blended');
  expose(frame, FrameModelNames.frame);
  expose(alpha, FrameModelNames.alpha);
  expose(colorChange, FrameModelNames.colorChange);
  expose(warped, FrameModelNames.warped);
  return finish(part === 'body' ? 'tha4_body' : part === 'frame' ? 'tha4_frame' : 'tha4_frame_from_fields');
}
