import { CharacterFormatError } from './errors';
import { MAX_FILE_BYTES, formatBytes } from './limits';

/** Rejects empty and oversized files before any parsing work is done. */
export function checkFileSize(bytes: Uint8Array, file: string, max = MAX_FILE_BYTES): void {
  if (bytes.length === 0) {
    throw new CharacterFormatError('empty-file', file, 'the file is empty (0 bytes)');
  }
  if (bytes.length > max) {
    throw new CharacterFormatError(
      'too-large',
      file,
      `the file is ${formatBytes(bytes.length)}, more than the ${formatBytes(max)} allowed`,
    );
  }
}
