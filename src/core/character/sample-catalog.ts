/**
 * The two public THA4 sample characters, fetched from the THA4 demo repository at a pinned
 * commit and verified by SHA-256, so the extension never ships third-party data itself.
 */
import { SampleDownloadError } from './errors';

export const SAMPLE_REPOSITORY = 'pkhungurn/talking-head-anime-4-demo';
export const SAMPLE_COMMIT = '320640116abd604de22d7b56faec85b4d95770e0';
export const DEFAULT_SAMPLE_BASE_URL =
  `https://raw.githubusercontent.com/${SAMPLE_REPOSITORY}/${SAMPLE_COMMIT}/data/character_models/`;

export const SAMPLE_LICENSE = 'CC BY-NC 4.0';
export const SAMPLE_LICENSE_URL = 'https://creativecommons.org/licenses/by-nc/4.0/';

export type SampleId = 'lambda_00' | 'lambda_01';

export interface SampleFile {
  /** Path inside the character folder (also the key in the returned files Map). */
  path: string;
  size: number;
  sha256: string;
}

export interface SampleCharacter {
  id: SampleId;
  license: string;
  licenseUrl: string;
  /** Ready to show to users (the license requires attribution). */
  attribution: string;
  files: readonly SampleFile[];
}

function attribution(id: SampleId): string {
  return (
    `Character "${id}" drawn by garun (http://twitter.com/garunstudio), commissioned by Pramook Khungurn, ` +
    `who holds the copyright; image and trained model from ${SAMPLE_REPOSITORY}, licensed ${SAMPLE_LICENSE} ` +
    `(${SAMPLE_LICENSE_URL}). Non-commercial use only.`
  );
}

const YAML: SampleFile = {
  path: 'character_model.yaml',
  size: 122,
  sha256: 'a2dfad8d59e353931dc2f8333723385ec1710999ef0655490db7d462d20decb2',
};

export const SAMPLE_CHARACTERS: Readonly<Record<SampleId, SampleCharacter>> = {
  lambda_00: {
    id: 'lambda_00',
    license: SAMPLE_LICENSE,
    licenseUrl: SAMPLE_LICENSE_URL,
    attribution: attribution('lambda_00'),
    files: [
      YAML,
      { path: 'character.png', size: 110769, sha256: 'e4a594c801d3d586365b5cc0986dc5abc98dac98cced2517cc40cddafcc92abc' },
      { path: 'face_morpher.pt', size: 491887, sha256: '9c8914a7ab6c3a155785994ed82dc82ca49c6d91eb2f92c35ef806b6bb21b4c5' },
      { path: 'body_morpher.pt', size: 1332713, sha256: 'f9d06d0bd8b0344a0642e4e80bc81a6f227921f6724fd580904821dad7666a80' },
    ],
  },
  lambda_01: {
    id: 'lambda_01',
    license: SAMPLE_LICENSE,
    licenseUrl: SAMPLE_LICENSE_URL,
    attribution: attribution('lambda_01'),
    files: [
      YAML,
      { path: 'character.png', size: 113917, sha256: '31c905d9ceb4cd94b900593c1962c17d9633ef1c87b3b119b33d364d65949876' },
      { path: 'face_morpher.pt', size: 491887, sha256: '40f1430ed079c94fd1504438a0d77131f79a6d34996c63b0c5ee396f48b8354a' },
      { path: 'body_morpher.pt', size: 1332713, sha256: '45b863d93d9cbf87c7702c0b17dd1b8692888ec17508762d1fecc8d57a2d5cdc' },
    ],
  },
};

export const SAMPLE_IDS = Object.keys(SAMPLE_CHARACTERS) as SampleId[];

export interface DownloadProgress {
  bytesDone: number;
  bytesTotal: number;
  /** The file being fetched. */
  file: string;
}

export interface DownloadSampleOptions {
  /** Folder URL holding `<id>/<file>`; defaults to the pinned THA4 demo repository. */
  baseUrl?: string;
  fetch?: typeof fetch;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function sampleFileUrl(id: SampleId, path: string, baseUrl = DEFAULT_SAMPLE_BASE_URL): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(`${id}/${path}`, base).toString();
}

/**
 * Downloads every file of a sample, checks each against its pinned size and SHA-256, and
 * returns them as a Map ready for loadCharacter. Any HTTP error, network error or mismatch
 * throws a SampleDownloadError naming the file and URL; partial results are discarded.
 */
export async function downloadSample(id: SampleId, options: DownloadSampleOptions = {}): Promise<Map<string, Uint8Array>> {
  const sample = (SAMPLE_CHARACTERS as Record<string, SampleCharacter | undefined>)[id];
  if (!sample) {
    throw new SampleDownloadError('unknown-sample', String(id), '', `there is no sample character named '${id}'`);
  }
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const bytesTotal = sample.files.reduce((n, f) => n + f.size, 0);
  let bytesDone = 0;
  const report = (file: string): void => options.onProgress?.({ bytesDone, bytesTotal, file });

  const files = new Map<string, Uint8Array>();
  for (const file of sample.files) {
    const url = sampleFileUrl(id, file.path, options.baseUrl);
    const failed = (detail: string): SampleDownloadError =>
      new SampleDownloadError('download-failed', `${id}/${file.path}`, url, detail);
    let response: Response;
    try {
      response = await doFetch(url, { signal: options.signal });
    } catch (e) {
      throw failed(`download failed (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!response.ok) throw failed(`download failed: the server answered HTTP ${response.status}`);

    const startDone = bytesDone;
    let bytes: Uint8Array;
    try {
      bytes = await readBody(response, file.size, (n) => {
        bytesDone = startDone + n;
        report(file.path);
      });
    } catch (e) {
      throw failed(`download failed (${e instanceof Error ? e.message : String(e)})`);
    }
    bytesDone = startDone + file.size;
    const hash = bytes.length === file.size ? await sha256Hex(bytes) : '';
    if (hash !== file.sha256) {
      throw new SampleDownloadError(
        'hash-mismatch',
        `${id}/${file.path}`,
        url,
        `the downloaded file is not the expected one (got ${bytes.length} bytes` +
          (hash ? ` with SHA-256 ${hash}` : '') +
          `, expected ${file.size} bytes with SHA-256 ${file.sha256})`,
      );
    }
    files.set(file.path, bytes);
    report(file.path);
  }
  return files;
}

/** Reads a response body, reporting bytes received; stops early when it exceeds the expected size. */
async function readBody(response: Response, expected: number, onBytes: (n: number) => void): Promise<Uint8Array> {
  if (!response.body) {
    const all = new Uint8Array(await response.arrayBuffer());
    onBytes(Math.min(all.length, expected));
    return all;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    // Larger than the pinned file: it cannot match, and must not be allowed to grow unbounded.
    if (received > expected) {
      await reader.cancel();
      break;
    }
    onBytes(received);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
