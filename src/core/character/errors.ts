/** Why a character file was rejected; stable strings so the UI can pick its own wording. */
export type CharacterFormatErrorCode =
  | 'empty-file'
  | 'too-large'
  | 'not-zip'
  | 'truncated'
  | 'bad-byteorder'
  | 'pickle-opcode'
  | 'pickle-global'
  | 'pickle-malformed'
  | 'not-state-dict'
  | 'missing-tensor'
  | 'unexpected-tensor'
  | 'bad-shape'
  | 'bad-layout'
  | 'bad-dtype'
  | 'bad-png'
  | 'bad-yaml'
  | 'path-escape'
  | 'missing-file'
  | 'ambiguous-folder'
  | 'bad-zip'
  | 'unsupported-zip'
  | 'bad-crc'
  | 'too-many-entries'
  | 'pickle-limit';

/**
 * A character folder (or one of its files) is not in the expected format.
 * `file` names the offending file as the user knows it (path inside the folder or zip);
 * the message starts with it and says in plain words what is wrong.
 */
export class CharacterFormatError extends Error {
  override readonly name = 'CharacterFormatError';

  constructor(
    readonly code: CharacterFormatErrorCode,
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export type SampleDownloadErrorCode = 'download-failed' | 'hash-mismatch' | 'unknown-sample';

/** Fetching a public sample character failed; names the file and the URL it came from. */
export class SampleDownloadError extends Error {
  override readonly name = 'SampleDownloadError';

  constructor(
    readonly code: SampleDownloadErrorCode,
    readonly file: string,
    readonly url: string,
    detail: string,
  ) {
    super(`${file}: ${detail} (${url})`);
  }
}
