import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, requireSharedDir } from './lib/shared-path';

interface GoldenCase {
  name: string;
  blendshapes: number[];
  xform: number[][];
  pose: number[];
}

const golden = JSON.parse(
  readFileSync(join(requireSharedDir(), 'tha4', 'golden', 'mediapipe_converter.json'), 'utf8'),
) as { blendshape_names_mediapipe_order: string[]; cases: GoldenCase[] };

const work = mkdtempSync(join(tmpdir(), 'pose-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'pose.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

function writeInput(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const MOUTH = new Set([26, 27, 28, 30]);

describe('scripts/pose.ts', () => {
  it('converts golden cases (row-major goldens fed as column-major matrices)', () => {
    const input = golden.cases.map((c) => ({
      blendshapes: Object.fromEntries(golden.blendshape_names_mediapipe_order.map((n, i) => [n, c.blendshapes[i]])),
      matrix: [0, 1, 2, 3].flatMap((col) => [0, 1, 2, 3].map((row) => c.xform[row][col])),
    }));
    const inPath = writeInput('in.json', input);
    const outPath = join(work, 'out.json');
    const r = runCli(['--in', inPath, `--out=${outPath}`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const poses = JSON.parse(readFileSync(outPath, 'utf8')) as number[][];
    expect(poses).toHaveLength(golden.cases.length);
    poses.forEach((pose, k) => {
      expect(pose).toHaveLength(45);
      pose.forEach((v, i) => expect(Math.abs(v - golden.cases[k].pose[i])).toBeLessThan(MOUTH.has(i) ? 1e-5 : 1e-6));
    });
  });

  const badCases: [string, string[] | (() => string[]), RegExp][] = [
    ['no arguments', [], /missing --in/],
    ['unknown flag', ['--in', 'a', '--out', 'b', '--fast'], /unknown argument "--fast"/],
    ['flag without value', ['--in'], /--in needs a file path/],
    ['missing input file', () => ['--in', join(work, 'nope.json'), '--out', join(work, 'x.json')], /cannot read/],
    ['invalid JSON', () => ['--in', writeInput('bad.json', '{"a":'), '--out', join(work, 'x.json')], /not valid JSON/],
    ['not an array', () => ['--in', writeInput('obj.json', { a: 1 }), '--out', join(work, 'x.json')], /expected a JSON array/],
    [
      'bad matrix',
      () => ['--in', writeInput('m.json', [{ blendshapes: {}, matrix: [1, 2, 3] }]), '--out', join(work, 'x.json')],
      /item 0: "matrix" must be an array of 16 finite numbers/,
    ],
    [
      'unknown category',
      () => [
        '--in',
        writeInput('c.json', [{ blendshapes: { jawOpem: 0.5 }, matrix: new Array(16).fill(0) }]),
        '--out',
        join(work, 'x.json'),
      ],
      /unknown blendshape category "jawOpem"/,
    ],
    [
      'non-numeric score',
      () => [
        '--in',
        writeInput('s.json', [{ blendshapes: { jawOpen: '0.5' }, matrix: new Array(16).fill(0) }]),
        '--out',
        join(work, 'x.json'),
      ],
      /score of "jawOpen" must be a finite number/,
    ],
  ];

  for (const [label, args, message] of badCases) {
    it(`fails with exit code 2 and a clear message: ${label}`, () => {
      const r = runCli(typeof args === 'function' ? args() : args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it('prints usage with --help', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: node --import tsx scripts\/pose.ts --in/);
  });
});
