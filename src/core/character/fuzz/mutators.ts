/**
 * Seeded mutations of a real character (its four files) for the import fuzzer. Input `index` of
 * seed `seed` is always the same bytes, so any outcome can be reproduced from those two numbers.
 */
import { deflateSync, zlibSync } from 'fflate';
import { crc32 } from '../crc32';
import { ZipReader } from '../zip-reader';
import { concatBytes, deflatedEntry, storedEntry, writeZip, type RawZipEntry } from './zip-writer';

export type FuzzInput =
  | { kind: 'folder'; files: Map<string, Uint8Array> }
  | { kind: 'zip'; bytes: Uint8Array; fileName: string };

export interface FuzzCase {
  /** Which mutation made it (for the report). */
  mutation: string;
  input: FuzzInput;
}

/** Character folders as path -> bytes (character_model.yaml and the three files it names). */
export type CharacterFiles = Map<string, Uint8Array>;

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const YAML = 'character_model.yaml';
const enc = new TextEncoder();

/** Everything derived once from the sample characters. */
export interface FuzzBase {
  characters: CharacterFiles[];
  /** Entries of each character's checkpoints, by file name ('face_morpher.pt'). */
  checkpoints: Map<string, { name: string; bytes: Uint8Array }[]>[];
  /** Raw DEFLATE of 96 MB of zeros (about 95 KB), for bombs. */
  zeroBomb: Uint8Array;
  zeroBombSize: number;
  /** zlib of 64 MB of zeros (an ICC profile bomb). */
  iccpBomb: Uint8Array;
}

export function prepareBase(characters: CharacterFiles[]): FuzzBase {
  const checkpoints = characters.map((files) => {
    const out = new Map<string, { name: string; bytes: Uint8Array }[]>();
    for (const [name, bytes] of files) {
      if (!name.endsWith('.pt')) continue;
      const zip = new ZipReader(bytes, name);
      out.set(name, zip.entries.map((e) => ({ name: e.rawName, bytes: zip.read(e).slice() })));
    }
    return out;
  });
  const zeroBombSize = 96 * 1024 * 1024;
  const zeroBomb = deflateSync(new Uint8Array(zeroBombSize), { level: 9 });
  const iccpBomb = zlibSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
  return { characters, checkpoints, zeroBomb, zeroBombSize, iccpBomb };
}

/** A new map over the same buffers: mutations always write to copies, never in place. */
function clone(files: CharacterFiles): CharacterFiles {
  return new Map(files);
}

function prefixed(files: CharacterFiles, prefix: string): CharacterFiles {
  return new Map([...files].map(([k, v]) => [prefix + k, v]));
}

function flipBits(bytes: Uint8Array, rng: Rng, count: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < count; i++) {
    const p = rng.int(out.length);
    out[p] ^= 1 << rng.int(8);
  }
  return out;
}

function truncate(bytes: Uint8Array, rng: Rng): Uint8Array {
  return bytes.slice(0, rng.int(bytes.length));
}

function overwriteRun(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = bytes.slice();
  const start = rng.int(out.length);
  const len = 1 + rng.int(64);
  const fill = rng.pick([0x00, 0xff, -1]);
  for (let i = start; i < Math.min(out.length, start + len); i++) out[i] = fill < 0 ? rng.int(256) : fill;
  return out;
}

const BOUNDARY_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const BOUNDARY_U16 = [0, 1, 0x7fff, 0xfffe, 0xffff];

