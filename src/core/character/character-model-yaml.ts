/**
 * `character_model.yaml`: the three file names of a character, relative to the yaml's folder.
 * Paths are confined to that folder: a character file must never reach other files.
 */
import { parse } from 'yaml';
import { CharacterFormatError } from './errors';
import { checkFileSize } from './file-size';

export const CHARACTER_MODEL_YAML = 'character_model.yaml';

export interface CharacterModelFiles {
  /** Normalized paths inside the character folder ('/'-separated, no '.' or '..'). */
  characterImage: string;
  faceMorpher: string;
  bodyMorpher: string;
}

const KEYS = {
  characterImage: 'character_image_file_name',
  faceMorpher: 'face_morpher_file_name',
  bodyMorpher: 'body_morpher_file_name',
} as const;

/** The yaml is a few lines; anything large is not one. */
const MAX_YAML_BYTES = 64 * 1024;

export function parseCharacterModelYaml(bytes: Uint8Array, file = CHARACTER_MODEL_YAML): CharacterModelFiles {
  checkFileSize(bytes, file, MAX_YAML_BYTES);
  let doc: unknown;
  try {
    doc = parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new CharacterFormatError(
      'bad-yaml',
      file,
      `not valid YAML text (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new CharacterFormatError('bad-yaml', file, `expected a mapping with the keys ${Object.values(KEYS).join(', ')}`);
  }
  const record = doc as Record<string, unknown>;
  const result = {} as CharacterModelFiles;
  for (const [field, key] of Object.entries(KEYS) as [keyof CharacterModelFiles, string][]) {
    const value = record[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new CharacterFormatError(
        'bad-yaml',
        file,
        value === undefined ? `the key '${key}' is missing` : `the key '${key}' must be a file name`,
      );
    }
    result[field] = confinePath(value, key, file);
  }
  return result;
}

/**
 * Normalizes a relative path and proves it stays inside the folder. Backslashes count as
 * separators (THA4 on Windows writes them via os.path.relpath).
 */
export function confinePath(path: string, key: string, file: string): string {
  const escape = (why: string): CharacterFormatError =>
    new CharacterFormatError('path-escape', file, `'${key}' is '${path}', which ${why}; it must name a file inside the character folder`);
  if (path.includes('\0')) throw escape('contains a NUL character');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) throw escape('is a URL or a drive path');
  const unified = path.replace(/\\/g, '/');
  if (unified.startsWith('/')) throw escape('is an absolute path');
  const parts: string[] = [];
  for (const part of unified.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw escape('points outside the character folder');
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  if (parts.length === 0) throw escape('does not name a file');
  return parts.join('/');
}
