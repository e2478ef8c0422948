/**
 * Test media from the shared data folder. The talking-head clip is stored xz-compressed; it is
 * unpacked once into the system temp folder (never into the repository) and reused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireSharedDir } from '../../scripts/lib/shared-path';

export function mediaDir(): string {
  return join(requireSharedDir(), 'media');
}

const TALKING_HEAD = 'talking_head_640x480_30fps.y4m';
/** Decompressed size from media/NOTICE.md: a shorter file is a broken earlier unpack. */
const TALKING_HEAD_BYTES = 124_417_700;

/** Absolute path of the decompressed 640x480 30 fps talking-head .y4m (for the fake camera). */
export function talkingHeadY4m(): string {
  const dir = join(tmpdir(), 'animecam-media');
  const out = join(dir, TALKING_HEAD);
  if (existsSync(out) && statSync(out).size === TALKING_HEAD_BYTES) return out;
  mkdirSync(dir, { recursive: true });
  const partial = `${out}.part-${process.pid}`;
  try {
    // -dkc: decompress, keep the (read-only) source, write to stdout.
    execFileSync('sh', ['-c', 'xz -dkc "$1" > "$2"', 'sh', join(mediaDir(), `${TALKING_HEAD}.xz`), partial], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    rmSync(partial, { force: true });
    throw new Error(`Could not decompress ${TALKING_HEAD}.xz (is xz-utils installed?): ${String(e)}`);
  }
  const size = statSync(partial).size;
  if (size !== TALKING_HEAD_BYTES) {
    rmSync(partial, { force: true });
    throw new Error(`${TALKING_HEAD}.xz decompressed to ${size} bytes, expected ${TALKING_HEAD_BYTES}`);
  }
  renameSync(partial, out);
  return out;
}
