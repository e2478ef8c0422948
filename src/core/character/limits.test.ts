/**
 * Each limit of the character reader, with a crafted input that crosses it: the reader must
 * answer with a CharacterFormatError naming the file, without inflating or copying the excess.
 */
import { deflateSync, zlibSync } from 'fflate';
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { validateFolder, validateZip } from '../../shared/character-files';
import { BODY_MORPHER, FACE_MORPHER } from './architecture';
import { crc32 } from './crc32';
import { CharacterFormatError } from './errors';
import { decodeRgbaPng } from './image';
import { loadCharacter } from './load-character';
import { readStateDict } from './checkpoint';
import { readTorchPickle } from './pickle';
import { deflatedEntry, storedEntry, writeZip, type RawZipEntry } from './fuzz/zip-writer';
import { architectureTensors, buildCheckpoint, rgbaPng, syntheticCharacterFiles } from './test-fixtures';

function errorOf(fn: () => unknown): CharacterFormatError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof CharacterFormatError)) throw new Error(`expected a CharacterFormatError, got ${String(e)}`);
    expect(e.message.startsWith(`${e.file}: `)).toBe(true);
    return e;
  }
  throw new Error('expected the input to be rejected');
}

const files = syntheticCharacterFiles();
const entriesOf = (f: Map<string, Uint8Array>, folder = ''): RawZipEntry[] => [...f].map(([k, v]) => deflatedEntry(folder + k, v, 1));

describe('zip limits', () => {
  it('stops inflating an entry that produces more than its header says (a bomb with a lying size)', () => {
    const entries = entriesOf(files);
    const i = entries.findIndex((e) => e.name === 'body_morpher.pt');
    // 40 MB of zeros, declared as the real body morpher's size.
    entries[i] = { ...entries[i], data: deflateSync(new Uint8Array(40 * 1024 * 1024), { level: 9 }) };
    const err = errorOf(() => validateZip(writeZip(entries), 'c.zip'));
    expect(err.file).toBe('c.zip/body_morpher.pt');
    expect(err.code).toBe('too-large');
  });

  it('refuses a zip64 size beyond the limit from the directory, before inflating', () => {
    const entries = entriesOf(files);
    const i = entries.findIndex((e) => e.name === 'face_morpher.pt');
    entries[i] = { ...entries[i], zip64: { size: 2 ** 40, compressedSize: entries[i].data.length } };
    const err = errorOf(() => validateZip(writeZip(entries, { zip64End: { count: entries.length } }), 'c.zip'));
    expect(err.file).toBe('c.zip/face_morpher.pt');
    expect(err.code).toBe('too-large');
  });

  it('refuses zip64 offsets and sizes that lie outside the file', () => {
    const entries = entriesOf(files);
    entries[0] = { ...entries[0], zip64: { size: entries[0].size, compressedSize: 2 ** 45 } };
    expect(errorOf(() => validateZip(writeZip(entries), 'c.zip')).file).toMatch(/^c\.zip/);
    expect(errorOf(() => validateZip(writeZip(entriesOf(files), { zip64End: { count: 2 ** 40 } }), 'c.zip')).code).toBe('too-many-entries');
  });

  it('ignores an unrelated entry with an unknown compression method, and refuses it in a needed file', () => {
    const entries = [...entriesOf(files), { name: 'notes.txt', data: new Uint8Array(100), method: 99, crc: 0, size: 1 << 30 }];
    expect(validateZip(writeZip(entries), 'c.zip').files.size).toBe(4);
    const needed = entriesOf(files).map((e) => (e.name === 'character.png' ? { ...e, method: 14 } : e));
    const err = errorOf(() => validateZip(writeZip(needed), 'c.zip'));
    expect([err.file, err.code]).toEqual(['c.zip/character.png', 'unsupported-zip']);
  });

  it('ignores an unrelated bomb entry (never unpacked)', () => {
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const entries = [...entriesOf(files), { name: 'junk.bin', data: bomb, method: 8, crc: 0, size: 64 * 1024 * 1024 }];
    expect(validateZip(writeZip(entries), 'c.zip').files.size).toBe(4);
  });

  it('refuses a zip listing more entries than allowed', () => {
    const entries = entriesOf(files);
    for (let i = 0; i < 5000; i++) entries.push(storedEntry(`pad/${i}`, new Uint8Array(0)));
    expect(errorOf(() => validateZip(writeZip(entries), 'c.zip')).code).toBe('too-many-entries');
  });

  it('refuses a needed file whose checksum does not match', () => {
    const entries = entriesOf(files).map((e) => (e.name === 'character_model.yaml' ? { ...e, crc: e.crc ^ 1 } : e));
    expect(errorOf(() => validateZip(writeZip(entries), 'c.zip')).file).toBe('c.zip/character_model.yaml');
  });
});