/** Sets a field of a zip record (end record or a central directory entry) to a boundary or random value. */
function damageZipStructure(zip: Uint8Array, rng: Rng): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  let end = -1;
  for (let p = out.length - 22; p >= 0; p--) {
    if (v.getUint32(p, true) === 0x06054b50) {
      end = p;
      break;
    }
  }
  if (end < 0) return flipBits(zip, rng, 1);
  const cdOffset = v.getUint32(end + 16, true);
  const count = v.getUint16(end + 10, true);
  const u16 = (at: number): void => v.setUint16(at, rng.chance(0.5) ? rng.pick(BOUNDARY_U16) : rng.int(0x10000), true);
  const u32 = (at: number): void => v.setUint32(at, rng.chance(0.6) ? rng.pick(BOUNDARY_U32) : rng.int(0x100000000), true);
  if (rng.chance(0.25)) {
    rng.pick([() => u16(end + 8), () => u16(end + 10), () => u32(end + 12), () => u32(end + 16), () => u16(end + 20)])();
    return out;
  }
  // A central directory entry, walked to by its lengths.
  let p = cdOffset;
  const target = rng.int(Math.max(1, count));
  for (let i = 0; i < target && p + 46 <= out.length; i++) p += 46 + v.getUint16(p + 28, true) + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  if (p + 46 > out.length) return out;
  const field = rng.int(8);
  if (field === 0) u16(p + 10); // method
  else if (field === 1) u32(p + 16); // crc
  else if (field === 2) u32(p + 20); // compressed size
  else if (field === 3) u32(p + 24); // size
  else if (field === 4) u16(p + 28); // name length
  else if (field === 5) u16(p + 30); // extra length
  else if (field === 6) u32(p + 42); // local header offset
  else u16(p + 8); // flags
  return out;
}

function zipOf(files: CharacterFiles, rng: Rng, folder = ''): Uint8Array {
  const level = rng.pick([0, 1, 6] as const);
  return writeZip([...files].map(([k, v]) => (level === 0 ? storedEntry(folder + k, v) : deflatedEntry(folder + k, v, level))));
}

// ---- checkpoints (torch.save zips) ----

function rebuildCheckpoint(entries: { name: string; bytes: Uint8Array }[], edit: (name: string, bytes: Uint8Array) => Uint8Array | null): Uint8Array {
  const out: RawZipEntry[] = [];
  for (const e of entries) {
    const bytes = edit(e.name, e.bytes);
    if (bytes) out.push(storedEntry(e.name, bytes));
  }
  return writeZip(out);
}

/** Pickle opcodes and programs a hostile checkpoint might carry. */
function hostilePickle(original: Uint8Array, rng: Rng): { label: string; bytes: Uint8Array } {
  const op = (...b: number[]): number[] => b;
  const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
  const str = (s: string): number[] => [0x8c, s.length, ...enc.encode(s)];
  const wrap = (body: number[]): Uint8Array => Uint8Array.from([0x80, 2, ...body, 0x2e]);
  const n = 1000 + rng.int(300_000);
  switch (rng.int(10)) {
    case 0: {
      // A random opcode byte spliced in (CRC made right, so only the pickle reader can object).
      const out = new Uint8Array(original.length + 1);
      const p = 2 + rng.int(original.length - 2);
      out.set(original.subarray(0, p));
      out[p] = rng.int(256);
      out.set(original.subarray(p), p + 1);
      return { label: 'pickle-opcode-splice', bytes: out };
    }
    case 1: {
      const [m, f] = rng.pick([
        ['os', 'system'],
        ['builtins', 'eval'],
        ['posix', 'system'],
        ['torch', 'load'],
        ['collections', 'defaultdict'],
      ]);
      return { label: 'pickle-global', bytes: wrap([0x63, ...enc.encode(`${m}\n${f}\n`), ...str('id'), 0x85, 0x52]) };
    }
    case 2:
      return { label: 'pickle-nested-marks', bytes: wrap(Array.from({ length: n }, () => 0x28)) };
    case 3: {
      // Deep tuple nesting: (((None,),),) n levels.
      const body = [0x4e, ...Array.from({ length: n }, () => 0x85)];
      return { label: 'pickle-nested-tuples', bytes: wrap(body) };
    }
    case 4: {
      // A huge list built by one APPENDS.
      const body = [0x5d, 0x28, ...Array.from({ length: n }, () => 0x4e), 0x65];
      return { label: 'pickle-huge-list', bytes: wrap(body) };
    }
    case 5: {
      // Memo fan-out: one list stored once, fetched many times into another list.
      const body = [0x5d, 0x71, 0, 0x5d, 0x28, ...Array.from({ length: n }, () => [0x68, 0]).flat(), 0x65];
      return { label: 'pickle-memo-fanout', bytes: wrap(body) };
    }
    case 6: {
      // Many distinct memo slots, sparse indices.
      const body = [0x4e, ...Array.from({ length: Math.min(n, 120_000) }, (_, i) => op(0x72, ...u32(i * 7919))).flat()];
      return { label: 'pickle-memo-slots', bytes: wrap(body) };
    }
    case 7: {
      // A string or bytes length far beyond the file.
      return { label: 'pickle-long-length', bytes: wrap([0x58, ...u32(0xfffffff0)]) };
    }
    case 8: {
      // The real pickle, with a few bytes flipped (CRC fixed later).
      return { label: 'pickle-bitflip', bytes: flipBits(original, rng, 1 + rng.int(4)) };
    }
    default: {
      // A dict with many entries all sharing one tensor: fan-out after the pickle.
      const p = original.slice(0, Math.max(3, original.length - 2)); // drop SETITEMS? keep it simple: append
      return { label: 'pickle-truncated', bytes: p.subarray(0, 2 + rng.int(p.length)) };
    }
  }
}

