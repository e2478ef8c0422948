/**
 * Loads a THA4 student character from a folder upload (path -> bytes) or from a zip of that
 * folder, validating every file. Nothing here touches the file system or the network.
 *
 * One path for import and for every later load: the files a character is built from are exactly
 * the files `importCharacter*` returns for storing, so what is validated is what is stored.
 */
import { BODY_MORPHER, FACE_MORPHER } from './architecture';
import { CHARACTER_MODEL_YAML, parseCharacterModelYaml } from './character-model-yaml';
import { readStateDict } from './checkpoint';
import { CharacterFormatError } from './errors';
import { checkFileSize } from './file-size';
import { encodeCharacterImage, importCharacterImage, type RgbaImage } from './image';
import { MAX_FOLDER_FILES, MAX_ZIP_BYTES } from './limits';
import type { StateDict } from './tensor';
import { ZipReader, isZip, type ZipEntry } from './zip-reader';

export interface LoadedCharacter {
  name: string;
  /** The character image at 512x512, straight alpha. */
  image: RgbaImage;
  /** 4x512x512 CHW float32, premultiplied linear in [-1, 1] (THA4's poser input). */
  imageTensor: Float32Array;
  face: StateDict;
  body: StateDict;
}

export interface ImportedCharacter {
  character: LoadedCharacter;
  /**
   * character_model.yaml and the three files it names, relative to the character folder, as they
   * should be stored: the very bytes the character above was built from (the image as its checked
   * 512x512 PNG). `loadCharacter(files)` builds the same character again.
   */
  files: Map<string, Uint8Array>;
}

const DEFAULT_NAME = 'character';

/** Folder-relative path as a '/'-separated key without './' or a leading '/'. */
export function normalizeKey(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

/** Junk some zip tools add; never part of a character. */
function isJunk(path: string): boolean {
  return path.startsWith('__MACOSX/') || path.split('/').some((p) => p.startsWith('._'));
}

/**
 * The folder holding character_model.yaml: the root, or a single folder one level down (so a
 * folder upload or zip that includes the folder itself also works). Returns '' or 'name/'.
 * More than one candidate is refused rather than guessed.
 */
function findCharacterRoot(paths: Iterable<string>, where: string): string {
  const candidates: string[] = [];
  for (const p of paths) {
    if (isJunk(p)) continue;
    if (p === CHARACTER_MODEL_YAML) candidates.push('');
    const parts = p.split('/');
    if (parts.length === 2 && parts[1] === CHARACTER_MODEL_YAML && parts[0] !== '..') candidates.push(`${parts[0]}/`);
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new CharacterFormatError(
      'missing-file',
      where,
      `no ${CHARACTER_MODEL_YAML} found (choose the character folder written by the THA4 distiller, ` +
        'or a zip of it)',
    );
  }
  const named = candidates.map((c) => `${c}${CHARACTER_MODEL_YAML}`);
  throw new CharacterFormatError(
    'ambiguous-folder',
    where,
    `holds ${candidates.length} characters (${named.join(', ')}); choose one character folder`,
  );
}

function folderName(root: string): string | undefined {
  return root ? root.slice(0, -1) : undefined;
}

/** Validates a folder upload and returns the character with the files to store for it. */
export function importCharacter(files: Map<string, Uint8Array>, name?: string): ImportedCharacter {
  const where = 'the chosen folder';
  if (files.size > MAX_FOLDER_FILES) {
    throw new CharacterFormatError('too-many-entries', where, `holds ${files.size} files, more than the ${MAX_FOLDER_FILES} allowed`);
  }
  const byPath = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) {
    const key = normalizeKey(path);
    if (byPath.has(key)) throw new CharacterFormatError('ambiguous-folder', where, `holds two files named '${key}'`);
    byPath.set(key, bytes);
  }
  const root = findCharacterRoot(byPath.keys(), where);
  return assemble((path) => byPath.get(root + path), (path) => root + path, name ?? folderName(root) ?? DEFAULT_NAME);
}

/** Loads from the files of a character folder (as stored, or as uploaded); `name` defaults to the folder name. */
export function loadCharacter(files: Map<string, Uint8Array>, name?: string): LoadedCharacter {
  return importCharacter(files, name).character;
}

/** Validates a .zip of a character folder (at the zip root or one level deep), reading only the files the character needs. */
export function importCharacterZip(bytes: Uint8Array, fileName: string): ImportedCharacter {
  checkFileSize(bytes, fileName, MAX_ZIP_BYTES);
  if (!isZip(bytes)) throw new CharacterFormatError('not-zip', fileName, 'not a zip archive');
  const zip = new ZipReader(bytes, fileName);
  const byPath = new Map<string, ZipEntry>();
  for (const entry of zip.entries) {
    if (entry.rawName.endsWith('/')) continue; // a folder
    const key = normalizeKey(entry.rawName);
    if (byPath.has(key)) throw new CharacterFormatError('bad-zip', fileName, `the zip archive holds '${key}' twice`);
    byPath.set(key, entry);
  }
  const root = findCharacterRoot(byPath.keys(), fileName);
  const display = (path: string): string => `${fileName}/${root}${path}`;
  const read = (path: string): Uint8Array | undefined => {
    const entry = byPath.get(root + path);
    return entry ? zip.read(entry, display(path)) : undefined;
  };
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.zip$/i, '');
  return assemble(read, display, folderName(root) ?? (stem || DEFAULT_NAME));
}

/** Loads from a .zip of a character folder (the folder may be at the zip root or one level deep). */
export function loadCharacterZip(bytes: Uint8Array, fileName: string): LoadedCharacter {
  return importCharacterZip(bytes, fileName).character;
}

function assemble(
  read: (path: string) => Uint8Array | undefined,
  display: (path: string) => string,
  name: string,
): ImportedCharacter {
  const require = (path: string, what: string): Uint8Array => {
    const bytes = read(path);
    if (!bytes) {
      throw new CharacterFormatError('missing-file', display(path), `the ${what} named in ${CHARACTER_MODEL_YAML} is missing`);
    }
    return bytes;
  };
  const yaml = require(CHARACTER_MODEL_YAML, 'character description');
  const model = parseCharacterModelYaml(yaml, display(CHARACTER_MODEL_YAML));
  const paths = [model.characterImage, model.faceMorpher, model.bodyMorpher];
  if (new Set([CHARACTER_MODEL_YAML, ...paths]).size !== 4) {
    throw new CharacterFormatError('bad-yaml', display(CHARACTER_MODEL_YAML), 'names the same file for two different parts of the character');
  }

  const imageFile = require(model.characterImage, 'character image');
  const { image, png } = importCharacterImage(imageFile, display(model.characterImage));

  // Shapes are checked against the architecture before any tensor is copied.
  const faceBytes = require(model.faceMorpher, 'face morpher');
  const face = readStateDict(faceBytes, display(model.faceMorpher), FACE_MORPHER);
  const bodyBytes = require(model.bodyMorpher, 'body morpher');
  const body = readStateDict(bodyBytes, display(model.bodyMorpher), BODY_MORPHER);

  const imageTensor = encodeCharacterImage(image.rgba, image.width, image.height);
  const files = new Map<string, Uint8Array>([
    [CHARACTER_MODEL_YAML, yaml],
    [model.characterImage, png],
    [model.faceMorpher, faceBytes],
    [model.bodyMorpher, bodyBytes],
  ]);
  return { character: { name, image, imageTensor, face, body }, files };
}
