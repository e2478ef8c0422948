import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorStats } from '../src/render/error-stats';
import { repoRoot, requireSharedDir } from './lib/shared-path';

const shared = requireSharedDir();
const golden = join(shared, 'tha4', 'golden');
const tmp = mkdtempSync(join(tmpdir(), 'animecam-render-cli-'));

function run(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/render.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });
}

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

describe('render command', () => {
  it('writes the final frame (goldens’ encoding) and a PNG for a character folder', () => {
    const c = (JSON.parse(readFileSync(join(golden, 'poses.json'), 'utf8')) as { cases: { name: string; pose: number[] }[] }).cases.find((x) => x.name === 'lambda_00_head_x')!;
    const pose = join(tmp, 'pose.json');
    writeFileSync(pose, JSON.stringify(c.pose));
    const out = join(tmp, 'frame.f32');
    const png = join(tmp, 'frame.png');
    const r = run(['--character', join(shared, 'tha4', 'lambda_00'), '--pose', pose, '--out', out, '--png', png, '--backend', 'wasm']);
    expect(r.status, r.stderr).toBe(0);
    const s = errorStats(f32(out), f32(join(golden, 'lambda_00_head_x.final.f32')));
    expect(s.max).toBeLessThanOrEqual(5e-3);
    expect(s.mean).toBeLessThanOrEqual(1e-5);
    expect([...readFileSync(png).subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  }, 180_000);

  it('explains bad arguments and bad poses, exit code 2 or 1', () => {
    expect(run(['--pose', 'x.json']).status).toBe(2);
    expect(run(['--character', 'c', '--pose', 'p', '--out', 'o', '--backend', 'cuda']).status).toBe(2);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '[1, 2, 3]');
    const r = run(['--character', join(shared, 'tha4', 'lambda_00'), '--pose', bad, '--out', join(tmp, 'x.f32')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/45/);
  }, 60_000);
});
