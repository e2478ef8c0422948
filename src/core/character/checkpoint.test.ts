import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../scripts/lib/shared-path';
import { readStateDict } from './checkpoint';
import { CharacterFormatError } from './errors';
import { MAX_FILE_BYTES } from './limits';
import { PickleWriter, buildCheckpoint, patternData, stateDictPickle } from './test-fixtures';

function errorOf(bytes: Uint8Array, file = 'face_morpher.pt'): CharacterFormatError {
  try {
    readStateDict(bytes, file);
  } catch (e) {
    expect(e).toBeInstanceOf(CharacterFormatError);
    const err = e as CharacterFormatError;
    expect(err.file).toBe(file);
    expect(err.message.startsWith(`${file}: `)).toBe(true);
    return err;
  }
  throw new Error('expected the checkpoint to be rejected');
}

describe('readStateDict on synthetic checkpoints', () => {
  it('reads names, shapes and exact values in order', () => {
    const w = patternData(6, 1);
    const b = patternData(2, 2);
    const sd = readStateDict(
      buildCheckpoint([
        { name: 'l.weight', shape: [2, 3, 1, 1], data: w },
        { name: 'l.bias', shape: [2], data: b },
      ]),
      'x.pt',
    );
    expect([...sd.keys()]).toEqual(['l.weight', 'l.bias']);
    expect(sd.get('l.weight')?.shape).toEqual([2, 3, 1, 1]);
    expect(sd.get('l.weight')?.data).toEqual(w);
    expect(sd.get('l.bias')?.data).toEqual(b);
  });

  it('accepts any archive prefix and a little-endian byteorder record', () => {
    const sd = readStateDict(buildCheckpoint([{ name: 't', shape: [3] }], { prefix: 'face_morpher', byteorder: 'little' }), 'x.pt');
    expect(sd.get('t')?.data.length).toBe(3);
  });

  it('honours storage offsets (tensors sharing one storage)', () => {
    // Two views into storage '0': t1 = elements [0, 4), t2 = elements [4, 6).
    const all = patternData(6, 3);
    const pickle = stateDictPickle([
      { name: 't1', shape: [4], storageKey: '0', storageNumel: 6, offset: 0 },
      { name: 't2', shape: [2], storageKey: '0', storageNumel: 6, offset: 4 },
    ]);
    const bytes = buildCheckpoint([{ name: 'unused', shape: [6], data: all, storageKey: '0' }], { pickle });
    const sd = readStateDict(bytes, 'x.pt');
    expect(sd.get('t1')?.data).toEqual(all.slice(0, 4));
    expect(sd.get('t2')?.data).toEqual(all.slice(4, 6));
  });

  it('accepts any stride on size-1 dimensions', () => {
    const sd = readStateDict(buildCheckpoint([{ name: 'w', shape: [2, 3, 1, 1], stride: [3, 1, 7, 9] }]), 'x.pt');
    expect(sd.get('w')?.shape).toEqual([2, 3, 1, 1]);
  });
});

