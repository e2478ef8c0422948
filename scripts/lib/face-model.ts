/**
 * Finds the MediaPipe FaceLandmarker model at build time so it ships inside the extension
 * (nothing is fetched at run time). Order: $ANIMECAM_FACE_MODEL, then the shared data folder,
 * then a verified download into node_modules/.cache. Every candidate is checked against the
 * committed manifest's size and SHA-256.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot, sharedDir } from './shared-path';

export interface FaceModelManifest {
  name: string;
  fileName: string;
  url: string;
  sha256: string;
  size: number;
  license: string;
}

export const FACE_MODEL_MANIFEST_PATH = join(repoRoot, 'models', 'mediapipe-face-model.json');
export const DEFAULT_FACE_MODEL_CACHE = join(repoRoot, 'node_modules', '.cache', 'animecam');

/** How long a download may take before the build gives up (the file is 3.8 MB). */
const DOWNLOAD_TIMEOUT_MS = 120_000;

export function readFaceModelManifest(path = FACE_MODEL_MANIFEST_PATH): FaceModelManifest {
  const m = JSON.parse(readFileSync(path, 'utf8')) as Partial<FaceModelManifest>;
  const ok =
    typeof m.fileName === 'string' &&
    typeof m.url === 'string' &&
    typeof m.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(m.sha256) &&
    typeof m.size === 'number';
  if (!ok) throw new Error(`Face model manifest ${path} is malformed (needs fileName, url, sha256, size).`);
  return m as FaceModelManifest;
}

export interface ResolveFaceModelOptions {
  manifest?: FaceModelManifest;
  /** Environment to read ANIMECAM_FACE_MODEL / ANIMECAM_FACE_MODEL_URL from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Shared data folder; null means none (default sharedDir()). */
  shared?: string | null;
  /** Download cache folder (default node_modules/.cache/animecam). */
  cacheDir?: string;
  /** Called with a one-line note on where the model came from. */
  log?: (line: string) => void;
}

/** Absolute path of a verified model file; throws an Error naming the file or URL otherwise. */
export async function resolveFaceModel(opts: ResolveFaceModelOptions = {}): Promise<string> {
  const manifest = opts.manifest ?? readFaceModelManifest();
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => undefined);

  const explicit = env.ANIMECAM_FACE_MODEL;
  if (explicit) {
    const file = resolve(explicit);
    if (!existsSync(file)) throw new Error(`Face model not found: ${file} (from ANIMECAM_FACE_MODEL).`);
    verifyFaceModel(file, manifest);
    log(`face model: ${file} (ANIMECAM_FACE_MODEL)`);
    return file;
  }

  const shared = opts.shared === undefined ? sharedDir() : opts.shared;
  const sharedFile = shared ? join(shared, 'models', manifest.fileName) : null;
  if (sharedFile && existsSync(sharedFile)) {
    verifyFaceModel(sharedFile, manifest);
    log(`face model: ${sharedFile} (shared data folder)`);
    return sharedFile;
  }

  const cacheDir = opts.cacheDir ?? DEFAULT_FACE_MODEL_CACHE;
  // The hash is in the name so a manifest update never reuses an old download.
  const cached = join(cacheDir, `${manifest.sha256.slice(0, 16)}-${manifest.fileName}`);
  if (existsSync(cached)) {
    try {
      verifyFaceModel(cached, manifest);
      log(`face model: ${cached} (cache)`);
      return cached;
    } catch {
      rmSync(cached, { force: true }); // a damaged cache entry is simply fetched again
    }
  }
  const url = env.ANIMECAM_FACE_MODEL_URL || manifest.url;
  await downloadVerified(url, cached, manifest);
  log(`face model: ${cached} (downloaded from ${url})`);
  return cached;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws unless the file has the manifest's size and SHA-256. */
export function verifyFaceModel(file: string, manifest: FaceModelManifest): void {
  const size = statSync(file).size;
  if (size !== manifest.size) {
    throw new Error(
      `Face model ${file} is corrupt or the wrong file: ${size} bytes, expected ${manifest.size} (${manifest.url}).`,
    );
  }
  const hash = sha256Of(readFileSync(file));
  if (hash !== manifest.sha256) {
    throw new Error(`Face model ${file} is corrupt or the wrong file: SHA-256 ${hash}, expected ${manifest.sha256}.`);
  }
}

/** Downloads to a temporary name, verifies, then renames, so a failed download never looks cached. */
async function downloadVerified(url: string, dest: string, manifest: FaceModelManifest): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (e) {
    throw new Error(
      `Could not download the face model ${manifest.fileName} from ${url}: ${describe(e)}. ` +
        'Set ANIMECAM_FACE_MODEL to a local copy or ANIMECAM_FACE_MODEL_URL to a mirror.',
    );
  }
  if (!res.ok) {
    throw new Error(`Could not download the face model ${manifest.fileName} from ${url}: HTTP ${res.status} ${res.statusText}.`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  mkdirSync(resolve(dest, '..'), { recursive: true });
  const partial = `${dest}.part-${process.pid}`;
  writeFileSync(partial, bytes);
  try {
    verifyFaceModel(partial, manifest);
  } catch (e) {
    rmSync(partial, { force: true });
    throw new Error(`Downloaded face model ${manifest.fileName} from ${url} failed verification: ${describe(e)}`);
  }
  renameSync(partial, dest);
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}
