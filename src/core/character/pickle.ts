/**
 * A restricted reader for the pickle inside a `torch.save` checkpoint.
 *
 * A pickle is a program: a normal unpickler imports and calls whatever the file names, so loading
 * an untrusted .pt file in Python can run arbitrary code. This reader executes nothing. It knows
 * only the opcodes a float32 state_dict needs and a short allow-list of globals, builds plain
 * values, and rejects everything else with an error naming the opcode or global.
 */
import { CharacterFormatError } from './errors';
import { MAX_PICKLE_BYTES, MAX_PICKLE_DEPTH, MAX_PICKLE_ITEMS, MAX_PICKLE_MEMO, MAX_PICKLE_OPS, formatBytes } from './limits';

export class PickleTuple {
  constructor(readonly items: PickleValue[]) {}
}

export class PickleList {
  constructor(readonly items: PickleValue[]) {}
}

/** Keys a state_dict (and its metadata) can use; anything else is not a plain mapping key. */
export type PickleDictKey = string | number | boolean | null;

export class PickleDict {
  readonly entries = new Map<PickleDictKey, PickleValue>();
}

/** One of the allow-listed globals, referenced by name; never a real function. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** Persistent id ('storage', <type>, key, location, numel): a pointer to `data/<key>` in the zip. */
export class StorageRef {
  constructor(
    readonly key: string,
    /** e.g. 'torch.FloatStorage'; checked later so the error can name the tensor. */
    readonly storageType: string,
    readonly location: string,
    readonly numel: number,
  ) {}
}

/** Result of `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

export type PickleValue =
  | null
  | boolean
  | number
  | string
  | PickleTuple
  | PickleList
  | PickleDict
  | PickleGlobal
  | StorageRef
  | TensorRef;

const ORDERED_DICT = 'collections.OrderedDict';
const REBUILD_TENSOR_V2 = 'torch._utils._rebuild_tensor_v2';

/**
 * Storage classes torch.save names in persistent ids, with the element type each holds.
 * All are accepted as names (never called) so a non-float32 file gets a 'bad-dtype' error
 * instead of a confusing 'forbidden global' one.
 */
export const STORAGE_DTYPES: ReadonlyMap<string, string> = new Map([
  ['torch.FloatStorage', 'float32'],
  ['torch.DoubleStorage', 'float64'],
  ['torch.HalfStorage', 'float16'],
  ['torch.BFloat16Storage', 'bfloat16'],
  ['torch.LongStorage', 'int64'],
  ['torch.IntStorage', 'int32'],
  ['torch.ShortStorage', 'int16'],
  ['torch.CharStorage', 'int8'],
  ['torch.ByteStorage', 'uint8'],
  ['torch.BoolStorage', 'bool'],
  ['torch.ComplexFloatStorage', 'complex64'],
  ['torch.ComplexDoubleStorage', 'complex128'],
  ['torch.QInt8Storage', 'qint8'],
  ['torch.QUInt8Storage', 'quint8'],
  ['torch.QInt32Storage', 'qint32'],
]);

const ALLOWED_GLOBALS = new Set<string>([ORDERED_DICT, REBUILD_TENSOR_V2, ...STORAGE_DTYPES.keys()]);

/** Opcode byte -> name, for every opcode of pickle protocols 0-5 (so errors can name it). */
const OPCODE_NAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT',
  0x49: 'INT', 0x4a: 'BININT', 0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE',
  0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE', 0x53: 'STRING', 0x54: 'BINSTRING',
  0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND', 0x62: 'BUILD',
  0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT',
  0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE',
  0x75: 'SETITEMS', 0x47: 'BINFLOAT', 0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2',
  0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE',
  0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES',
  0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE',
  0x95: 'FRAME', 0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Describe an opcode byte for a message, e.g. "INST (0x69)". */