describe('readStateDict rejects bad files with the file name and a reason', () => {
  it('0-byte file', () => {
    const err = errorOf(new Uint8Array(0));
    expect(err.code).toBe('empty-file');
    expect(err.message).toContain('empty');
  });

  it('file over the size limit (16 MB), before parsing it', () => {
    const err = errorOf(new Uint8Array(MAX_FILE_BYTES + 1));
    expect(err.code).toBe('too-large');
    expect(err.message).toContain('16.0 MB');
  });

  it('not a zip (e.g. a legacy pickle-only checkpoint or a PNG)', () => {
    const err = errorOf(new PickleWriter().proto(2).emptyDict().stop().toBytes());
    expect(err.code).toBe('not-zip');
    expect(err.message).toContain('not a PyTorch checkpoint');
  });

  it('zip cut short', () => {
    const full = buildCheckpoint([{ name: 'w', shape: [64] }]);
    const err = errorOf(full.subarray(0, Math.floor(full.length / 2)));
    expect(err.code).toBe('truncated');
  });

  it('a zip that is not a checkpoint', () => {
    const err = errorOf(zipSync({ 'readme.txt': new Uint8Array([1]) }));
    expect(err.code).toBe('missing-file');
    expect(err.message).toContain('data.pkl');
  });

  it('storage data shorter than the pickle says', () => {
    const err = errorOf(
      buildCheckpoint([{ name: 'siren.last_linear.bias', shape: [4] }], {
        editStorages: (s) => s.set('0', (s.get('0') as Uint8Array).subarray(0, 12)),
      }),
    );
    expect(err.code).toBe('truncated');
    expect(err.message).toContain("'siren.last_linear.bias'");
    expect(err.message).toContain('12 bytes but should be 16');
  });

  it('storage entry missing from the archive', () => {
    const err = errorOf(buildCheckpoint([{ name: 'w', shape: [4] }], { editStorages: (s) => s.delete('0') }));
    expect(err.code).toBe('missing-file');
  });

  it('tensor reaching past its storage', () => {
    const pickle = stateDictPickle([{ name: 'w', shape: [4], storageNumel: 4, offset: 2 }]);
    const err = errorOf(buildCheckpoint([{ name: 'w', shape: [4] }], { pickle }));
    expect(err.code).toBe('truncated');
  });

  it.each([
    ['DoubleStorage', 'float64'],
    ['HalfStorage', 'float16'],
    ['BFloat16Storage', 'bfloat16'],
    ['LongStorage', 'int64'],
  ])('non-float32 tensors (%s)', (storageType, dtype) => {
    const err = errorOf(buildCheckpoint([{ name: 'siren.sine_layers.0.linear.weight', shape: [2], storageType }]));
    expect(err.code).toBe('bad-dtype');
    expect(err.message).toContain(`'siren.sine_layers.0.linear.weight' holds ${dtype} values`);
  });

  it('non-contiguous tensors', () => {
    const err = errorOf(buildCheckpoint([{ name: 'w', shape: [2, 3], stride: [1, 2] }]));
    expect(err.code).toBe('bad-layout');
    expect(err.message).toContain('not stored contiguously');
  });

  it('big-endian checkpoints', () => {
    const err = errorOf(buildCheckpoint([{ name: 'w', shape: [2] }], { byteorder: 'big' }));
    expect(err.code).toBe('bad-byteorder');
  });

  it('a pickle that is not a state_dict', () => {
    const list = new PickleWriter().proto(2).op(0x5d).stop().toBytes();
    expect(errorOf(buildCheckpoint([{ name: 'w', shape: [2] }], { pickle: list })).code).toBe('not-state-dict');
    const dictOfInts = new PickleWriter().proto(2).emptyDict().unicode('w').int(3).op(0x73).stop().toBytes();
    expect(errorOf(buildCheckpoint([{ name: 'w', shape: [2] }], { pickle: dictOfInts })).code).toBe('not-state-dict');
  });

  it('a code-executing pickle inside an otherwise valid archive', () => {
    const evil = new PickleWriter().proto(2).global('builtins', 'eval').unicode('1+1').op(0x85).reduce().stop().toBytes();
    const err = errorOf(buildCheckpoint([{ name: 'w', shape: [2] }], { pickle: evil }));
    expect(err.code).toBe('pickle-global');
    expect(err.message).toBe(
      "face_morpher.pt: pickle uses forbidden global 'builtins.eval' (only plain PyTorch float32 weights are accepted; " +
        'in Python this file could run code, so it is not loaded)',
    );
  });
});

describe('readStateDict on the public THA4 samples', () => {
  const tha4 = join(requireSharedDir(), 'tha4');
  const read = (id: string, file: string) => readStateDict(new Uint8Array(readFileSync(join(tha4, id, file))), file);

  it.each(['lambda_00', 'lambda_01'])('%s face and body morphers', (id) => {
    const face = read(id, 'face_morpher.pt');
    expect(face.size).toBe(18);
    const w0 = face.get('siren.sine_layers.0.linear.weight');
    expect(w0?.shape).toEqual([128, 41, 1, 1]);
    expect(w0?.data.length).toBe(128 * 41);
    expect(face.get('siren.last_linear.bias')?.shape).toEqual([4]);
    const body = read(id, 'body_morpher.pt');
    expect(body.size).toBe(20);
    expect(body.get('siren_layers.0.0.linear.weight')?.shape).toEqual([360, 47, 1, 1]);
    expect(body.get('last_linear.weight')?.shape).toEqual([7, 90, 1, 1]);
    for (const t of [...face.values(), ...body.values()]) {
      expect(t.data.every(Number.isFinite)).toBe(true);
    }
  });

  it('spot-checks values against the raw storages (read independently with Python zipfile + struct)', () => {
    const face = read('lambda_00', 'face_morpher.pt');
    // archive/data/0 (first layer weight) and archive/data/17 (last bias), little-endian float32.
    expect(Array.from(face.get('siren.sine_layers.0.linear.weight')?.data.subarray(0, 3) ?? [])).toEqual([
      0.02492516115307808, -0.09388697892427444, 0.004106312524527311,
    ]);
    expect(Array.from(face.get('siren.last_linear.bias')?.data ?? [])).toEqual([
      -0.07119534909725189, 0.06700874119997025, 0.0236042533069849, -0.014876743778586388,
    ]);
    const body = read('lambda_00', 'body_morpher.pt');
    expect(Array.from(body.get('last_linear.bias')?.data.subarray(5) ?? [])).toEqual([
      -0.0023607872426509857, 0.001359106507152319,
    ]);
  });
});
