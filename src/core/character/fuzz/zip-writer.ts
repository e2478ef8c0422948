/**
 * Writes zip archives entry by entry with every field under the caller's control (sizes, method,
 * CRC may lie), so the fuzzer can build the structures a normal zip tool never writes.
 */
import { deflateSync } from 'fflate';
import { crc32 } from '../crc32';

export interface RawZipEntry {
  name: string;
  /** The bytes as stored in the archive (already compressed for method 8). */
  data: Uint8Array;
  method: number;
  crc: number;
  size: number;
  /** Write sizes and offset as 0xffffffff with a zip64 extra field carrying these values. */
  zip64?: { size: number; compressedSize: number };
}

// The fuzzer zips the same sample files thousands of times: checksums and deflated data are
// remembered per buffer (inputs are never changed in place; mutations make new buffers).
const crcs = new WeakMap<Uint8Array, number>();
const deflated = new WeakMap<Uint8Array, Map<number, Uint8Array>>();

function crcOf(bytes: Uint8Array): number {
  let c = crcs.get(bytes);
  if (c === undefined) crcs.set(bytes, (c = crc32(bytes)));
  return c;
}

export function storedEntry(name: string, bytes: Uint8Array): RawZipEntry {
  return { name, data: bytes, method: 0, crc: crcOf(bytes), size: bytes.length };
}

export function deflatedEntry(name: string, bytes: Uint8Array, level: 0 | 1 | 6 | 9 = 6): RawZipEntry {
  let byLevel = deflated.get(bytes);
  if (!byLevel) deflated.set(bytes, (byLevel = new Map()));
  let data = byLevel.get(level);
  if (!data) byLevel.set(level, (data = deflateSync(bytes, { level })));
  return { name, data, method: 8, crc: crcOf(bytes), size: bytes.length };
}

export interface WriteZipOptions {
  /** Write a zip64 end record and locator, with this entry count and the real offsets. */
  zip64End?: { count: number };
  comment?: Uint8Array;
}

export function writeZip(entries: readonly RawZipEntry[], opts: WriteZipOptions = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const e of entries) {
    const name = enc.encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x800, true);
    lv.setUint16(8, e.method, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.zip64 ? 0xffffffff : e.data.length, true);
    lv.setUint32(22, e.zip64 ? 0xffffffff : e.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const extra = e.zip64 ? new Uint8Array(4 + 24) : new Uint8Array(0);
    if (e.zip64) {
      const ev = new DataView(extra.buffer);
      ev.setUint16(0, 1, true);
      ev.setUint16(2, 24, true);
      ev.setBigUint64(4, BigInt(e.zip64.size), true);
      ev.setBigUint64(12, BigInt(e.zip64.compressedSize), true);
      ev.setBigUint64(20, BigInt(offset), true);
    }
    const c = new Uint8Array(46 + name.length + extra.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.zip64 ? 0xffffffff : e.data.length, true);
    cv.setUint32(24, e.zip64 ? 0xffffffff : e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint32(42, e.zip64 ? 0xffffffff : offset, true);
    c.set(name, 46);
    c.set(extra, 46 + name.length);
    parts.push(local, e.data);
    central.push(c);
    offset += local.length + e.data.length;
  }
  const cdOffset = offset;
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  parts.push(...central);
  offset += cdSize;
  if (opts.zip64End) {
    const z = new Uint8Array(56 + 20);
    const zv = new DataView(z.buffer);
    zv.setUint32(0, 0x06064b50, true);
    zv.setBigUint64(4, 44n, true);
    zv.setUint16(12, 45, true);
    zv.setUint16(14, 45, true);
    zv.setBigUint64(24, BigInt(opts.zip64End.count), true);
    zv.setBigUint64(32, BigInt(opts.zip64End.count), true);
    zv.setBigUint64(40, BigInt(cdSize), true);
    zv.setBigUint64(48, BigInt(cdOffset), true);
    zv.setUint32(56, 0x07064b50, true);
    zv.setBigUint64(64, BigInt(offset), true);
    zv.setUint32(72, 1, true);
    parts.push(z);
  }
  const comment = opts.comment ?? new Uint8Array(0);
  const end = new Uint8Array(22 + comment.length);
  const dv = new DataView(end.buffer);
  dv.setUint32(0, 0x06054b50, true);
  const count = opts.zip64End ? 0xffff : entries.length;
  dv.setUint16(8, count, true);
  dv.setUint16(10, count, true);
  dv.setUint32(12, opts.zip64End ? 0xffffffff : cdSize, true);
  dv.setUint32(16, opts.zip64End ? 0xffffffff : cdOffset, true);
  dv.setUint16(20, comment.length, true);
  end.set(comment, 22);
  parts.push(end);
  return concatBytes(parts);
}

/** The parts, one after another. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