function checkpointMutation(base: FuzzBase, ci: number, file: string, rng: Rng): { label: string; bytes: Uint8Array } {
  const entries = base.checkpoints[ci].get(file);
  if (!entries) throw new Error(`no checkpoint ${file}`);
  const pkl = entries.find((e) => e.name.endsWith('/data.pkl'));
  const kind = rng.int(8);
  if (kind <= 2 && pkl) {
    const { label, bytes } = hostilePickle(pkl.bytes, rng);
    return { label, bytes: rebuildCheckpoint(entries, (name, b) => (name === pkl.name ? bytes : b)) };
  }
  if (kind === 3) {
    // Tensor data changed with a matching CRC: still a valid checkpoint.
    const data = entries.filter((e) => e.name.includes('/data/'));
    const target = rng.pick(data).name;
    return { label: 'checkpoint-tensor-bits', bytes: rebuildCheckpoint(entries, (name, b) => (name === target ? flipBits(b, rng, 1 + rng.int(8)) : b)) };
  }
  if (kind === 4) {
    // A storage cut short or grown, or missing.
    const data = entries.filter((e) => e.name.includes('/data/'));
    const target = rng.pick(data).name;
    const how = rng.int(3);
    return {
      label: 'checkpoint-storage-size',
      bytes: rebuildCheckpoint(entries, (name, b) => {
        if (name !== target) return b;
        if (how === 0) return null;
        if (how === 1) return b.subarray(0, rng.int(b.length));
        const grown = new Uint8Array(b.length + 4 * (1 + rng.int(64)));
        grown.set(b);
        return grown;
      }),
    };
  }
  if (kind === 5) {
    // A storage replaced by a deflate bomb that declares its real size or lies.
    const data = entries.filter((e) => e.name.includes('/data/'));
    const target = rng.pick(data).name;
    const lie = rng.chance(0.5);
    const raw: RawZipEntry[] = entries.map((e) =>
      e.name === target
        ? { name: e.name, data: base.zeroBomb, method: 8, crc: 0, size: lie ? e.bytes.length : base.zeroBombSize }
        : storedEntry(e.name, e.bytes),
    );
    return { label: lie ? 'checkpoint-bomb-lying-size' : 'checkpoint-bomb', bytes: writeZip(raw) };
  }
  if (kind === 6) {
    const own = rebuildCheckpoint(entries, (_n, b) => b);
    return { label: 'checkpoint-zip-structure', bytes: damageZipStructure(own, rng) };
  }
  // An extra entry: unknown method (never read) or a second data.pkl.
  const raw: RawZipEntry[] = entries.map((e) => storedEntry(e.name, e.bytes));
  if (rng.chance(0.5)) {
    raw.push({ name: 'archive/extra.bin', data: base.zeroBomb.subarray(0, 1000), method: 99, crc: 0, size: 0xfffffff });
    return { label: 'checkpoint-unknown-method-extra', bytes: writeZip(raw) };
  }
  raw.push(storedEntry('other/data.pkl', pkl ? pkl.bytes : new Uint8Array(1)));
  return { label: 'checkpoint-two-pickles', bytes: writeZip(raw) };
}

