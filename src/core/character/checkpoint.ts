/**
 * Reads a `torch.save` checkpoint (zip archive: `<prefix>/data.pkl` + `<prefix>/data/<key>`
 * storages) holding a float32 state_dict, without executing its pickle.
 */
import { validateRefs, type Architecture } from './architecture';
import { CharacterFormatError } from './errors';
import { checkFileSize } from './file-size';
import { MAX_TENSORS } from './limits';
import { PickleDict, STORAGE_DTYPES, StorageRef, TensorRef, readTorchPickle } from './pickle';
import { formatShape, numel, type StateDict, type Tensor } from './tensor';
import { ZipReader, isZip, type ZipEntry } from './zip-reader';

export { isZip } from './zip-reader';

const FLOAT32_STORAGE = 'torch.FloatStorage';

/** Parses and checks a checkpoint; every problem is a CharacterFormatError naming `file`. */
export function readStateDict(bytes: Uint8Array, file: string, arch?: Architecture): StateDict {
  checkFileSize(bytes, file);
  if (!isZip(bytes)) {
    throw new CharacterFormatError(
      'not-zip',
      file,
      'not a PyTorch checkpoint (expected a zip archive as written by torch.save; ' +
        'files saved by very old PyTorch versions or with _use_new_zipfile_serialization=False are not supported)',
    );
  }
  const zip = new ZipReader(bytes, file);
  const byName = new Map<string, ZipEntry>();
  for (const e of zip.entries) {
    if (byName.has(e.rawName)) throw new CharacterFormatError('bad-zip', file, `the zip archive holds '${e.rawName}' twice`);
    byName.set(e.rawName, e);
  }
  const prefix = findPrefix(byName.keys(), file);
  const read = (name: string): Uint8Array | undefined => {
    const entry = byName.get(name);
    return entry ? zip.read(entry, `${file} (${name})`) : undefined;
  };

  const byteorder = read(`${prefix}/byteorder`);
  if (byteorder) {
    const order = new TextDecoder().decode(byteorder).trim();
    if (order !== 'little') {
      throw new CharacterFormatError(
        'bad-byteorder',
        file,
        `the weights are stored in '${order}' byte order; only little-endian checkpoints are supported`,
      );
    }
  }

  const root = readTorchPickle(read(`${prefix}/data.pkl`) as Uint8Array, file);
  if (!(root instanceof PickleDict)) {
    throw new CharacterFormatError('not-state-dict', file, 'the checkpoint does not hold a state_dict (a name -> tensor mapping)');
  }
  if (root.entries.size > MAX_TENSORS) {
    throw new CharacterFormatError('not-state-dict', file, `the checkpoint holds ${root.entries.size} entries, more than the ${MAX_TENSORS} allowed`);
  }

  const refs = new Map<string, TensorRef>();
  for (const [key, value] of root.entries) {
    if (typeof key !== 'string' || !(value instanceof TensorRef)) {
      throw new CharacterFormatError(
        'not-state-dict',
        file,
        `the checkpoint is not a plain state_dict: entry ${JSON.stringify(key)} is not a tensor`,
      );
    }
    refs.set(key, value);
  }
  // Names and shapes are judged on the references, before a single value is read or copied.
  if (arch) validateRefs(refs, arch, file);
  for (const ref of refs.values()) checkDtype(ref, refs, file);

  const storages = new Map<string, Uint8Array>();
  const result: StateDict = new Map();
  for (const [key, ref] of refs) {
    const storageName = `${prefix}/data/${ref.storage.key}`;
    let raw = storages.get(storageName);
    if (!raw) {
      raw = read(storageName);
      if (!raw) {
        throw new CharacterFormatError('missing-file', file, `the data of tensor '${key}' (${storageName}) is missing from the archive`);
      }
      storages.set(storageName, raw);
    }
    result.set(key, materialize(key, ref, raw, file));
  }
  return result;
}

/** torch.save puts everything under one top folder (its name varies: 'archive' or the file stem). */
function findPrefix(names: Iterable<string>, file: string): string {
  const prefixes = [...names]
    .filter((name) => /^[^/]+\/data\.pkl$/.test(name))
    .map((name) => name.slice(0, -'/data.pkl'.length));
  if (prefixes.length !== 1) {
    throw new CharacterFormatError(
      prefixes.length === 0 ? 'missing-file' : 'not-state-dict',
      file,
      prefixes.length === 0
        ? 'the zip archive is not a PyTorch checkpoint (it has no <folder>/data.pkl)'
        : 'the zip archive holds more than one PyTorch checkpoint',
    );
  }
  return prefixes[0];
}

function checkDtype(ref: TensorRef, refs: Map<string, TensorRef>, file: string): void {
  const storage: StorageRef = ref.storage;
  if (storage.storageType === FLOAT32_STORAGE) return;
  const key = [...refs].find(([, r]) => r === ref)?.[0] ?? '?';
  const dtype = STORAGE_DTYPES.get(storage.storageType) ?? storage.storageType;
  throw new CharacterFormatError(
    'bad-dtype',
    file,
    `tensor '${key}' holds ${dtype} values (${storage.storageType}); only float32 weights are supported ` +
      '(convert the model with .float() before saving)',
  );
}

function materialize(key: string, ref: TensorRef, raw: Uint8Array, file: string): Tensor {
  const storage: StorageRef = ref.storage;
  if (raw.length !== storage.numel * 4) {
    throw new CharacterFormatError(
      'truncated',
      file,
      `the data of tensor '${key}' is ${raw.length} bytes but should be ${storage.numel * 4} ` +
        `(${storage.numel} float32 values); the file is damaged`,
    );
  }
  checkContiguous(key, ref, file);
  const count = numel(ref.shape);
  if (ref.offset + count > storage.numel) {
    throw new CharacterFormatError(
      'truncated',
      file,
      `tensor '${key}' ${formatShape(ref.shape)} reaches past the end of its stored data; the file is damaged`,
    );
  }
  // Copy into a fresh, aligned array; stored data is little-endian (checked above).
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = new Float32Array(count);
  const base = ref.offset * 4;
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(base + i * 4, true);
  return { shape: [...ref.shape], data };
}

/** Only plain row-major layouts; size-1 dimensions may have any stride, as in PyTorch. */
function checkContiguous(key: string, ref: TensorRef, file: string): void {
  let expected = 1;
  for (let d = ref.shape.length - 1; d >= 0; d--) {
    const size = ref.shape[d];
    if (size !== 1 && ref.stride[d] !== expected) {
      throw new CharacterFormatError(
        'bad-layout',
        file,
        `tensor '${key}' ${formatShape(ref.shape)} is not stored contiguously (strides ${formatShape(ref.stride)}); ` +
          'save a state_dict of contiguous tensors',
      );
    }
    expected *= size;
  }
}