describe('one choice of files for validation and storage', () => {
  it('refuses a folder holding a character at its root and another one level down', () => {
    const two = new Map([...files, ...[...files].map(([k, v]) => [`other/${k}`, v] as const)]);
    expect(errorOf(() => validateFolder(two)).code).toBe('ambiguous-folder');
    expect(errorOf(() => validateZip(writeZip(entriesOf(two)), 'two.zip')).code).toBe('ambiguous-folder');
  });

  it('stores exactly the files it validated, whatever junk comes first in the upload', () => {
    // A '._' folder (macOS resource forks) listed first, holding a broken character.
    const junk = new Map([...files].map(([k, v]) => [`._c/${k}`, k.endsWith('.pt') ? v.subarray(0, 10) : v] as const));
    const upload = new Map([...junk, ...[...files].map(([k, v]) => [`c/${k}`, v] as const)]);
    const { character, files: kept } = validateFolder(upload);
    expect(kept.get('face_morpher.pt')).toEqual(files.get('face_morpher.pt'));
    expect(loadCharacter(kept).face.size).toBe(character.face.size);
  });

  it('refuses two files that are the same path once normalized', () => {
    const upload = new Map([...[...files].map(([k, v]) => [`c/${k}`, v] as const), ['c//face_morpher.pt', new Uint8Array(5)]]);
    expect(errorOf(() => validateFolder(upload)).code).toBe('ambiguous-folder');
  });
});

function pngWith(extra: { type: string; data: Uint8Array }[], base = rgbaPng(16, 16)): Uint8Array {
  // Insert chunks after IHDR (8 + 25 bytes), with correct CRCs.
  const parts = extra.map((c) => {
    const b = new Uint8Array(12 + c.data.length);
    const v = new DataView(b.buffer);
    v.setUint32(0, c.data.length);
    b.set(new TextEncoder().encode(c.type), 4);
    b.set(c.data, 8);
    v.setUint32(8 + c.data.length, crc32(b, 4, 8 + c.data.length));
    return b;
  });
  const out = new Uint8Array(base.length + parts.reduce((n, p) => n + p.length, 0));
  out.set(base.subarray(0, 33));
  let o = 33;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  out.set(base.subarray(33), o);
  return out;
}

describe('PNG limits', () => {
  it('refuses more chunks than allowed', () => {
    const many = Array.from({ length: 5000 }, () => ({ type: 'tEXt', data: new TextEncoder().encode('a\0b') }));
    const err = errorOf(() => decodeRgbaPng(pngWith(many), 'c.png'));
    expect([err.code, err.message.includes('chunks')]).toEqual(['bad-png', true]);
  });

  it('refuses an oversized colour profile (iCCP) without inflating it', () => {
    const profile = new Uint8Array(300 * 1024);
    profile.set(new TextEncoder().encode('icc\0\0'));
    profile.set(zlibSync(new Uint8Array(1000)), 5);
    const err = errorOf(() => decodeRgbaPng(pngWith([{ type: 'iCCP', data: profile }]), 'c.png'));
    expect(err.message).toContain('iCCP');
  });

  it('stops inflating image data past the bytes its size needs (a PNG bomb)', () => {
    const head = rgbaPng(16, 16).subarray(0, 33);
    const idat = zlibSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const png = pngWith([{ type: 'IDAT', data: idat }, { type: 'IEND', data: new Uint8Array(0) }], head);
    const err = errorOf(() => decodeRgbaPng(png, 'c.png'));
    expect([err.file, err.code]).toEqual(['c.png', 'too-large']);
  });

  it('refuses an image side over 1024 pixels', () => {
    expect(errorOf(() => decodeRgbaPng(rgbaPng(2048, 8), 'c.png')).message).toContain('2048x8');
  });

  it('stores the 512x512 image, so a larger one is decoded and scaled once, at import', () => {
    const upload = new Map(files);
    upload.set('character.png', rgbaPng(700, 600));
    const { files: kept } = validateFolder(upload);
    const stored = decode(kept.get('character.png') as Uint8Array);
    expect([stored.width, stored.height]).toEqual([512, 512]);
  });

  it('stores a 512x512 image without its ancillary chunks', () => {
    const upload = new Map(files);
    const text = { type: 'tEXt', data: new TextEncoder().encode('Comment\0hello') };
    upload.set('character.png', pngWith([text], rgbaPng(512, 512)));
    const kept = validateFolder(upload).files.get('character.png') as Uint8Array;
    expect(new TextDecoder('latin1').decode(kept)).not.toContain('Comment');
    expect(decode(kept).width).toBe(512);
  });
});