// ---- PNG ----

interface PngChunk {
  type: string;
  data: Uint8Array;
}

function pngChunks(png: Uint8Array): PngChunk[] {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: PngChunk[] = [];
  let p = 8;
  while (p + 12 <= png.length) {
    const len = v.getUint32(p);
    out.push({ type: String.fromCharCode(...png.subarray(p + 4, p + 8)), data: png.slice(p + 8, p + 8 + len) });
    p += 12 + len;
  }
  return out;
}

function writePng(chunks: readonly PngChunk[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  for (const c of chunks) {
    const b = new Uint8Array(12 + c.data.length);
    const v = new DataView(b.buffer);
    v.setUint32(0, c.data.length);
    b.set(enc.encode(c.type), 4);
    b.set(c.data, 8);
    v.setUint32(8 + c.data.length, crc32(b, 4, 8 + c.data.length));
    parts.push(b);
  }
  return concatBytes(parts);
}

function ihdr(width: number, height: number, depth = 8, colorType = 6, interlace = 0): PngChunk {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  d.set([depth, colorType, 0, 0, interlace], 8);
  return { type: 'IHDR', data: d };
}

/** A filtered RGBA image (filter byte 0 per row), zlib-compressed, as one IDAT. */
function rgbaIdat(width: number, height: number, rng: Rng): PngChunk {
  const row = 1 + width * 4;
  const raw = new Uint8Array(row * height);
  const seed = rng.int(256);
  for (let y = 0; y < height; y++) for (let x = 1; x < row; x++) raw[y * row + x] = (x * 7 + y * 3 + seed) & 255;
  return { type: 'IDAT', data: zlibSync(raw, { level: 1 }) };
}

function pngMutation(png: Uint8Array, base: FuzzBase, rng: Rng): { label: string; bytes: Uint8Array } {
  const chunks = pngChunks(png);
  const [head] = chunks;
  const idats = chunks.filter((c) => c.type === 'IDAT');
  const end: PngChunk = { type: 'IEND', data: new Uint8Array(0) };
  switch (rng.int(9)) {
    case 0: {
      // IHDR fields changed, CRC fixed.
      const d = head.data.slice();
      const v = new DataView(d.buffer);
      const f = rng.int(5);
      if (f === 0) v.setUint32(0, rng.pick([0, 1, 511, 513, 1024, 1025, 8192, 100000, 0x7fffffff]));
      else if (f === 1) v.setUint32(4, rng.pick([0, 1, 511, 513, 1024, 1025, 8192, 100000, 0x7fffffff]));
      else if (f === 2) d[8] = rng.pick([1, 2, 4, 8, 16, 32]);
      else if (f === 3) d[9] = rng.pick([0, 2, 3, 4, 6, 7]);
      else d[10 + rng.int(3)] = rng.int(3);
      return { label: 'png-ihdr', bytes: writePng([{ type: 'IHDR', data: d }, ...chunks.slice(1)]) };
    }
    case 1: {
      // Thousands of ancillary chunks.
      const many = Array.from({ length: 1000 + rng.int(8000) }, (_, i) => ({ type: 'tEXt', data: enc.encode(`k\0${i}`) }));
      return { label: 'png-many-chunks', bytes: writePng([head, ...many, ...idats, end]) };
    }
    case 2: {
      // An iCCP profile: small and valid-looking, or a bomb / oversized.
      const big = rng.chance(0.6);
      const profile = big ? base.iccpBomb : zlibSync(new Uint8Array(3000), { level: 9 });
      const data = new Uint8Array(5 + profile.length);
      data.set(enc.encode('icc\0\0'));
      data.set(profile, 5);
      const padded = big && rng.chance(0.5) ? new Uint8Array(400 * 1024 + data.length) : data;
      if (padded !== data) padded.set(data);
      return { label: big ? 'png-iccp-large' : 'png-iccp-small', bytes: writePng([head, { type: 'iCCP', data: padded }, ...idats, end]) };
    }
    case 3: {
      // Image data that inflates to far more than the header needs.
      const zlib = new Uint8Array(2 + base.zeroBomb.length + 4);
      zlib.set([0x78, 0xda]);
      zlib.set(base.zeroBomb, 2);
      return { label: 'png-idat-bomb', bytes: writePng([head, { type: 'IDAT', data: zlib }, end]) };
    }
    case 4: {
      // A valid image of another size (scaled at import), or one too large to accept.
      const side = rng.pick([16, 300, 513, 700, 1024, 1025, 4096]);
      const other = rng.chance(0.5) ? side : rng.pick([64, 512, 1024]);
      if (side * other > 1100 * 1100) return { label: 'png-too-large', bytes: writePng([ihdr(side, other), { type: 'IDAT', data: zlibSync(new Uint8Array(1000)) }, end]) };
      return { label: 'png-resized', bytes: writePng([ihdr(side, other), rgbaIdat(side, other, rng), end]) };
    }
    case 5: {
      // An unknown critical chunk, or chunks out of order.
      if (rng.chance(0.5)) return { label: 'png-unknown-critical', bytes: writePng([head, { type: 'ABCD', data: new Uint8Array(4) }, ...idats, end]) };
      return { label: 'png-chunk-order', bytes: writePng([...idats, head, end]) };
    }
    case 6:
      return { label: 'png-no-iend', bytes: writePng([head, ...idats]) };
    case 7: {
      // A chunk's data changed with its CRC fixed.
      const i = rng.int(chunks.length);
      const changed = chunks.map((c, j) => (j === i ? { type: c.type, data: c.data.length ? flipBits(c.data, rng, 1 + rng.int(4)) : c.data } : c));
      return { label: 'png-chunk-bits', bytes: writePng(changed) };
    }
    default:
      return { label: 'png-length-field', bytes: overwriteRun(png, rng) };
  }
}

// ---- yaml ----

function yamlMutation(rng: Rng): { label: string; bytes: Uint8Array } {
  const good = (img = 'character.png', face = 'face_morpher.pt', body = 'body_morpher.pt'): string =>
    `character_image_file_name: ${img}\nface_morpher_file_name: ${face}\nbody_morpher_file_name: ${body}\n`;
  switch (rng.int(8)) {
    case 0: {
      const bad = rng.pick(['../character.png', '/etc/passwd', 'C:\\x.png', 'https://example.com/x.png', '..\\..\\x', 'a/../../b', './', '"a\\0b"', 'sub/../character.png']);
      const which = rng.int(3);
      return { label: 'yaml-path', bytes: enc.encode(good(which === 0 ? bad : undefined, which === 1 ? bad : undefined, which === 2 ? bad : undefined)) };
    }
    case 1: {
      // Billion laughs.
      let s = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
      for (let i = 1; i < 9; i++) s += `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]\n`;
      return { label: 'yaml-aliases', bytes: enc.encode(s + good()) };
    }
    case 2:
      return { label: 'yaml-deep', bytes: enc.encode('x: ' + '['.repeat(2000 + rng.int(20000)) + '\n' + good()) };
    case 3:
      return { label: 'yaml-swap', bytes: enc.encode(rng.chance(0.5) ? good('character.png', 'body_morpher.pt', 'face_morpher.pt') : good('face_morpher.pt', 'face_morpher.pt', 'body_morpher.pt')) };
    case 4:
      return { label: 'yaml-types', bytes: enc.encode(rng.pick(['[]', '42', 'null', '', 'character_image_file_name: 5\n', '"\\xff"', good().replace('face_morpher_file_name', 'face'), good() + good()])) };
    case 5:
      return { label: 'yaml-huge', bytes: enc.encode(good() + '#'.repeat(rng.pick([1000, 70_000, 2_000_000]))) };
    case 6:
      return { label: 'yaml-alias-value', bytes: enc.encode(`x: &p character.png\ncharacter_image_file_name: *p\nface_morpher_file_name: face_morpher.pt\nbody_morpher_file_name: body_morpher.pt\n`) };
    default:
      return { label: 'yaml-bitflip', bytes: flipBits(enc.encode(good()), rng, 1 + rng.int(3)) };
  }
}

// ---- several sets, zip bombs, the whole upload ----

function uploadAsZip(files: CharacterFiles, rng: Rng, label: string): FuzzCase {
  const folder = rng.chance(0.5) ? 'chara/' : '';
  return { mutation: label, input: { kind: 'zip', bytes: zipOf(files, rng, folder), fileName: 'chara.zip' } };
}

function upload(files: CharacterFiles, rng: Rng, label: string): FuzzCase {
  if (rng.chance(0.5)) return uploadAsZip(files, rng, label);
  return { mutation: label, input: { kind: 'folder', files: rng.chance(0.5) ? prefixed(files, 'chara/') : files } };
}

function severalSets(base: FuzzBase, rng: Rng): FuzzCase {
  const [a, b] = [base.characters[0], base.characters[base.characters.length - 1]];
  const broken = clone(b);
  broken.set('body_morpher.pt', truncate(broken.get('body_morpher.pt') as Uint8Array, rng));
  const second = rng.chance(0.5) ? broken : b;
  const layouts: [string, CharacterFiles][] = [
    ['sets-root-and-sub', new Map([...a, ...prefixed(second, 'other/')])],
    ['sets-two-subfolders', new Map([...prefixed(a, 'one/'), ...prefixed(second, 'two/')])],
    ['sets-macosx-copy', new Map([...prefixed(a, 'c/'), ...prefixed(second, '__MACOSX/c/')])],
    ['sets-nested-deeper', new Map([...prefixed(a, 'c/'), ...prefixed(second, 'c/old/')])],
    ['sets-duplicate-names', new Map([...prefixed(a, 'c/'), ['c//body_morpher.pt', second.get('body_morpher.pt') as Uint8Array]])],
  ];
  const [label, files] = rng.pick(layouts);
  if (rng.chance(0.5)) return { mutation: label, input: { kind: 'folder', files } };
  return { mutation: label, input: { kind: 'zip', bytes: zipOf(files, rng), fileName: 'sets.zip' } };
}

function outerZipMutation(base: FuzzBase, files: CharacterFiles, rng: Rng): FuzzCase {
  const folder = rng.chance(0.5) ? 'c/' : '';
  const entries = [...files].map(([k, v]) => deflatedEntry(folder + k, v, 1));
  const as = (label: string, bytes: Uint8Array): FuzzCase => ({ mutation: label, input: { kind: 'zip', bytes, fileName: 'c.zip' } });
  switch (rng.int(7)) {
    case 0:
      return as('zip-structure', damageZipStructure(writeZip(entries), rng));
    case 1: {
      // zip64 sizes: honest, impossible, or pointing past the file.
      const i = rng.int(entries.length);
      const e = entries[i];
      const mode = rng.int(3);
      const size = mode === 0 ? e.size : mode === 1 ? 2 ** 40 + rng.int(1000) : 2 ** 53 + 2 ** 20;
      const compressedSize = mode === 2 ? 2 ** 45 : e.data.length;
      entries[i] = { ...e, zip64: { size, compressedSize } };
      return as(`zip64-sizes-${['honest', 'huge', 'impossible'][mode]}`, writeZip(entries, rng.chance(0.5) ? { zip64End: { count: entries.length } } : {}));
    }
    case 2: {
      const count = rng.pick([entries.length, 5000, 2 ** 32, 2 ** 60]);
      return as(`zip64-end-count`, writeZip(entries, { zip64End: { count } }));
    }
    case 3: {
      // An unrelated bomb entry (never read), or a needed file replaced by one.
      if (rng.chance(0.5)) {
        entries.push({ name: `${folder}junk.bin`, data: base.zeroBomb, method: 8, crc: 0, size: base.zeroBombSize });
        return as('zip-bomb-unrelated', writeZip(entries));
      }
      const i = rng.int(entries.length);
      entries[i] = { ...entries[i], data: base.zeroBomb, size: rng.chance(0.5) ? entries[i].size : base.zeroBombSize, crc: entries[i].crc };
      return as('zip-bomb-needed', writeZip(entries));
    }
    case 4: {
      // Unknown compression method: unrelated (ignored) or needed (refused).
      if (rng.chance(0.5)) {
        entries.push({ name: `${folder}readme.txt`, data: enc.encode('x'.repeat(100)), method: rng.pick([1, 9, 12, 14, 93, 99]), crc: 0, size: 1 << 30 });
        return as('zip-unknown-method-unrelated', writeZip(entries));
      }
      const i = rng.int(entries.length);
      entries[i] = { ...entries[i], method: rng.pick([1, 9, 12, 14, 93, 99]) };
      return as('zip-unknown-method-needed', writeZip(entries));
    }
    case 5: {
      // Many entries.
      const n = rng.pick([100, 4000, 5000, 20000]);
      for (let i = 0; i < n; i++) entries.push(storedEntry(`${folder}pad/${i}`, new Uint8Array(0)));
      return as('zip-many-entries', writeZip(entries));
    }
    default: {
      // Traversal names and a junk folder.
      entries.push(storedEntry(`../${folder}character_model.yaml`, files.get(YAML) as Uint8Array));
      entries.push(storedEntry('/etc/passwd', enc.encode('root')));
      return as('zip-traversal-names', writeZip(entries));
    }
  }
}

/** The `index`-th input of `seed`: deterministic. */
export function makeCase(base: FuzzBase, seed: number, index: number): FuzzCase {
  const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const ci = rng.int(base.characters.length);
  const files = clone(base.characters[ci]);
  const r = rng.int(100);
  if (r < 6) return upload(files, rng, 'unchanged');
  if (r < 18) {
    // Bit flips, truncation or a damaged run in one file.
    const name = rng.pick([...files.keys()]);
    const how = rng.int(3);
    const bytes = files.get(name) as Uint8Array;
    files.set(name, how === 0 ? flipBits(bytes, rng, 1 + rng.int(16)) : how === 1 ? truncate(bytes, rng) : overwriteRun(bytes, rng));
    return upload(files, rng, `file-${['bitflip', 'truncate', 'overwrite'][how]}`);
  }
  if (r < 26) {
    // The whole zip upload damaged.
    const zip = zipOf(files, rng, rng.chance(0.5) ? 'c/' : '');
    const how = rng.int(3);
    const bytes = how === 0 ? flipBits(zip, rng, 1 + rng.int(16)) : how === 1 ? truncate(zip, rng) : overwriteRun(zip, rng);
    return { mutation: `zip-${['bitflip', 'truncate', 'overwrite'][how]}`, input: { kind: 'zip', bytes, fileName: 'c.zip' } };
  }
  if (r < 46) {
    const file = rng.pick(['face_morpher.pt', 'body_morpher.pt']);
    const { label, bytes } = checkpointMutation(base, ci, file, rng);
    files.set(file, bytes);
    return upload(files, rng, label);
  }
  if (r < 64) {
    const { label, bytes } = pngMutation(files.get('character.png') as Uint8Array, base, rng);
    files.set('character.png', bytes);
    return upload(files, rng, label);
  }
  if (r < 74) {
    const { label, bytes } = yamlMutation(rng);
    files.set(YAML, bytes);
    return upload(files, rng, label);
  }
  if (r < 82) return severalSets(base, rng);
  return outerZipMutation(base, files, rng);
}
