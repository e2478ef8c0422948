import { describe, expect, it } from 'vitest';
import { BodyFieldBlend } from './body-field-blend';
import type { BodyFields } from './split-renderer';

const fields = (v: number): BodyFields => ({ grid: new Float32Array(8).fill(v), alpha: new Float32Array(4).fill(v), colorChange: new Float32Array(16).fill(v) });

describe('BodyFieldBlend', () => {
  it('shows the first fields as they are, and throws before any', () => {
    const b = new BodyFieldBlend();
    expect(() => b.at(0)).toThrow(/no body fields/);
    const f = fields(1);
    b.push(f, 0);
    expect(b.at(50)).toBe(f);
  });

  it('glides to new fields over one update interval without jumping, then holds them exactly', () => {
    const b = new BodyFieldBlend();
    b.push(fields(0), 0);
    const next = fields(1);
    b.push(next, 200); // interval 200 ms
    expect(b.at(200).alpha[0]).toBeCloseTo(0, 6);
    expect(b.at(300).grid[3]).toBeCloseTo(0.5, 6);
    expect(b.at(400)).toBe(next);
    // A target arriving mid-glide starts from what is shown then.
    b.push(fields(0), 500); // glides from 1 to 0 over 300 ms
    const third = fields(2);
    b.push(third, 650); // shown at 650: halfway, 0.5; then to 2 over 150 ms
    expect(b.at(650).colorChange[7]).toBeCloseTo(0.5, 6);
    expect(b.at(725).colorChange[0]).toBeCloseTo(1.25, 6);
    expect(b.at(800)).toBe(third);
  });
});
