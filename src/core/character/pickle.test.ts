import { describe, expect, it } from 'vitest';
import { CharacterFormatError } from './errors';
import { PickleDict, PickleTuple, TensorRef, readTorchPickle } from './pickle';
import { PickleWriter, stateDictPickle } from './test-fixtures';

const enc = (s: string): number[] => [...new TextEncoder().encode(s)];

function errorOf(bytes: Uint8Array): CharacterFormatError {
  try {
    readTorchPickle(bytes, 'face_morpher.pt');
  } catch (e) {
    expect(e).toBeInstanceOf(CharacterFormatError);
    return e as CharacterFormatError;
  }
  throw new Error('expected the pickle to be rejected');
}

describe('readTorchPickle: state_dict layout', () => {
  it('reads an OrderedDict of _rebuild_tensor_v2 tensors', () => {
    const value = readTorchPickle(
      stateDictPickle([
        { name: 'a.weight', shape: [4, 3, 1, 1] },
        { name: 'a.bias', shape: [4], storageType: 'DoubleStorage' },
      ]),
      'x.pt',
    );
    expect(value).toBeInstanceOf(PickleDict);
    const dict = value as PickleDict;
    expect([...dict.entries.keys()]).toEqual(['a.weight', 'a.bias']);
    const w = dict.entries.get('a.weight') as TensorRef;
    expect(w).toBeInstanceOf(TensorRef);
    expect(w.shape).toEqual([4, 3, 1, 1]);
    expect(w.stride).toEqual([3, 1, 1, 1]);
    expect(w.storage.key).toBe('0');
    expect(w.storage.numel).toBe(12);
    expect(w.storage.storageType).toBe('torch.FloatStorage');
    // The dtype is checked later, where the tensor name is known.
    expect((dict.entries.get('a.bias') as TensorRef).storage.storageType).toBe('torch.DoubleStorage');
  });

  it('supports memo (BINPUT/BINGET, LONG_BINPUT/LONG_BINGET, MEMOIZE), STACK_GLOBAL, TUPLE1-3, LONG1, BUILD', () => {
    const w = new PickleWriter()
      .proto(4)
      .shortUnicode('collections')
      .shortUnicode('OrderedDict')
      .op(0x93) // STACK_GLOBAL
      .op(0x94) // MEMOIZE -> 0
      .emptyTuple()
      .reduce()
      .op(0x71, 1) // BINPUT 1
      .shortUnicode('k')
      .int(1)
      .int(2)
      .op(0x86) // TUPLE2
      .op(0x72, 7, 0, 0, 0) // LONG_BINPUT 7
      .op(0x73) // SETITEM
      .shortUnicode('k2')
      .op(0x6a, 7, 0, 0, 0) // LONG_BINGET 7
      .op(0x73)
      .shortUnicode('big')
      .op(0x8a, 5, 0, 0, 0, 0, 1) // LONG1 2**32
      .op(0x85) // TUPLE1
      .op(0x73)
      .emptyDict()
      .op(0x62) // BUILD with metadata dict
      .stop()
      .toBytes();
    const dict = readTorchPickle(w, 'x.pt') as PickleDict;
    expect((dict.entries.get('k') as PickleTuple).items).toEqual([1, 2]);
    expect(dict.entries.get('k2')).toBe(dict.entries.get('k'));
    expect((dict.entries.get('big') as PickleTuple).items).toEqual([2 ** 32]);
  });
});

