import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../scripts/lib/shared-path';
import { BODY_MORPHER, FACE_MORPHER } from './architecture';
import { CharacterFormatError } from './errors';
import { loadCharacter, loadCharacterZip, type LoadedCharacter } from './load-character';
import { MAX_FILE_BYTES } from './limits';
import { architectureTensors, buildCheckpoint, syntheticCharacterFiles, zipFolder } from './test-fixtures';

function readFolder(dir: string): Map<string, Uint8Array> {
  return new Map(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
}

function errorOf(fn: () => LoadedCharacter): CharacterFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CharacterFormatError);
    return e as CharacterFormatError;
  }
  throw new Error('expected the character to be rejected');
}

function checkSample(c: LoadedCharacter, name: string): void {
  expect(c.name).toBe(name);
  expect([c.image.width, c.image.height, c.image.rgba.length]).toEqual([512, 512, 512 * 512 * 4]);
  expect(c.imageTensor.length).toBe(4 * 512 * 512);
  expect([...c.face.keys()]).toEqual(FACE_MORPHER.tensors.map((t) => t.name));
  expect([...c.body.keys()]).toEqual(BODY_MORPHER.tensors.map((t) => t.name));
  expect(c.face.get('siren.sine_layers.0.linear.weight')?.shape).toEqual([128, 41, 1, 1]);
  expect(c.body.get('siren_layers.1.0.linear.weight')?.shape).toEqual([180, 227, 1, 1]);
}

describe('loadCharacter with the public samples', () => {
  const tha4 = join(requireSharedDir(), 'tha4');

  it.each(['lambda_00', 'lambda_01'])('loads %s from its folder files', (id) => {
    checkSample(loadCharacter(readFolder(join(tha4, id)), id), id);
  });

  it('loads a zip with the folder one level deep, naming the character after the folder', () => {
    const zip = zipFolder(readFolder(join(tha4, 'lambda_01')), 'lambda_01');
    const c = loadCharacterZip(zip, 'download.zip');
    checkSample(c, 'lambda_01');
    const raw = readFileSync(join(tha4, 'golden', 'input_lambda_01.f32'));
    const golden = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    let max = 0;
    for (let i = 0; i < golden.length; i++) max = Math.max(max, Math.abs(golden[i] - c.imageTensor[i]));
    expect(max).toBeLessThanOrEqual(1e-6);
  });

  it('loads a zip with the files at its root, naming the character after the zip', () => {
    const c = loadCharacterZip(zipFolder(readFolder(join(tha4, 'lambda_00'))), 'My Lambda.zip');
    checkSample(c, 'My Lambda');
  });
});

