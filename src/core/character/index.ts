/** Public surface of the character format module. */
export type { Tensor, StateDict } from './tensor';
export { CharacterFormatError, SampleDownloadError } from './errors';
export type { CharacterFormatErrorCode, SampleDownloadErrorCode } from './errors';
export { readStateDict } from './checkpoint';
export * from './architecture';
export {
  CHARACTER_IMAGE_SIZE,
  decodeCharacterImage,
  decodeRgbaPng,
  encodeCharacterImage,
  toCharacterSize,
  type RgbaImage,
} from './image';
export { resizeLikeTha4 } from './pillow-resize';
export { parseCharacterModelYaml, CHARACTER_MODEL_YAML, type CharacterModelFiles } from './character-model-yaml';
export { loadCharacter, loadCharacterZip, normalizeKey, type LoadedCharacter } from './load-character';
export * from './sample-catalog';
export { MAX_FILE_BYTES, MAX_ZIP_BYTES, MAX_IMAGE_SIDE } from './limits';