export function describeOpcode(op: number): string {
  const hex = `0x${op.toString(16).padStart(2, '0')}`;
  const name = OPCODE_NAMES[op];
  return name ? `${name} (${hex})` : `unknown opcode ${hex}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Runs the restricted pickle machine over `bytes`; `file` names the checkpoint in errors. */
export function readTorchPickle(bytes: Uint8Array, file: string): PickleValue {
  if (bytes.length > MAX_PICKLE_BYTES) {
    throw new CharacterFormatError(
      'pickle-limit',
      file,
      `the checkpoint's pickle is ${formatBytes(bytes.length)}, more than the ${formatBytes(MAX_PICKLE_BYTES)} a state_dict needs`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let opStart = 0;
  let stack: PickleValue[] = [];
  const markStack: PickleValue[][] = [];
  const memo = new Map<number, PickleValue>();
  let ops = 0;
  const limit = (what: string): CharacterFormatError =>
    new CharacterFormatError('pickle-limit', file, `the checkpoint's pickle has ${what} (at byte ${opStart}); it is not a plain state_dict`);
  const remember = (idx: number): void => {
    if (memo.size >= MAX_PICKLE_MEMO && !memo.has(idx)) throw limit(`more than ${MAX_PICKLE_MEMO} memo entries`);
    memo.set(idx, top());
  };

  const malformed = (what: string): CharacterFormatError =>
    new CharacterFormatError(
      'pickle-malformed',
      file,
      `the weights file is damaged or is not a PyTorch state_dict (${what} at byte ${opStart} of its pickle)`,
    );
  const need = (n: number): void => {
    if (n < 0 || pos + n > bytes.length) {
      throw new CharacterFormatError(
        'truncated',
        file,
        'the weights file is cut short (its pickle ends in the middle of an instruction)',
      );
    }
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++];
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('a length too large');
    return Number(v);
  };
  const text = (n: number): string => {
    need(n);
    const s = bytes.subarray(pos, pos + n);
    pos += n;
    try {
      return utf8.decode(s);
    } catch {
      throw malformed('a string that is not valid UTF-8');
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) need(bytes.length - pos + 1);
    const s = text(end - pos);
    pos++; // the newline
    return s;
  };
  const pop = (): PickleValue => {
    if (stack.length === 0) throw malformed('an instruction with nothing to work on');
    return stack.pop() as PickleValue;
  };
  const top = (): PickleValue => {
    if (stack.length === 0) throw malformed('an instruction with nothing to work on');
    return stack[stack.length - 1];
  };
  const popMark = (): PickleValue[] => {
    const items = stack;
    const outer = markStack.pop();
    if (!outer) throw malformed('a missing MARK');
    stack = outer;
    return items;
  };
  const resolveGlobal = (module: string, name: string): PickleGlobal => {
    const qualified = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.has(qualified)) {
      throw new CharacterFormatError(
        'pickle-global',
        file,
        `pickle uses forbidden global '${qualified}' (only plain PyTorch float32 weights are accepted; ` +
          'in Python this file could run code, so it is not loaded)',
      );
    }
    return new PickleGlobal(module, name);
  };
  const dictKey = (k: PickleValue): PickleDictKey => {
    if (k === null || typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') return k;
    throw malformed('a dictionary key that is not a plain value');
  };
  const setItems = (dict: PickleValue, items: PickleValue[]): void => {
    if (!(dict instanceof PickleDict)) throw malformed('SETITEM on something that is not a dictionary');
    if (items.length % 2 !== 0) throw malformed('an odd number of dictionary items');
    if (dict.entries.size + items.length / 2 > MAX_PICKLE_ITEMS) throw limit(`a dictionary of more than ${MAX_PICKLE_ITEMS} items`);
    for (let i = 0; i < items.length; i += 2) dict.entries.set(dictKey(items[i]), items[i + 1]);
  };
  const appendItems = (list: PickleValue, items: PickleValue[]): void => {
    if (!(list instanceof PickleList)) throw malformed('APPEND on something that is not a list');
    if (list.items.length + items.length > MAX_PICKLE_ITEMS) throw limit(`a list of more than ${MAX_PICKLE_ITEMS} items`);
    // A loop, not push(...items): spreading a huge list overflows the call stack.
    for (const item of items) list.items.push(item);
  };
  const nonNegativeInt = (v: PickleValue, what: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw malformed(`a bad ${what}`);
    return v;
  };
  const intTuple = (v: PickleValue, what: string): number[] => {
    if (!(v instanceof PickleTuple)) throw malformed(`a bad ${what}`);
    return v.items.map((x) => nonNegativeInt(x, what));
  };
  const persistentLoad = (pid: PickleValue): StorageRef => {
    if (!(pid instanceof PickleTuple) || pid.items.length !== 5 || pid.items[0] !== 'storage') {
      throw malformed('a tensor storage reference of an unknown kind');
    }
    const [, type, key, location, size] = pid.items;
    if (!(type instanceof PickleGlobal) || !STORAGE_DTYPES.has(type.qualifiedName)) {
      throw malformed('a tensor storage reference without a storage type');
    }
    if (typeof key !== 'string' || typeof location !== 'string') throw malformed('a bad storage key');
    return new StorageRef(key, type.qualifiedName, location, nonNegativeInt(size, 'storage size'));
  };
  const reduce = (callable: PickleValue, args: PickleValue): PickleValue => {
    if (!(callable instanceof PickleGlobal) || !(args instanceof PickleTuple)) {
      throw malformed('REDUCE without a function and its arguments');
    }
    const a = args.items;
    switch (callable.qualifiedName) {
      case ORDERED_DICT:
        if (a.length !== 0) throw malformed('OrderedDict built from arguments');
        return new PickleDict();
      case REBUILD_TENSOR_V2: {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.length !== 6 && a.length !== 7) throw malformed('a tensor with the wrong number of fields');
        const [storage, offset, size, stride] = a;
        if (!(storage instanceof StorageRef)) throw malformed('a tensor without a storage');
        const shape = intTuple(size, 'tensor size');
        const strides = intTuple(stride, 'tensor stride');
        if (shape.length !== strides.length) throw malformed('a tensor whose size and stride disagree');
        return new TensorRef(storage, nonNegativeInt(offset, 'storage offset'), shape, strides);
      }
      default:
        // Storage classes are allowed as names only; calling one is never needed for a state_dict.
        throw new CharacterFormatError(
          'pickle-global',
          file,
          `pickle calls '${callable.qualifiedName}', which a plain state_dict never does; the file is not loaded`,
        );
    }
  };

  for (;;) {
    opStart = pos;
    if (++ops > MAX_PICKLE_OPS) throw limit(`more than ${MAX_PICKLE_OPS} instructions`);
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME: only a read-ahead hint
        u64();
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        if (markStack.length >= MAX_PICKLE_DEPTH) throw limit(`more than ${MAX_PICKLE_DEPTH} nested MARKs`);
        markStack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement of n bytes
        const n = u8();
        need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[pos + i]);
        if (n > 0 && bytes[pos + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        pos += n;
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw malformed('an integer too large');
        }
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PickleTuple([]));
        break;
      case 0x85: // TUPLE1
        stack.push(new PickleTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(new PickleTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PickleTuple([pop(), b, c]));
        break;
      }
      case 0x74: {
        // TUPLE (popMark replaces `stack`, so take the items before pushing)
        const items = popMark();
        stack.push(new PickleTuple(items));
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push(new PickleList([]));
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new PickleDict());
        break;
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x71: // BINPUT
        remember(u8());
        break;
      case 0x72: // LONG_BINPUT
        remember(u32());
        break;
      case 0x94: // MEMOIZE
        remember(memo.size);
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const idx = op === 0x68 ? u8() : u32();
        if (!memo.has(idx)) throw malformed(`a reference to unknown memo slot ${idx}`);
        stack.push(memo.get(idx) as PickleValue);
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        const name = line();
        stack.push(resolveGlobal(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw malformed('STACK_GLOBAL without names');
        stack.push(resolveGlobal(module, name));
        break;
      }
      case 0x51: // BINPERSID
        stack.push(persistentLoad(pop()));
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        stack.push(reduce(callable, args));
        break;
      }
      case 0x62: {
        // BUILD: torch sets OrderedDict._metadata (per-module versions); nothing we need.
        const state = pop();
        const target = top();
        if (!(target instanceof PickleDict) || !(state === null || state instanceof PickleDict)) {
          throw malformed('BUILD on something other than a dictionary');
        }
        break;
      }
      default:
        throw new CharacterFormatError(
          'pickle-opcode',
          file,
          `pickle uses forbidden opcode ${describeOpcode(op)} at byte ${opStart} (only plain PyTorch ` +
            'float32 weights are accepted; the file is not loaded)',
        );
    }
  }
}
