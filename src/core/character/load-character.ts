/**
 * Loads a THA4 student character from a folder upload (path -> bytes) or from a zip of that
 * folder, validating every file. Nothing here touches the file system or the network.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { BODY_MORPHER, FACE_MORPHER, validateStateDict } from './architecture';
import { CHARACTER_MODEL_YAML, parseCharacterModelYaml } from './character-model-yaml';
import { isZip, readStateDict } from './checkpoint';
import { CharacterFormatError } from './errors';
import { checkFileSize } from './file-size';
import { decodeCharacterImage, encodeCharacterImage, type RgbaImage } from './image';
import { MAX_FILE_BYTES, MAX_ZIP_BYTES, formatBytes } from './limits';
import type { StateDict } from './tensor';

export interface LoadedCharacter {
  name: string;
  /** The character image at 512x512, straight alpha. */
  image: RgbaImage;
  /** 4x512x512 CHW float32, premultiplied linear in [-1, 1] (THA4's poser input). */
  imageTensor: Float32Array;
  face: StateDict;
  body: StateDict;
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
 */
function findCharacterRoot(paths: Iterable<string>, where: string): string {
  const candidates: string[] = [];
  for (const p of paths) {
    if (isJunk(p)) continue;
    if (p === CHARACTER_MODEL_YAML) return '';
    const parts = p.split('/');
    if (parts.length === 2 && parts[1] === CHARACTER_MODEL_YAML) candidates.push(`${parts[0]}/`);
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
  throw new CharacterFormatError(
    'ambiguous-folder',
    where,
    `holds ${candidates.length} characters (${candidates.join(', ')}); choose one character folder`,
  );
}

function folderName(root: string): string | undefined {
  return root ? root.slice(0, -1) : undefined;
}

/**
 * Loads from the files of a character folder; keys are paths relative to that folder (or to
 * its parent, for uploads that keep the folder name). `name` defaults to the folder name.
 */
export function loadCharacter(files: Map<string, Uint8Array>, name?: string): LoadedCharacter {
  const byPath = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) byPath.set(normalizeKey(path), bytes);
  const root = findCharacterRoot(byPath.keys(), 'the chosen folder');
  const read = (path: string): Uint8Array | undefined => byPath.get(root + path);
  return assemble(read, (path) => root + path, name ?? folderName(root) ?? DEFAULT_NAME);
}

/** Loads from a .zip of a character folder (the folder may be at the zip root or one level deep). */
export function loadCharacterZip(bytes: Uint8Array, fileName: string): LoadedCharacter {
  checkFileSize(bytes, fileName, MAX_ZIP_BYTES);
  if (!isZip(bytes)) throw new CharacterFormatError('not-zip', fileName, 'not a zip archive');
  const unzip = (want: (path: string, info: UnzipFileInfo) => boolean): Map<string, Uint8Array> => {
    try {
      const out = unzipSync(bytes, { filter: (info) => want(normalizeKey(info.name), info) });
      return new Map(Object.entries(out).map(([k, v]) => [normalizeKey(k), v]));
    } catch (e) {
      if (e instanceof CharacterFormatError) throw e;
      throw new CharacterFormatError('truncated', fileName, 'the zip archive is damaged or incomplete');
    }
  };

  // First pass lists names only; second pass inflates just the files the yaml names.
  const names: string[] = [];
  unzip((path) => {
    names.push(path);
    return false;
  });
  const root = findCharacterRoot(names, fileName);
  const display = (path: string): string => `${fileName}/${root}${path}`;
  const wanted = new Set<string>([root + CHARACTER_MODEL_YAML]);
  const yamlOnly = unzip((path) => wanted.has(path));
  const yamlBytes = yamlOnly.get(root + CHARACTER_MODEL_YAML) as Uint8Array;
  const model = parseCharacterModelYaml(yamlBytes, display(CHARACTER_MODEL_YAML));
  for (const p of [model.characterImage, model.faceMorpher, model.bodyMorpher]) wanted.add(root + p);
  const entries = unzip((path, info) => {
    if (!wanted.has(path)) return false;
    if (info.originalSize > MAX_FILE_BYTES) {
      throw new CharacterFormatError(
        'too-large',
        `${fileName}/${path}`,
        `the file is ${formatBytes(info.originalSize)}, more than the ${formatBytes(MAX_FILE_BYTES)} allowed`,
      );
    }
    return true;
  });
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.zip$/i, '');
  return assemble((path) => entries.get(root + path), display, folderName(root) ?? (stem || DEFAULT_NAME));
}

function assemble(
  read: (path: string) => Uint8Array | undefined,
  display: (path: string) => string,
  name: string,
): LoadedCharacter {
  const require = (path: string, what: string): Uint8Array => {
    const bytes = read(path);
    if (!bytes) {
      throw new CharacterFormatError('missing-file', display(path), `the ${what} named in ${CHARACTER_MODEL_YAML} is missing`);
    }
    return bytes;
  };
  const model = parseCharacterModelYaml(require(CHARACTER_MODEL_YAML, 'character description'), display(CHARACTER_MODEL_YAML));

  const image = decodeCharacterImage(require(model.characterImage, 'character image'), display(model.characterImage));
  const imageTensor = encodeCharacterImage(image.rgba, image.width, image.height);

  const faceFile = display(model.faceMorpher);
  const face = readStateDict(require(model.faceMorpher, 'face morpher'), faceFile);
  validateStateDict(face, FACE_MORPHER, faceFile);

  const bodyFile = display(model.bodyMorpher);
  const body = readStateDict(require(model.bodyMorpher, 'body morpher'), bodyFile);
  validateStateDict(body, BODY_MORPHER, bodyFile);

  return { name, image, imageTensor, face, body };
}
