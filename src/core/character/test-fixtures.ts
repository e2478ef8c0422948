/**
 * Builders for test inputs (pickles, torch.save-style zips, PNGs, character folders).
 * Used only by the *.test.ts files beside it; nothing in the extension imports this.
 */
import { zipSync, type Zippable } from 'fflate';
import { encode } from 'fast-png';
import { BODY_MORPHER, FACE_MORPHER, type Architecture } from './architecture';
import { numel } from './tensor';

/** Emits pickle opcodes by hand, the way torch.save (protocol 2) lays out a state_dict. */
export class PickleWriter {
  private readonly bytes: number[] = [];

  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }
  proto(v = 2): this {
    return this.op(0x80, v);
  }
  global(module: string, name: string): this {
    return this.op(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }
  unicode(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.op(0x58, ...u32(b.length), ...b);
  }
  shortUnicode(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.op(0x8c, b.length, ...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n);
    if (n >= 0 && n < 65536) return this.op(0x4d, n & 0xff, n >> 8);
    return this.op(0x4a, ...u32(n));
  }
  intTuple(values: readonly number[]): this {
    this.mark();
    for (const v of values) this.int(v);
    return this.op(0x74);
  }
  mark(): this {
    return this.op(0x28);
  }
  tuple(): this {
    return this.op(0x74);
  }
  emptyTuple(): this {
    return this.op(0x29);
  }
  emptyDict(): this {
    return this.op(0x7d);
  }
  reduce(): this {
    return this.op(0x52);
  }
  setitems(): this {
    return this.op(0x75);
  }
  stop(): this {
    return this.op(0x2e);
  }
  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

export interface FixtureTensor {
  name: string;
  shape: number[];
  /** Values; default: a deterministic pattern. */
  data?: Float32Array;
  storageType?: string;
  storageKey?: string;
  /** Elements in the storage (default: numel(shape) + offset). */
  storageNumel?: number;
  offset?: number;
  stride?: number[];
}

export function contiguousStride(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    stride[d] = s;
    s *= shape[d];
  }
  return stride;
}

/** Deterministic, distinct values so reads at the wrong place are caught. */
export function patternData(count: number, seed: number): Float32Array {
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = Math.fround(Math.sin(seed * 1000 + i) * 0.5);
  return data;
}

/** The data.pkl of a state_dict, laid out like torch.save does (OrderedDict + _rebuild_tensor_v2). */
export function stateDictPickle(tensors: readonly FixtureTensor[]): Uint8Array {
  const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  tensors.forEach((t, i) => {
    const offset = t.offset ?? 0;
    w.unicode(t.name)
      .global('torch._utils', '_rebuild_tensor_v2')
      .mark()
      .mark()
      .unicode('storage')
      .global('torch', t.storageType ?? 'FloatStorage')
      .unicode(t.storageKey ?? String(i))
      .unicode('cpu')
      .int(t.storageNumel ?? numel(t.shape) + offset)
      .tuple()
      .op(0x51) // BINPERSID
      .int(offset)
      .intTuple(t.shape)
      .intTuple(t.stride ?? contiguousStride(t.shape))
      .op(0x89) // NEWFALSE (requires_grad)
      .global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .tuple()
      .reduce();
  });
  return w.setitems().stop().toBytes();
}

export interface CheckpointOptions {
  prefix?: string;
  byteorder?: string;
  /** Replace data.pkl. */
  pickle?: Uint8Array;
  /** Change storage files after they are built (e.g. cut one short). */
  editStorages?: (storages: Map<string, Uint8Array>) => void;
}

/** A torch.save-like zip: <prefix>/data.pkl, <prefix>/data/<key>, optional byteorder, version. */
export function buildCheckpoint(tensors: readonly FixtureTensor[], options: CheckpointOptions = {}): Uint8Array {
  const prefix = options.prefix ?? 'archive';
  const storages = new Map<string, Uint8Array>();
  tensors.forEach((t, i) => {
    const key = t.storageKey ?? String(i);
    if (storages.has(key)) return;
    const offset = t.offset ?? 0;
    const count = t.storageNumel ?? numel(t.shape) + offset;
    const values = new Float32Array(count);
    values.set(t.data ?? patternData(numel(t.shape), i), offset);
    storages.set(key, new Uint8Array(values.buffer));
  });
  options.editStorages?.(storages);
  const files: Zippable = {
    [`${prefix}/data.pkl`]: options.pickle ?? stateDictPickle(tensors),
    [`${prefix}/version`]: new TextEncoder().encode('3\n'),
  };
  if (options.byteorder !== undefined) files[`${prefix}/byteorder`] = new TextEncoder().encode(options.byteorder);
  for (const [key, bytes] of storages) files[`${prefix}/data/${key}`] = bytes;
  return zipSync(files, { level: 0 });
}

/** A checkpoint with every tensor `arch` expects, filled with a deterministic pattern. */
export function buildArchitectureCheckpoint(arch: Architecture, options: CheckpointOptions = {}): Uint8Array {
  return buildCheckpoint(
    arch.tensors.map((t) => ({ name: t.name, shape: [...t.shape] })),
    options,
  );
}

export function architectureTensors(arch: Architecture): FixtureTensor[] {
  return arch.tensors.map((t) => ({ name: t.name, shape: [...t.shape] }));
}

/** An RGBA PNG with a transparent border and a coloured, partly translucent centre. */
export function rgbaPng(width = 512, height = 512): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inside = x > width / 4 && x < (3 * width) / 4 && y > height / 4 && y < (3 * height) / 4;
      data[i] = (x * 3) & 255;
      data[i + 1] = (y * 5) & 255;
      data[i + 2] = (x + y) & 255;
      data[i + 3] = inside ? 128 + ((x * y) % 128) : 0;
    }
  }
  return encode({ width, height, data, channels: 4, depth: 8 }, { zlib: { level: 1 } });
}

export const SAMPLE_YAML =
  'character_image_file_name: character.png\nface_morpher_file_name: face_morpher.pt\nbody_morpher_file_name: body_morpher.pt\n';

/** A complete, valid synthetic character folder (path -> bytes). */
export function syntheticCharacterFiles(): Map<string, Uint8Array> {
  return new Map([
    ['character_model.yaml', new TextEncoder().encode(SAMPLE_YAML)],
    ['character.png', rgbaPng()],
    ['face_morpher.pt', buildArchitectureCheckpoint(FACE_MORPHER)],
    ['body_morpher.pt', buildArchitectureCheckpoint(BODY_MORPHER)],
  ]);
}

/** Zips a folder Map, optionally under a top folder. */
export function zipFolder(files: Map<string, Uint8Array>, folder = ''): Uint8Array {
  const z: Zippable = {};
  for (const [path, bytes] of files) z[folder ? `${folder}/${path}` : path] = bytes;
  return zipSync(z, { level: 1 });
}
