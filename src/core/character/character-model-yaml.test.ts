import { describe, expect, it } from 'vitest';
import { parseCharacterModelYaml } from './character-model-yaml';
import { CharacterFormatError } from './errors';
import { SAMPLE_YAML } from './test-fixtures';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const yamlWith = (image: string): Uint8Array =>
  bytes(`character_image_file_name: ${JSON.stringify(image)}\nface_morpher_file_name: face_morpher.pt\nbody_morpher_file_name: body_morpher.pt\n`);

function errorOf(b: Uint8Array): CharacterFormatError {
  try {
    parseCharacterModelYaml(b);
  } catch (e) {
    expect(e).toBeInstanceOf(CharacterFormatError);
    return e as CharacterFormatError;
  }
  throw new Error('expected the yaml to be rejected');
}

describe('parseCharacterModelYaml', () => {
  it('reads the three file names of a distiller yaml', () => {
    expect(parseCharacterModelYaml(bytes(SAMPLE_YAML))).toEqual({
      characterImage: 'character.png',
      faceMorpher: 'face_morpher.pt',
      bodyMorpher: 'body_morpher.pt',
    });
  });

  it('normalizes harmless relative paths (./, sub/.., Windows separators) and ignores extra keys', () => {
    expect(parseCharacterModelYaml(yamlWith('./images/../character.png')).characterImage).toBe('character.png');
    expect(parseCharacterModelYaml(yamlWith('images\\character.png')).characterImage).toBe('images/character.png');
    expect(parseCharacterModelYaml(bytes(`${SAMPLE_YAML}note: hello\n`)).faceMorpher).toBe('face_morpher.pt');
  });

  it.each([
    ['../other/character.png', 'outside'],
    ['images/../../character.png', 'outside'],
    ['..\\..\\secret.png', 'outside'],
    ['/etc/passwd', 'absolute'],
    ['\\\\server\\share\\x.png', 'absolute'],
    ['C:\\Users\\me\\character.png', 'URL or a drive path'],
    ['https://example.com/character.png', 'URL'],
    ['file:///etc/passwd', 'URL'],
    ['.', 'does not name a file'],
  ])("rejects '%s' (path-escape)", (path, why) => {
    const err = errorOf(yamlWith(path));
    expect(err.code).toBe('path-escape');
    expect(err.file).toBe('character_model.yaml');
    expect(err.message).toContain('character_image_file_name');
    expect(err.message).toContain(why);
  });

  it('rejects a missing key, a non-string value, a non-mapping and invalid YAML', () => {
    expect(errorOf(bytes('character_image_file_name: a.png\nface_morpher_file_name: f.pt\n')).message).toContain(
      "the key 'body_morpher_file_name' is missing",
    );
    expect(errorOf(bytes('character_image_file_name: [a]\nface_morpher_file_name: f.pt\nbody_morpher_file_name: b.pt\n')).code).toBe('bad-yaml');
    expect(errorOf(bytes('- a\n- b\n')).code).toBe('bad-yaml');
    expect(errorOf(bytes('key: [unclosed\n')).code).toBe('bad-yaml');
    expect(errorOf(Uint8Array.from([0xff, 0xfe, 0x00])).code).toBe('bad-yaml');
  });

  it('rejects an empty yaml file', () => {
    expect(errorOf(new Uint8Array(0)).code).toBe('empty-file');
  });
});
