/** Specific, user-facing text for library errors (the reader's and downloader's messages name the file). */
import { CharacterFormatError, SampleDownloadError } from '../../core/character';

export function importErrorText(e: unknown, what: string): string {
  if (e instanceof CharacterFormatError) return `${what} is not a usable THA4 character: ${e.message}. Nothing was added.`;
  if (e instanceof SampleDownloadError) {
    if (e.code === 'hash-mismatch') {
      return `Download check failed for ${e.file}: ${e.message}. The file is not the published sample, so nothing was added.`;
    }
    return `Could not download ${e.file}: ${e.message}. Nothing was added.`;
  }
  return `Could not add ${what}: ${e instanceof Error ? e.message : String(e)}. Nothing was added.`;
}
