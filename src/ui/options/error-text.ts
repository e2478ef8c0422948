/** Specific, user-facing text for library errors (the reader's and downloader's messages name the file). */
import { CharacterFormatError, SampleDownloadError } from '../../core/character';

/** `action` completes "Could not …", e.g. "import the chosen files". */
export function libraryErrorText(e: unknown, action: string): string {
  if (e instanceof CharacterFormatError) {
    return `Could not ${action}: it is not a usable THA4 character. ${e.message}. Nothing was added.`;
  }
  if (e instanceof SampleDownloadError) {
    if (e.code === 'hash-mismatch') {
      return `Download check failed for ${e.file}: the file is not the published sample, so nothing was added. ${e.message}`;
    }
    return `Could not ${action}: ${e.message}. Nothing was added.`;
  }
  return `Could not ${action}: ${e instanceof Error ? e.message : String(e)}`;
}
