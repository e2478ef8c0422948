import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in scripts/lib). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Folder holding third-party data (THA4 samples and goldens, MediaPipe model, test media).
 * Set ANIMECAM_SHARED to point elsewhere; defaults to `../shared` beside the repository.
 * Returns null when the folder does not exist, so callers can download or skip with a reason.
 */
export function sharedDir(): string | null {
  const configured = process.env.ANIMECAM_SHARED;
  const dir = configured ? resolve(configured) : resolve(repoRoot, '..', 'shared');
  return existsSync(dir) ? dir : null;
}

/** Like sharedDir() but throws a clear error when the folder is missing. */
export function requireSharedDir(): string {
  const dir = sharedDir();
  if (!dir) {
    throw new Error(
      'Third-party data folder not found: set ANIMECAM_SHARED to the folder holding tha4/, models/ and media/ (default ../shared).',
    );
  }
  return dir;
}
