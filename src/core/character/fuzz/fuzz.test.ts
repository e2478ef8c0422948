/**
 * A fixed-seed slice of the character import fuzzer (`npm run fuzz` runs any slice): every input
 * must end accepted-and-loads or in a CharacterFormatError, within 2 s of CPU time each.
 */
import { describe, expect, it } from 'vitest';
import { readSampleCharacters } from '../../../../scripts/fuzz';
import { runFuzz } from './fuzz-run';
import { prepareBase } from './mutators';

const SEED = 20261130;
const COUNT = 2000;

describe('character import fuzz (fixed seed)', () => {
  it(`${COUNT} mutated sample characters are each accepted-and-loads or a CharacterFormatError`, () => {
    const base = prepareBase(readSampleCharacters());
    const s = runFuzz(base, SEED, COUNT);
    const failures = s.failures.map((f) => `npm run fuzz -- --seed ${SEED} --only ${f.index} (${f.mutation}): ${f.outcome.kind === 'failure' ? f.outcome.why : ''}`);
    expect(failures).toEqual([]);
    expect(s.accepted + [...s.rejected.values()].reduce((a, b) => a + b, 0)).toBe(COUNT);
    // The slice must exercise both outcomes and many kinds of rejection, or it checks little.
    expect(s.accepted).toBeGreaterThan(COUNT / 20);
    expect(s.rejected.size).toBeGreaterThanOrEqual(12);
  }, 30 * 60_000);
});
