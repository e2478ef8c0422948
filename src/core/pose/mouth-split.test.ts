import { describe, expect, it } from 'vitest';
import { mouthSplitObjective, splitMouth } from './mouth-split';
import { seededRandom } from './test-helpers';

describe('mouth split', () => {
  it('returns pure shapes for their own feature points', () => {
    expect(splitMouth([1, 1, 0, 0])[0]).toBeCloseTo(1, 9);
    const iii = splitMouth([0, 1, 0, 0]);
    expect(iii[1]).toBeGreaterThan(0.98);
  });

  it('stays in the box and is deterministic', () => {
    const rand = seededRandom(3);
    for (let k = 0; k < 200; k++) {
      const p = [rand(), rand(), rand(), rand()];
      const d = splitMouth(p);
      for (const v of d) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(splitMouth(p)).toEqual(d);
    }
  });

  it('is a minimum: no random point nearby or further away does better', () => {
    const rand = seededRandom(11);
    for (let k = 0; k < 100; k++) {
      const p = [rand(), rand(), rand(), rand()];
      const d = splitMouth(p);
      const best = mouthSplitObjective(d, p);
      for (let j = 0; j < 300; j++) {
        const scale = j < 150 ? 1e-3 : 0.2;
        const q = d.map((v) => Math.min(1, Math.max(0, v + (rand() - 0.5) * scale)));
        expect(mouthSplitObjective(q, p)).toBeGreaterThanOrEqual(best - 1e-12);
      }
    }
  });

  it('handles non-finite input', () => {
    expect(splitMouth([Number.NaN, 0, 0, 0])).toEqual([0, 0, 0, 0]);
  });
});
