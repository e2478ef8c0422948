/**
 * Validates a character upload (folder files or a zip) with the character reader, and reduces it
 * to the four files a character needs, keyed relative to its folder — exactly the bytes the
 * reader built the character from, which the library stores and `loadCharacter` reads back later.
 */
import { importCharacter, importCharacterZip, type ImportedCharacter } from '../core/character';

export type ValidatedCharacter = ImportedCharacter;

/** Throws the reader's CharacterFormatError (naming the file) when anything is wrong. */
export function validateFolder(files: Map<string, Uint8Array>, name?: string): ValidatedCharacter {
  return importCharacter(files, name);
}

export function validateZip(bytes: Uint8Array, fileName: string): ValidatedCharacter {
  return importCharacterZip(bytes, fileName);
}
