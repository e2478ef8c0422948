import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFaceModelManifest, resolveFaceModel, sha256Of, type FaceModelManifest } from './face-model';
import { sharedDir } from './shared-path';

const shared = sharedDir();
const sharedModel = shared ? join(shared, 'models', 'face_landmarker.task') : null;
const haveModel = !!sharedModel && existsSync(sharedModel);

describe('face model manifest', () => {
  it('pins the official float16/1 file', () => {
    const m = readFaceModelManifest();
    expect(m).toMatchObject({
      fileName: 'face_landmarker.task',
      url: 'https://storage.googleapis.com/mediapipe-models/face_landmarker/face_landmarker/float16/1/face_landmarker.task',
      sha256: '64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff',
      size: 3758596,
      license: 'Apache-2.0',
    });
  });
});

describe.skipIf(!haveModel)('resolveFaceModel', () => {
  const manifest: FaceModelManifest = readFaceModelManifest();
  let tmp: string;
  let server: Server;
  let origin: string;
  let good: Buffer;
  let requests = 0;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'animecam-face-model-'));
    good = readFileSync(sharedModel!);
    // Same size, one byte flipped: only the hash can tell.
    const bad = Buffer.from(good);
    bad[bad.length >> 1] ^= 0xff;
    server = createServer((req, res) => {
      requests++;
      const body = req.url === '/good.task' ? good : req.url === '/bad.task' ? bad : null;
      if (!body) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((ok) => server?.close(ok));
    rmSync(tmp, { recursive: true, force: true });
  });

  const freshCache = () => mkdtempSync(join(tmp, 'cache-'));

  it('uses ANIMECAM_FACE_MODEL first', async () => {
    const file = await resolveFaceModel({ env: { ANIMECAM_FACE_MODEL: sharedModel! }, shared: null, cacheDir: freshCache() });
    expect(file).toBe(sharedModel);
  });

  it('uses the shared data folder when no path is given', async () => {
    expect(await resolveFaceModel({ env: {}, shared, cacheDir: freshCache() })).toBe(sharedModel);
  });

  it('fails naming the file when ANIMECAM_FACE_MODEL points nowhere', async () => {
    const missing = join(tmp, 'nope.task');
    await expect(resolveFaceModel({ env: { ANIMECAM_FACE_MODEL: missing }, shared, cacheDir: freshCache() })).rejects.toThrow(
      `Face model not found: ${missing}`,
    );
  });

  it('fails naming the file when a local copy is corrupt or truncated', async () => {
    const corrupt = join(tmp, 'corrupt.task');
    const bytes = Buffer.from(good);
    bytes[100] ^= 0x01;
    writeFileSync(corrupt, bytes);
    await expect(resolveFaceModel({ env: { ANIMECAM_FACE_MODEL: corrupt }, shared, cacheDir: freshCache() })).rejects.toThrow(
      new RegExp(`Face model ${corrupt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt.*SHA-256`),
    );
    const short = join(tmp, 'short.task');
    writeFileSync(short, good.subarray(0, 1000));
    await expect(resolveFaceModel({ env: { ANIMECAM_FACE_MODEL: short }, shared, cacheDir: freshCache() })).rejects.toThrow(
      `Face model ${short} is corrupt or the wrong file: 1000 bytes, expected 3758596`,
    );
  });

  it('downloads into the cache, verifies it, and reuses it without fetching again', async () => {
    const cacheDir = freshCache();
    const env = { ANIMECAM_FACE_MODEL_URL: `${origin}/good.task` };
    const before = requests;
    const file = await resolveFaceModel({ env, shared: null, cacheDir });
    expect(file.startsWith(cacheDir)).toBe(true);
    expect(sha256Of(readFileSync(file))).toBe(manifest.sha256);
    expect(requests - before).toBe(1);
    expect(await resolveFaceModel({ env, shared: null, cacheDir })).toBe(file);
    expect(requests - before).toBe(1);
  });

  it('replaces a damaged cache entry with a fresh download', async () => {
    const cacheDir = freshCache();
    const env = { ANIMECAM_FACE_MODEL_URL: `${origin}/good.task` };
    const file = await resolveFaceModel({ env, shared: null, cacheDir });
    writeFileSync(file, 'damaged');
    expect(await resolveFaceModel({ env, shared: null, cacheDir })).toBe(file);
    expect(sha256Of(readFileSync(file))).toBe(manifest.sha256);
  });

  it('rejects a corrupted download, naming the file and URL, and caches nothing', async () => {
    const cacheDir = freshCache();
    const url = `${origin}/bad.task`;
    const err = await resolveFaceModel({ env: { ANIMECAM_FACE_MODEL_URL: url }, shared: null, cacheDir }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`Downloaded face model face_landmarker.task from ${url} failed verification`);
    expect((err as Error).message).toContain('SHA-256');
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('reports a 404 clearly', async () => {
    const url = `${origin}/missing.task`;
    await expect(resolveFaceModel({ env: { ANIMECAM_FACE_MODEL_URL: url }, shared: null, cacheDir: freshCache() })).rejects.toThrow(
      `Could not download the face model face_landmarker.task from ${url}: HTTP 404`,
    );
  });

  it('reports an unreachable server clearly', async () => {
    // Port 9 (discard) on loopback is closed on these machines: the connection is refused.
    const url = 'http://127.0.0.1:9/face_landmarker.task';
    await expect(resolveFaceModel({ env: { ANIMECAM_FACE_MODEL_URL: url }, shared: null, cacheDir: freshCache() })).rejects.toThrow(
      `Could not download the face model face_landmarker.task from ${url}`,
    );
  });
});