describe('readTorchPickle: refuses anything that could run code', () => {
  it.each([
    ['os', 'system'],
    ['posix', 'system'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['__builtin__', 'eval'],
    ['subprocess', 'Popen'],
    ['torch', 'load'],
    ['collections', 'defaultdict'],
  ])("rejects GLOBAL '%s %s' + REDUCE before calling anything", (module, name) => {
    // In Python this pickle runs `module.name('echo pwned')`.
    const bytes = new PickleWriter().proto(2).global(module, name).unicode('echo pwned').op(0x85).reduce().stop().toBytes();
    const err = errorOf(bytes);
    expect(err.code).toBe('pickle-global');
    expect(err.file).toBe('face_morpher.pt');
    expect(err.message).toContain(`face_morpher.pt: pickle uses forbidden global '${module}.${name}'`);
  });

  it('rejects a forbidden global reached through STACK_GLOBAL', () => {
    const bytes = new PickleWriter().proto(4).shortUnicode('builtins').shortUnicode('exec').op(0x93).stop().toBytes();
    const err = errorOf(bytes);
    expect(err.code).toBe('pickle-global');
    expect(err.message).toContain("'builtins.exec'");
  });

  it('rejects the classic protocol-0 exploit (GLOBAL + STRING + TUPLE + REDUCE)', () => {
    const bytes = Uint8Array.from([...enc("cos\nsystem\n(S'echo pwned'\ntR.")]);
    const err = errorOf(bytes);
    expect(err.code).toBe('pickle-global');
    expect(err.message).toContain("'os.system'");
  });

  it.each([
    [0x69, 'INST'],
    [0x6f, 'OBJ'],
    [0x81, 'NEWOBJ'],
    [0x92, 'NEWOBJ_EX'],
    [0x82, 'EXT1'],
    [0x50, 'PERSID'],
    [0x53, 'STRING'],
    [0x42, 'BINBYTES'],
    [0x8f, 'EMPTY_SET'],
    [0x97, 'NEXT_BUFFER'],
  ])('rejects opcode byte %i (%s) and names it', (op, name) => {
    const err = errorOf(new PickleWriter().proto(2).op(op, 0, 0, 0, 0).stop().toBytes());
    expect(err.code).toBe('pickle-opcode');
    expect(err.message).toContain(`forbidden opcode ${name}`);
    expect(err.message).toContain('at byte 2');
  });

  it('names unknown opcodes by value', () => {
    const err = errorOf(new PickleWriter().op(0xff).toBytes());
    expect(err.code).toBe('pickle-opcode');
    expect(err.message).toContain('unknown opcode 0xff');
  });

  it('does not call allowed storage classes (REDUCE on torch.FloatStorage)', () => {
    const err = errorOf(new PickleWriter().proto(2).global('torch', 'FloatStorage').emptyTuple().reduce().stop().toBytes());
    expect(err.code).toBe('pickle-global');
    expect(err.message).toContain("calls 'torch.FloatStorage'");
  });

  it('only builds OrderedDict from no arguments', () => {
    const bytes = new PickleWriter().proto(2).global('collections', 'OrderedDict').int(5).op(0x85).reduce().stop().toBytes();
    expect(errorOf(bytes).code).toBe('pickle-malformed');
  });

  it('rejects persistent ids that are not tensor storages', () => {
    const bytes = new PickleWriter().proto(2).unicode('module').op(0x85).op(0x51).stop().toBytes();
    expect(errorOf(bytes).code).toBe('pickle-malformed');
  });
});

describe('readTorchPickle: damaged input', () => {
  it('reports a pickle cut short', () => {
    const full = stateDictPickle([{ name: 'w', shape: [2] }]);
    for (const cut of [1, 3, 40, full.length - 1]) {
      const err = errorOf(full.subarray(0, cut));
      expect(['truncated', 'pickle-malformed']).toContain(err.code);
    }
    expect(errorOf(Uint8Array.from([0x80, 0x02, 0x58, 0xff, 0, 0, 0, 0x41])).code).toBe('truncated');
  });

  it('reports stack underflow, missing marks and unknown memo slots', () => {
    expect(errorOf(Uint8Array.from([0x80, 2, 0x2e])).code).toBe('pickle-malformed');
    expect(errorOf(Uint8Array.from([0x80, 2, 0x74, 0x2e])).code).toBe('pickle-malformed');
    expect(errorOf(Uint8Array.from([0x80, 2, 0x68, 9, 0x2e])).code).toBe('pickle-malformed');
  });

  it('rejects invalid UTF-8 in strings', () => {
    const err = errorOf(Uint8Array.from([0x80, 2, 0x8c, 2, 0xc3, 0x28, 0x2e]));
    expect(err.code).toBe('pickle-malformed');
  });
});
