/**
 * The tensors a THA4 student checkpoint must contain, by name and shape, plus the named sizes
 * the model graph needs. Both morphers are SIRENs whose layers are 1x1 convolutions, so every
 * weight is stored as [out, in, 1, 1] and every bias as [out].
 */
import { CharacterFormatError } from './errors';
import { formatShape, type StateDict } from './tensor';

/** A SIREN layer computes sin(SIREN_OMEGA * (W x + b)). */
export const SIREN_OMEGA = 30;

/** Pose vector lengths: the face morpher sees the first 39 parameters, the body morpher all 45. */
export const FACE_POSE_SIZE = 39;
export const BODY_POSE_SIZE = 45;
/** Every level's input starts (after any upsampled features) with the pixel position (x, y). */
export const POSITION_CHANNELS = 2;

export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface Architecture {
  /** For messages: "face morpher" / "body morpher". */
  readonly label: string;
  readonly tensors: readonly TensorSpec[];
}

/** A 1x1-conv layer: parameter names and channel counts. */
export interface LinearLayerSpec {
  readonly weight: string;
  readonly bias: string;
  readonly inChannels: number;
  readonly outChannels: number;
}

function layer(prefix: string, inChannels: number, outChannels: number): LinearLayerSpec {
  return { weight: `${prefix}.weight`, bias: `${prefix}.bias`, inChannels, outChannels };
}

function tensorsOf(layers: readonly LinearLayerSpec[]): TensorSpec[] {
  return layers.flatMap((l) => [
    { name: l.weight, shape: [l.outChannels, l.inChannels, 1, 1] },
    { name: l.bias, shape: [l.outChannels] },
  ]);
}

// ---- Face morpher (SirenFaceMorpher00): 128x128 patch, 41 -> 128 x 8 -> 4 ----

export const FACE_PATCH_SIZE = 128;
/** Where the face patch goes in the 512x512 image: rows 80..207, columns 192..319. */
export const FACE_PATCH_TOP = 80;
export const FACE_PATCH_LEFT = 192;
export const FACE_INPUT_CHANNELS = POSITION_CHANNELS + FACE_POSE_SIZE; // 41
export const FACE_HIDDEN_CHANNELS = 128;
export const FACE_SINE_LAYER_COUNT = 8;
/** RGBA of the face patch. */
export const FACE_OUTPUT_CHANNELS = 4;

export const FACE_SINE_LAYERS: readonly LinearLayerSpec[] = Array.from({ length: FACE_SINE_LAYER_COUNT }, (_, i) =>
  layer(`siren.sine_layers.${i}.linear`, i === 0 ? FACE_INPUT_CHANNELS : FACE_HIDDEN_CHANNELS, FACE_HIDDEN_CHANNELS),
);
/** No activation after this one. */
export const FACE_LAST_LAYER: LinearLayerSpec = layer('siren.last_linear', FACE_HIDDEN_CHANNELS, FACE_OUTPUT_CHANNELS);

export const FACE_MORPHER: Architecture = {
  label: 'face morpher',
  tensors: tensorsOf([...FACE_SINE_LAYERS, FACE_LAST_LAYER]),
};

// ---- Body morpher (SirenMorpher03): three levels at 128, 256, 512 pixels ----

export interface BodyLevelSpec {
  /** Grid size of this level (square). */
  readonly size: number;
  /** Channels upsampled from the previous level, placed first in the input (0 for level 0). */
  readonly upsampledChannels: number;
  readonly inputChannels: number;
  readonly layers: readonly LinearLayerSpec[];
}

export const BODY_LEVEL_SIZES = [128, 256, 512] as const;
/** Width of each level's sine layers. */
export const BODY_LEVEL_WIDTHS = [360, 180, 90] as const;
export const BODY_LAYERS_PER_LEVEL = 3;

/** Output channels of the last linear layer: grid change (x, y), alpha, color change (RGBA). */
export const BODY_OUTPUT_CHANNELS = 7;
export const BODY_GRID_CHANGE_CHANNEL = 0; // 2 channels: x then y, normalized coordinates
export const BODY_ALPHA_CHANNEL = 2;
export const BODY_COLOR_CHANGE_CHANNEL = 3; // 4 channels

export const BODY_LEVELS: readonly BodyLevelSpec[] = BODY_LEVEL_SIZES.map((size, level) => {
  const width = BODY_LEVEL_WIDTHS[level];
  // The last layer of a level outputs the next level's width (the final level keeps its own).
  const outWidth = BODY_LEVEL_WIDTHS[level + 1] ?? width;
  const upsampledChannels = level === 0 ? 0 : BODY_LEVEL_WIDTHS[level];
  const inputChannels = upsampledChannels + POSITION_CHANNELS + BODY_POSE_SIZE;
  const layers = Array.from({ length: BODY_LAYERS_PER_LEVEL }, (_, i) =>
    layer(
      `siren_layers.${level}.${i}.linear`,
      i === 0 ? inputChannels : width,
      i === BODY_LAYERS_PER_LEVEL - 1 ? outWidth : width,
    ),
  );
  return { size, upsampledChannels, inputChannels, layers };
});

export const BODY_LAST_LAYER: LinearLayerSpec = layer(
  'last_linear',
  BODY_LEVEL_WIDTHS[BODY_LEVEL_WIDTHS.length - 1],
  BODY_OUTPUT_CHANNELS,
);

export const BODY_MORPHER: Architecture = {
  label: 'body morpher',
  tensors: tensorsOf([...BODY_LEVELS.flatMap((l) => l.layers), BODY_LAST_LAYER]),
};

/**
 * Checks that `sd` has exactly the tensors of `arch` with the right shapes. Reports the first
 * missing tensor, then the first wrong shape, then the first unexpected tensor (all listed by
 * count so the user sees the extent of the mismatch).
 */
export function validateStateDict(sd: StateDict, arch: Architecture, file: string): void {
  validateRefs(sd, arch, file);
}

/** The same check on anything with a shape per name (tensor references before their data is read). */
export function validateRefs(sd: ReadonlyMap<string, { shape: readonly number[] }>, arch: Architecture, file: string): void {
  const expected = new Map(arch.tensors.map((t) => [t.name, t.shape]));
  const missing = arch.tensors.filter((t) => !sd.has(t.name)).map((t) => t.name);
  if (missing.length > 0) {
    throw new CharacterFormatError(
      'missing-tensor',
      file,
      `this is not a THA4 ${arch.label}: ${missing.length} expected tensor(s) are missing, e.g. '${missing[0]}'` +
        (missing.length === arch.tensors.length ? ' (none of its tensors were found; is this the other morpher?)' : ''),
    );
  }
  for (const [name, shape] of expected) {
    const actual = (sd.get(name) as { shape: readonly number[] }).shape;
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new CharacterFormatError(
        'bad-shape',
        file,
        `tensor '${name}' has shape ${formatShape(actual)} but a THA4 ${arch.label} needs ${formatShape(shape)}`,
      );
    }
  }
  const unexpected = [...sd.keys()].filter((name) => !expected.has(name));
  if (unexpected.length > 0) {
    throw new CharacterFormatError(
      'unexpected-tensor',
      file,
      `this is not a THA4 ${arch.label}: it has ${unexpected.length} tensor(s) it should not have, e.g. '${unexpected[0]}'`,
    );
  }
}
