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
  importCharacterImage,
  encodeCharacterImage,
  toCharacterSize,
  type RgbaImage,
} from './image';
export { resizeLikeTha4 } from './pillow-resize';
export { parseCharacterModelYaml, CHARACTER_MODEL_YAML, type CharacterModelFiles } from './character-model-yaml';
export {
  importCharacter,
  importCharacterZip,
  loadCharacter,
  loadCharacterZip,
  normalizeKey,
  type ImportedCharacter,
  type LoadedCharacter,
} from './load-character';
export * from './sample-catalog';
export * from './limits';
