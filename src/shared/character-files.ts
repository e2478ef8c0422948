/**
 * Validates a character upload (folder files or a zip) with the character reader, and reduces it
 * to the four files a character needs, keyed relative to its folder — exactly what the library
 * stores and what `loadCharacter(new Map(...))` reads back later.
 */
import { unzipSync } from 'fflate';
import {
  CHARACTER_MODEL_YAML,
  loadCharacter,
  loadCharacterZip,
  normalizeKey,
  parseCharacterModelYaml,
  type LoadedCharacter,
} from '../core/character';

export interface ValidatedCharacter {
  character: LoadedCharacter;
  /** character_model.yaml plus the three files it names, relative to the character folder. */
  files: Map<string, Uint8Array>;
}

/** Picks the validated folder's files; only called after the reader accepted the same input. */
function folderFiles(all: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const byPath = new Map<string, Uint8Array>();
  for (const [k, v] of all) byPath.set(normalizeKey(k), v);
  const yamlKey = [...byPath.keys()].find(
    (k) => !k.startsWith('__MACOSX/') && (k === CHARACTER_MODEL_YAML || (k.split('/').length === 2 && k.endsWith(`/${CHARACTER_MODEL_YAML}`))),
  );
  if (!yamlKey) throw new Error(`${CHARACTER_MODEL_YAML} vanished after validation`);
  const root = yamlKey.slice(0, yamlKey.length - CHARACTER_MODEL_YAML.length);
  const yaml = byPath.get(yamlKey) as Uint8Array;
  const model = parseCharacterModelYaml(yaml);
  const out = new Map<string, Uint8Array>([[CHARACTER_MODEL_YAML, yaml]]);
  for (const p of [model.characterImage, model.faceMorpher, model.bodyMorpher]) {
    const bytes = byPath.get(root + p);
    if (!bytes) throw new Error(`${p} vanished after validation`);
    out.set(p, bytes);
  }
  return out;
}

/** Throws the reader's CharacterFormatError (naming the file) when anything is wrong. */
export function validateFolder(files: Map<string, Uint8Array>, name?: string): ValidatedCharacter {
  const character = loadCharacter(files, name);
  return { character, files: folderFiles(files) };
}

export function validateZip(bytes: Uint8Array, fileName: string): ValidatedCharacter {
  const character = loadCharacterZip(bytes, fileName);
  const entries = unzipSync(bytes);
  return { character, files: folderFiles(new Map(Object.entries(entries))) };
}
