/**
 * A strict, lazy zip reader for character folders and torch.save checkpoints. It lists the
 * central directory (bounded entry count, every offset and size checked against the file,
 * zip64 sizes included) and inflates only the entries asked for, counting the bytes actually
 * produced. Entries nobody asks for are never unpacked, whatever their compression method.
 */
import { inflateBounded } from './bounded-inflate';
import { crc32 } from './crc32';
import { CharacterFormatError } from './errors';
import { MAX_FILE_BYTES, MAX_ZIP_ENTRIES, MAX_ZIP_INFLATED_BYTES, formatBytes } from './limits';

export interface ZipEntry {
  /** The name as stored in the archive. */
  readonly rawName: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;
const STORED = 0;
const DEFLATE = 8;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface ZipReaderLimits {
  maxEntryBytes?: number;
  maxTotalBytes?: number;
}

export class ZipReader {
  readonly entries: readonly ZipEntry[];
  private readonly view: DataView;
  private inflated = 0;
  private readonly maxEntryBytes: number;
  private readonly maxTotalBytes: number;

  /** Parses the central directory; throws CharacterFormatError naming `file` on any damage. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    limits: ZipReaderLimits = {},
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.maxEntryBytes = limits.maxEntryBytes ?? MAX_FILE_BYTES;
    this.maxTotalBytes = limits.maxTotalBytes ?? MAX_ZIP_INFLATED_BYTES;
    this.entries = this.readCentralDirectory();
  }

  private damaged(why: string): CharacterFormatError {
    return new CharacterFormatError('truncated', this.file, `the zip archive is damaged or incomplete (${why})`);
  }

  private u16(at: number): number {
    if (at < 0 || at + 2 > this.bytes.length) throw this.damaged('a record runs past the end of the file');
    return this.view.getUint16(at, true);
  }

  private u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) throw this.damaged('a record runs past the end of the file');
    return this.view.getUint32(at, true);
  }

  private u64(at: number): number {
    if (at < 0 || at + 8 > this.bytes.length) throw this.damaged('a record runs past the end of the file');
    const v = this.view.getBigUint64(at, true);
    // Anything beyond the file itself is impossible for an offset and far past every size limit.
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.damaged('a zip64 size or offset is impossibly large');
    return Number(v);
  }

  private findEndRecord(): number {
    // The end record is 22 bytes plus a comment of at most 65535.
    const last = this.bytes.length - 22;
    const first = Math.max(0, last - 65535);
    for (let p = last; p >= first; p--) {
      if (this.bytes[p] === 0x50 && this.view.getUint32(p, true) === EOCD) return p;
    }
    throw this.damaged('no end of central directory record');
  }

  private readCentralDirectory(): ZipEntry[] {
    const end = this.findEndRecord();
    let count = this.u16(end + 10);
    let cdSize = this.u32(end + 12);
    let cdOffset = this.u32(end + 16);
    if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX) {
      const locator = end - 20;
      if (locator < 0 || this.u32(locator) !== ZIP64_LOCATOR) throw this.damaged('zip64 sizes without a zip64 locator');
      const z = this.u64(locator + 8);
      if (this.u32(z) !== ZIP64_EOCD) throw this.damaged('a bad zip64 end record');
      const count64 = this.u64(z + 32);
      if (count64 > MAX_ZIP_ENTRIES) throw this.tooManyEntries(count64);
      count = count64;
      cdSize = this.u64(z + 40);
      cdOffset = this.u64(z + 48);
    }
    if (count > MAX_ZIP_ENTRIES) throw this.tooManyEntries(count);
    if (cdOffset + cdSize > this.bytes.length) throw this.damaged('the central directory lies outside the file');
    const entries: ZipEntry[] = [];
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (this.u32(p) !== CENTRAL) throw this.damaged(`entry ${i} of the central directory is not where it should be`);
      const flags = this.u16(p + 8);
      const method = this.u16(p + 10);
      const crc = this.u32(p + 16);
      let compressedSize = this.u32(p + 20);
      let size = this.u32(p + 24);
      const nameLen = this.u16(p + 28);
      const extraLen = this.u16(p + 30);
      const commentLen = this.u16(p + 32);
      let localHeaderOffset = this.u32(p + 42);
      const nameStart = p + 46;
      const extraStart = nameStart + nameLen;
      const next = extraStart + extraLen + commentLen;
      if (next > cdOffset + cdSize) throw this.damaged('the central directory is cut short');
      const nameBytes = this.bytes.subarray(nameStart, extraStart);
      let rawName: string;
      try {
        rawName = flags & 0x800 ? utf8.decode(nameBytes) : latin1.decode(nameBytes);
      } catch {
        throw this.damaged(`entry ${i} has a name that is not valid UTF-8`);
      }
      if (size === U32_MAX || compressedSize === U32_MAX || localHeaderOffset === U32_MAX) {
        // Zip64 extended information: the 64-bit values, in this order, for fields set to 0xffffffff.
        let q = extraStart;
        let found = false;
        while (q + 4 <= extraStart + extraLen) {
          const id = this.u16(q);
          const len = this.u16(q + 2);
          const body = q + 4;
          if (body + len > extraStart + extraLen) break;
          if (id === 0x0001) {
            let r = body;
            const take = (): number => {
              if (r + 8 > body + len) throw this.damaged(`the zip64 sizes of '${rawName}' are cut short`);
              const v = this.u64(r);
              r += 8;
              return v;
            };
            if (size === U32_MAX) size = take();
            if (compressedSize === U32_MAX) compressedSize = take();
            if (localHeaderOffset === U32_MAX) localHeaderOffset = take();
            found = true;
            break;
          }
          q = body + len;
        }
        if (!found) throw this.damaged(`'${rawName}' announces zip64 sizes but has none`);
      }
      if (localHeaderOffset + 30 > this.bytes.length) throw this.damaged(`'${rawName}' starts outside the file`);
      entries.push({ rawName, method, flags, crc, compressedSize, size, localHeaderOffset });
      p = next;
    }
    return entries;
  }

  private tooManyEntries(n: number): CharacterFormatError {
    return new CharacterFormatError(
      'too-many-entries',
      this.file,
      `the zip archive lists ${n} entries, more than the ${MAX_ZIP_ENTRIES} allowed`,
    );
  }

  /** The entry's bytes, inflated within the limits and checked against its CRC-32. */
  read(entry: ZipEntry, display = `${this.file}/${entry.rawName}`): Uint8Array {
    if (entry.flags & 0x1) {
      throw new CharacterFormatError('unsupported-zip', display, 'the file is encrypted in the zip archive; zip it without a password');
    }
    if (entry.method !== STORED && entry.method !== DEFLATE) {
      throw new CharacterFormatError(
        'unsupported-zip',
        display,
        `the file uses zip compression method ${entry.method}; only stored and deflated files are supported`,
      );
    }
    if (entry.size > this.maxEntryBytes) {
      throw new CharacterFormatError(
        'too-large',
        display,
        `the file is ${formatBytes(entry.size)}, more than the ${formatBytes(this.maxEntryBytes)} allowed`,
      );
    }
    if (this.inflated + entry.size > this.maxTotalBytes) {
      throw new CharacterFormatError('too-large', display, `the zip archive expands to more than ${formatBytes(this.maxTotalBytes)}`);
    }
    const h = entry.localHeaderOffset;
    if (this.u32(h) !== LOCAL) throw this.damaged(`the local header of '${entry.rawName}' is missing`);
    const start = h + 30 + this.u16(h + 26) + this.u16(h + 28);
    const stop = start + entry.compressedSize;
    if (stop > this.bytes.length) throw this.damaged(`the data of '${entry.rawName}' runs past the end of the file`);
    const raw = this.bytes.subarray(start, stop);
    let data: Uint8Array;
    if (entry.method === STORED) {
      if (entry.compressedSize !== entry.size) throw this.damaged(`the stored file '${entry.rawName}' has two different sizes`);
      data = raw;
    } else {
      data = inflateBounded(raw, entry.size, { file: display, what: 'the file' }, { exact: true });
    }
    this.inflated += entry.size;
    if (crc32(data) !== entry.crc) {
      throw new CharacterFormatError('bad-crc', display, 'the file is damaged in the zip archive (its checksum does not match)');
    }
    return data;
  }
}

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}
