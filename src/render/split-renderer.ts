/**
 * A frame in two halves on WASM: the body morpher's fields (sampling grid, alpha, colour change:
 * they depend only on the pose) and the per-frame rest (face morpher, paste, warp, blend). The body
 * half costs about 6x the rest at 128 px, so the live path runs it less often, on its own worker,
 * and blends its fields between updates (BodyFieldBlend).
 */
import * as ort from 'onnxruntime-web';
import { bodyFieldShapes, buildFrameModel, FrameModelNames } from '../core/model-graph/frame-model';
import type { CharacterTensors } from './renderer';
import { sanitizePose } from './pose';

export interface BodyFields {
  /** Sampling grid, NHWC [1, s, s, 2], identity plus grid change. */
  grid: Float32Array;
  /** [1, 1, s, s] */
  alpha: Float32Array;
  /** [1, 4, s, s] */
  colorChange: Float32Array;
}

/** The activation the WASM path uses (checked against the goldens in renderer.golden.test.ts). */
export const WASM_SINE = 'polynomial-fast' as const;

async function session(model: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

function poseTensor(pose: ArrayLike<number>): ort.Tensor {
  return new ort.Tensor('float32', sanitizePose(pose), [1, pose.length]);
}

export interface BodyFieldsRenderer {
  readonly size: number;
  fields(pose: ArrayLike<number>): Promise<BodyFields>;
  dispose(): Promise<void>;
}

export async function createBodyFieldsRenderer(character: CharacterTensors, size: number): Promise<BodyFieldsRenderer> {
  const s = await session(buildFrameModel({ ...character, size, part: 'body-fields', sine: WASM_SINE }));
  return {
    size,
    async fields(pose) {
      const r = await s.run({ [FrameModelNames.pose]: poseTensor(pose) });
      return {
        grid: r[FrameModelNames.grid].data as Float32Array,
        alpha: r[FrameModelNames.alpha].data as Float32Array,
        colorChange: r[FrameModelNames.colorChange].data as Float32Array,
      };
    },
    dispose: () => s.release(),
  };
}

export interface FieldsFrameRenderer {
  readonly size: number;
  /** 4 x size x size float32, channel-major, THA4's encoding (as Renderer.render). */
  render(pose: ArrayLike<number>, fields: BodyFields): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export async function createFieldsFrameRenderer(character: CharacterTensors, size: number): Promise<FieldsFrameRenderer> {
  const s = await session(buildFrameModel({ ...character, size, part: 'frame-from-fields', sine: WASM_SINE }));
  const [grid, alpha, colorChange] = bodyFieldShapes(size);
  return {
    size,
    async render(pose, fields) {
      const r = await s.run(
        {
          [FrameModelNames.pose]: poseTensor(pose),
          [grid.name]: new ort.Tensor('float32', fields.grid, grid.dims),
          [alpha.name]: new ort.Tensor('float32', fields.alpha, alpha.dims),
          [colorChange.name]: new ort.Tensor('float32', fields.colorChange, colorChange.dims),
        },
        [FrameModelNames.frame],
      );
      return r[FrameModelNames.frame].data as Float32Array;
    },
    dispose: () => s.release(),
  };
}
