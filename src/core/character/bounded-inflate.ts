/**
 * DEFLATE / zlib decompression that stops as soon as the output passes a limit. Headers that
 * announce a size are never trusted: the bytes actually produced are counted while inflating,
 * in small input steps, so a bomb costs at most `limit` bytes and a proportionate time.
 */
import { Inflate } from 'fflate';
import { CharacterFormatError, type CharacterFormatErrorCode } from './errors';
import { formatBytes } from './limits';

/** Input step: one step of deflate input expands to at most about 1032x its size. */
const STEP = 16 * 1024;

export interface InflateFailure {
  file: string;
  /** What is being inflated, for messages ("the zip entry 'a/b'", "the image data"). */
  what: string;
}

/**
 * Inflates raw DEFLATE (`zlib` false) or a zlib stream. With `exact`, the output must be exactly
 * `limit` bytes; otherwise at most `limit`.
 */
export function inflateBounded(
  input: Uint8Array,
  limit: number,
  at: InflateFailure,
  opts: { zlib?: boolean; exact?: boolean; tooLargeCode?: CharacterFormatErrorCode } = {},
): Uint8Array {
  const out = new Uint8Array(limit);
  let size = 0;
  let ended = false;
  const tooLarge = (): CharacterFormatError =>
    new CharacterFormatError(
      opts.tooLargeCode ?? 'too-large',
      at.file,
      `${at.what} expands to more than ${formatBytes(limit)}${opts.exact ? ' (more than its header says)' : ''}`,
    );
  const inflater = new Inflate((chunk, final) => {
    if (size + chunk.length > limit) throw tooLarge();
    out.set(chunk, size);
    size += chunk.length;
    if (final) ended = true;
  });
  let body = input;
  if (opts.zlib) {
    // zlib wrapper: 2-byte header (deflate, no preset dictionary), 4-byte Adler-32 trailer (not checked; CRCs are).
    if (input.length < 6 || (input[0] & 0x0f) !== 8 || ((input[0] << 8) | input[1]) % 31 !== 0 || input[1] & 0x20) {
      throw new CharacterFormatError('truncated', at.file, `${at.what} is not a valid zlib stream`);
    }
    body = input.subarray(2);
  }
  try {
    if (body.length === 0) inflater.push(body, true);
    for (let pos = 0; pos < body.length; pos += STEP) {
      inflater.push(body.subarray(pos, Math.min(pos + STEP, body.length)), pos + STEP >= body.length);
      if (ended) break;
    }
  } catch (e) {
    if (e instanceof CharacterFormatError) throw e;
    throw new CharacterFormatError('truncated', at.file, `${at.what} is damaged or cut short (its compressed data is invalid)`);
  }
  if (opts.exact && size !== limit) {
    throw new CharacterFormatError('truncated', at.file, `${at.what} inflates to ${size} bytes, not the ${limit} its header says`);
  }
  return size === limit ? out : out.slice(0, size);
}
