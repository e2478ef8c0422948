import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../scripts/lib/shared-path';
import { SampleDownloadError } from './errors';
import { loadCharacter } from './load-character';
import {
  DEFAULT_SAMPLE_BASE_URL,
  SAMPLE_CHARACTERS,
  SAMPLE_IDS,
  downloadSample,
  sampleFileUrl,
  sha256Hex,
  type DownloadProgress,
  type SampleId,
} from './sample-catalog';

const tha4 = join(requireSharedDir(), 'tha4');

/**
 * Serves the shared tha4 folder:
 *   /ok/<id>/<file>      the real files
 *   /corrupt/<id>/<file> the real files with one byte of character.png changed
 *   /missing/...         404
 */
let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    const [, mode, ...rest] = url.split('/');
    const rel = normalize(rest.join('/'));
    if ((mode !== 'ok' && mode !== 'corrupt') || rel.startsWith('..')) {
      res.writeHead(404).end('not found');
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(join(tha4, rel));
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    if (mode === 'corrupt' && rel.endsWith('character.png')) {
      body = Buffer.from(body);
      body[body.length - 100] ^= 0x01;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(promise: Promise<unknown>): Promise<SampleDownloadError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SampleDownloadError);
    return e as SampleDownloadError;
  }
  throw new Error('expected the download to fail');
}

describe('sample catalog', () => {
  it('lists both samples with license and attribution', () => {
    expect(SAMPLE_IDS).toEqual(['lambda_00', 'lambda_01']);
    for (const id of SAMPLE_IDS) {
      const s = SAMPLE_CHARACTERS[id];
      expect(s.license).toBe('CC BY-NC 4.0');
      expect(s.licenseUrl).toBe('https://creativecommons.org/licenses/by-nc/4.0/');
      expect(s.attribution).toContain('garun');
      expect(s.attribution).toContain('Pramook Khungurn');
      expect(s.attribution).toContain(s.licenseUrl);
      expect(s.files.map((f) => f.path).sort()).toEqual(
        ['body_morpher.pt', 'character.png', 'character_model.yaml', 'face_morpher.pt'],
      );
    }
  });

  it('pins hashes and sizes that match the published files', async () => {
    for (const id of SAMPLE_IDS) {
      for (const f of SAMPLE_CHARACTERS[id].files) {
        const bytes = new Uint8Array(readFileSync(join(tha4, id, f.path)));
        expect(bytes.length).toBe(f.size);
        expect(await sha256Hex(bytes)).toBe(f.sha256);
      }
    }
  });

  it('builds URLs under the pinned commit by default', () => {
    expect(sampleFileUrl('lambda_00', 'face_morpher.pt')).toBe(
      'https://raw.githubusercontent.com/pkhungurn/talking-head-anime-4-demo/320640116abd604de22d7b56faec85b4d95770e0/data/character_models/lambda_00/face_morpher.pt',
    );
    expect(DEFAULT_SAMPLE_BASE_URL.endsWith('/data/character_models/')).toBe(true);
    expect(sampleFileUrl('lambda_01', 'character.png', 'http://h/x')).toBe('http://h/x/lambda_01/character.png');
  });
});

describe('downloadSample over HTTP', () => {
  it.each(['lambda_00', 'lambda_01'] as SampleId[])('downloads, verifies and loads %s with progress', async (id) => {
    const progress: DownloadProgress[] = [];
    const files = await downloadSample(id, { baseUrl: `${origin}/ok/`, onProgress: (p) => progress.push({ ...p }) });
    expect([...files.keys()].sort()).toEqual(['body_morpher.pt', 'character.png', 'character_model.yaml', 'face_morpher.pt']);
    const total = SAMPLE_CHARACTERS[id].files.reduce((n, f) => n + f.size, 0);
    expect(progress.length).toBeGreaterThan(4);
    expect(progress.every((p) => p.bytesTotal === total)).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i].bytesDone).toBeGreaterThanOrEqual(progress[i - 1].bytesDone);
    expect(progress[progress.length - 1].bytesDone).toBe(total);
    const c = loadCharacter(files, id);
    expect(c.face.get('siren.sine_layers.0.linear.weight')?.shape).toEqual([128, 41, 1, 1]);
  });

  it('fails with hash-mismatch naming the file and URL when a byte differs', async () => {
    const err = await failure(downloadSample('lambda_00', { baseUrl: `${origin}/corrupt/` }));
    expect(err.code).toBe('hash-mismatch');
    expect(err.file).toBe('lambda_00/character.png');
    expect(err.url).toBe(`${origin}/corrupt/lambda_00/character.png`);
    expect(err.message).toContain('lambda_00/character.png: the downloaded file is not the expected one');
    expect(err.message).toContain(err.url);
  });

  it('fails with download-failed on HTTP 404', async () => {
    const err = await failure(downloadSample('lambda_01', { baseUrl: `${origin}/missing/` }));
    expect(err.code).toBe('download-failed');
    expect(err.file).toBe('lambda_01/character_model.yaml');
    expect(err.message).toContain('HTTP 404');
    expect(err.message).toContain(`${origin}/missing/lambda_01/character_model.yaml`);
  });

  it('fails with download-failed when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(downloadSample('lambda_00', { baseUrl: `http://127.0.0.1:${port}/` }));
    expect(err.code).toBe('download-failed');
  });

  it('uses the injected fetch and rejects unknown samples', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response('nope', { status: 500 });
    }) as typeof fetch;
    const err = await failure(downloadSample('lambda_00', { baseUrl: 'https://example.invalid/m/', fetch: fakeFetch }));
    expect(err.message).toContain('HTTP 500');
    expect(seen).toEqual(['https://example.invalid/m/lambda_00/character_model.yaml']);
    expect((await failure(downloadSample('nobody' as SampleId))).code).toBe('unknown-sample');
  });

  it('stops reading a response larger than the pinned size', async () => {
    const big = new Uint8Array(10_000);
    const fakeFetch = (async () => new Response(big)) as typeof fetch;
    const err = await failure(downloadSample('lambda_00', { fetch: fakeFetch }));
    expect(err.code).toBe('hash-mismatch');
    expect(err.file).toBe('lambda_00/character_model.yaml');
  });
});