describe('pickle limits', () => {
  const program = (body: number[]): Uint8Array => Uint8Array.from([0x80, 2, ...body, 0x2e]);

  it('refuses a pickle larger than 1 MB', () => {
    const big = new Uint8Array(1100 * 1024).fill(0x4e); // NONE, NONE, ...
    big.set([0x80, 2]);
    expect(errorOf(() => readTorchPickle(big, 'f.pt')).code).toBe('pickle-limit');
  });

  it('refuses more instructions than allowed', () => {
    const body = [0x4e, ...Array.from({ length: 250_000 }, () => [0x4e, 0x30]).flat()];
    expect(errorOf(() => readTorchPickle(program(body), 'f.pt')).code).toBe('pickle-limit');
  });

  it('refuses deeply nested MARKs', () => {
    expect(errorOf(() => readTorchPickle(program(Array.from({ length: 100 }, () => 0x28)), 'f.pt')).code).toBe('pickle-limit');
  });

  it('refuses memo fan-out into a huge list (no stack overflow)', () => {
    const body = [0x5d, 0x71, 0, 0x5d, 0x28, ...Array.from({ length: 150_000 }, () => [0x68, 0]).flat(), 0x65];
    expect(errorOf(() => readTorchPickle(program(body), 'f.pt')).code).toBe('pickle-limit');
  });

  it('refuses filling too many memo slots', () => {
    const body = [0x4e, ...Array.from({ length: 60_000 }, (_, i) => [0x72, i & 0xff, (i >> 8) & 0xff, i >> 16, 0]).flat()];
    expect(errorOf(() => readTorchPickle(program(body), 'f.pt')).code).toBe('pickle-limit');
  });

  it('checks tensor names and shapes before reading any tensor data', () => {
    // Right names but one tensor with a huge shape whose data is missing: the shape is named, not the data.
    const tensors = architectureTensors(FACE_MORPHER);
    const pt = buildCheckpoint(tensors, { editStorages: (s) => s.delete('0') });
    expect(errorOf(() => readStateDict(pt, 'face.pt', FACE_MORPHER)).code).toBe('missing-file');
    const wrong = tensors.map((t, i) => (i === 0 ? { ...t, shape: [1 << 20, 41, 1, 1], storageNumel: 1, data: new Float32Array(1) } : t));
    const err = errorOf(() => readStateDict(buildCheckpoint(wrong), 'face.pt', FACE_MORPHER));
    expect(err.code).toBe('bad-shape');
    const other = errorOf(() => readStateDict(buildCheckpoint(architectureTensors(BODY_MORPHER)), 'face.pt', FACE_MORPHER));
    expect(other.code).toBe('missing-tensor');
  });
});

describe('the whole upload', () => {
  it('imports a valid zip and stores files that load again', () => {
    const { character, files: kept } = validateZip(writeZip(entriesOf(files, 'c/')), 'c.zip');
    expect(character.name).toBe('c');
    const again = loadCharacter(kept);
    expect(Buffer.compare(again.image.rgba, character.image.rgba)).toBe(0);
    expect(encode).toBeTypeOf('function');
  });
});
