import { describe, expect, it } from 'vitest';
import { CharacterFormatError, loadCharacter } from '../core/character';
import { syntheticCharacterFiles, zipFolder } from '../core/character/test-fixtures';
import { validateFolder, validateZip } from './character-files';

const KEYS = ['body_morpher.pt', 'character.png', 'character_model.yaml', 'face_morpher.pt'];

describe('character uploads', () => {
  it('keeps only the four character files, relative to the folder, from a folder upload', () => {
    const files = new Map([...syntheticCharacterFiles()].map(([k, v]) => [`my_char/${k}`, v]));
    files.set('my_char/notes.txt', new Uint8Array([1, 2, 3]));
    const { character, files: kept } = validateFolder(files);
    expect(character.name).toBe('my_char');
    expect([...kept.keys()].sort()).toEqual(KEYS);
    // What is stored loads again on its own.
    expect(loadCharacter(kept).image.width).toBe(512);
  });

  it('does the same for a zip with the folder one level down', () => {
    const { character, files } = validateZip(zipFolder(syntheticCharacterFiles(), 'zipped'), 'zipped.zip');
    expect(character.name).toBe('zipped');
    expect([...files.keys()].sort()).toEqual(KEYS);
  });

  it('reports a broken file through the reader, naming it', () => {
    const files = syntheticCharacterFiles();
    files.set('face_morpher.pt', files.get('face_morpher.pt')!.subarray(0, 100));
    expect(() => validateFolder(files)).toThrow(CharacterFormatError);
    expect(() => validateFolder(files)).toThrow(/face_morpher\.pt/);
    expect(() => validateZip(new TextEncoder().encode('nope'), 'x.zip')).toThrow(/x\.zip: not a zip archive/);
  });
});
