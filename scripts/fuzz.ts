/**
 * Fuzzes character import with seeded mutations of the public sample characters: every input
 * must end accepted-and-loads (the stored files load and build the model graph) or in a
 * CharacterFormatError. Prints outcome counts, failures (with the seed and index to reproduce
 * them), the slowest input and peak memory; exits 1 on any failure.
 *
 *   npm run --silent fuzz -- [--seed S] [--count N] [--start I] [--only I] [--verbose]
 *
 * --only I runs input I of seed S alone (to reproduce a failure).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requireSharedDir } from './lib/shared-path';
import { prepareBase, type CharacterFiles } from '../src/core/character/fuzz/mutators';
import { runFuzz } from '../src/core/character/fuzz/fuzz-run';

export function readSampleCharacters(): CharacterFiles[] {
  const tha4 = join(requireSharedDir(), 'tha4');
  return ['lambda_00', 'lambda_01'].map((id) => {
    const dir = join(tha4, id);
    return new Map(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      count: { type: 'string', default: '2000' },
      start: { type: 'string', default: '0' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const seed = Number(values.seed);
  const only = values.only === undefined ? undefined : Number(values.only);
  const start = only ?? Number(values.start);
  const count = only === undefined ? Number(values.count) : 1;
  const base = prepareBase(readSampleCharacters());
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let done = 0;
  const s = runFuzz(base, seed, count, start, (r) => {
    done++;
    if (values.verbose || only !== undefined) {
      const o = r.outcome;
      console.log(`#${r.index} ${r.mutation}: ${o.kind === 'rejected' ? `${o.code} — ${o.message}` : o.kind === 'failure' ? `FAILURE ${o.why}` : 'accepted-and-loads'} (${r.ms.toFixed(0)} ms)`);
    } else if (done % 1000 === 0) {
      process.stderr.write(`${done}/${count}\n`);
    }
  });
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6;
  console.log(`seed ${seed}, inputs ${start}..${start + count - 1} (${count}): ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (with generating the inputs)`);
  console.log(`  accepted-and-loads: ${s.accepted}`);
  const rejected = [...s.rejected].sort((a, b) => b[1] - a[1]);
  console.log(`  CharacterFormatError: ${rejected.reduce((n, [, c]) => n + c, 0)}`);
  for (const [code, n] of rejected) console.log(`    ${code}: ${n}`);
  console.log(`  other (failures): ${s.failures.length}`);
  for (const f of s.failures.slice(0, 20)) {
    console.log(`    reproduce: npm run fuzz -- --seed ${seed} --only ${f.index}   (${f.mutation}: ${f.outcome.kind === 'failure' ? f.outcome.why : ''})`);
  }
  if (s.slowest) console.log(`  slowest input: #${s.slowest.index} ${s.slowest.mutation}, ${s.slowest.ms.toFixed(0)} ms CPU`);
  console.log(`  mean ${(s.totalMs / count).toFixed(1)} ms CPU per input (import and load check); peak RSS ${(s.peakRssBytes / 2 ** 20).toFixed(0)} MB (sampled after each input)`);
  if (values.verbose) {
    for (const [m, c] of [...s.byMutation].sort()) console.log(`    ${m}: accepted ${c.accepted}, rejected ${c.rejected}, failed ${c.failed}`);
  }
  process.exitCode = s.failures.length > 0 ? 1 : 0;
}

if (process.argv[1]?.endsWith("fuzz.ts")) main();