describe('loadCharacter with synthetic folders', () => {
  it('accepts a valid synthetic character and defaults the name', () => {
    const c = loadCharacter(syntheticCharacterFiles());
    expect(c.name).toBe('character');
    expect(c.face.size).toBe(18);
  });

  it('accepts an upload that keeps the folder name in its paths (and Windows separators)', () => {
    const files = new Map([...syntheticCharacterFiles()].map(([k, v]) => [`alice\\${k}`, v]));
    expect(loadCharacter(files).name).toBe('alice');
    expect(loadCharacter(files, 'Alice').name).toBe('Alice');
  });

  it('follows yaml paths into subfolders', () => {
    const files = syntheticCharacterFiles();
    files.set('models/face.pt', files.get('face_morpher.pt') as Uint8Array);
    files.delete('face_morpher.pt');
    files.set(
      'character_model.yaml',
      new TextEncoder().encode(
        'character_image_file_name: character.png\nface_morpher_file_name: models/face.pt\nbody_morpher_file_name: body_morpher.pt\n',
      ),
    );
    expect(loadCharacter(files).face.size).toBe(18);
  });

  it('rejects a yaml pointing outside its folder', () => {
    const files = syntheticCharacterFiles();
    files.set(
      'character_model.yaml',
      new TextEncoder().encode(
        'character_image_file_name: ../other/character.png\nface_morpher_file_name: face_morpher.pt\nbody_morpher_file_name: body_morpher.pt\n',
      ),
    );
    // Even when the target exists in the upload, it is outside the character folder.
    const err = errorOf(() => loadCharacter(new Map([...files].map(([k, v]) => [`alice/${k}`, v]))));
    expect(err.code).toBe('path-escape');
    expect(err.file).toBe('alice/character_model.yaml');
  });

  it('reports a missing yaml, a missing file and several candidate folders', () => {
    const noYaml = syntheticCharacterFiles();
    noYaml.delete('character_model.yaml');
    expect(errorOf(() => loadCharacter(noYaml)).code).toBe('missing-file');

    const noBody = syntheticCharacterFiles();
    noBody.delete('body_morpher.pt');
    const err = errorOf(() => loadCharacter(noBody));
    expect(err.code).toBe('missing-file');
    expect(err.file).toBe('body_morpher.pt');
    expect(err.message).toContain('body morpher named in character_model.yaml is missing');

    const two = new Map<string, Uint8Array>();
    for (const [k, v] of syntheticCharacterFiles()) {
      two.set(`a/${k}`, v);
      two.set(`b/${k}`, v);
    }
    expect(errorOf(() => loadCharacter(two)).code).toBe('ambiguous-folder');
  });

  it('names the failing file for each kind of bad content', () => {
    const cases: [string, Uint8Array, string][] = [
      ['face_morpher.pt', new Uint8Array(0), 'empty-file'],
      ['body_morpher.pt', new Uint8Array(MAX_FILE_BYTES + 1), 'too-large'],
      ['face_morpher.pt', new TextEncoder().encode('not a zip'), 'not-zip'],
      ['face_morpher.pt', buildCheckpoint(architectureTensors(FACE_MORPHER).slice(1)), 'missing-tensor'],
      [
        'body_morpher.pt',
        buildCheckpoint(architectureTensors(BODY_MORPHER).map((t, i) => (i === 0 ? { ...t, shape: [360, 46, 1, 1] } : t))),
        'bad-shape',
      ],
      [
        'face_morpher.pt',
        buildCheckpoint(architectureTensors(FACE_MORPHER).map((t, i) => (i === 3 ? { ...t, storageType: 'HalfStorage' } : t))),
        'bad-dtype',
      ],
      ['face_morpher.pt', buildCheckpoint(architectureTensors(BODY_MORPHER)), 'missing-tensor'],
      ['character.png', encode({ width: 2, height: 2, data: new Uint8Array(12), channels: 3, depth: 8 }), 'bad-png'],
    ];
    for (const [file, bytes, code] of cases) {
      const files = syntheticCharacterFiles();
      files.set(file, bytes);
      const err = errorOf(() => loadCharacter(files));
      expect([err.file, err.code]).toEqual([file, code]);
      expect(err.message.startsWith(`${file}: `)).toBe(true);
    }
  });
});

describe('loadCharacterZip', () => {
  it('names files inside the zip in errors', () => {
    const files = syntheticCharacterFiles();
    files.set('face_morpher.pt', new Uint8Array(0));
    const err = errorOf(() => loadCharacterZip(zipFolder(files, 'bob'), 'bob.zip'));
    expect(err.file).toBe('bob.zip/bob/face_morpher.pt');
    expect(err.code).toBe('empty-file');
  });

  it('ignores __MACOSX junk and unrelated files', () => {
    const files = syntheticCharacterFiles();
    files.set('__MACOSX/._character_model.yaml', new Uint8Array([0]));
    files.set('notes/readme.txt', new Uint8Array([1, 2, 3]));
    expect(loadCharacterZip(zipFolder(files), 'x.zip').face.size).toBe(18);
  });

  it('rejects a non-zip, a damaged zip, an empty file and a zip without a character', () => {
    expect(errorOf(() => loadCharacterZip(new TextEncoder().encode('hello'), 'x.zip')).code).toBe('not-zip');
    const zip = zipFolder(syntheticCharacterFiles());
    expect(errorOf(() => loadCharacterZip(zip.subarray(0, zip.length - 40), 'x.zip')).code).toBe('truncated');
    expect(errorOf(() => loadCharacterZip(new Uint8Array(0), 'x.zip')).code).toBe('empty-file');
    const err = errorOf(() => loadCharacterZip(zipSync({ 'a/b/character_model.yaml': new Uint8Array([1]) }), 'x.zip'));
    expect(err.code).toBe('missing-file');
    expect(err.file).toBe('x.zip');
  });

  it('rejects a zip entry that expands beyond the size limit without inflating it', () => {
    const files = syntheticCharacterFiles();
    files.set('body_morpher.pt', new Uint8Array(MAX_FILE_BYTES + 1)); // compresses to almost nothing
    const err = errorOf(() => loadCharacterZip(zipFolder(files), 'x.zip'));
    expect(err.code).toBe('too-large');
    expect(err.file).toBe('x.zip/body_morpher.pt');
  });
});
