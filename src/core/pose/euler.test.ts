import { describe, expect, it } from 'vitest';
import { eulerXyzFromRotation, scipyEulerXyz } from './euler';
import { quatFromMatrixScipy } from './quaternion';
import { rotationXyzDeg, seededRandom } from './test-helpers';

const DEG = Math.PI / 180;

describe('scipy-compatible Euler xyz', () => {
  it('recovers the angles of Rz*Ry*Rx', () => {
    const rand = seededRandom(7);
    for (let k = 0; k < 200; k++) {
      const [x, y, z] = [rand() * 340 - 170, rand() * 170 - 85, rand() * 340 - 170];
      const e = scipyEulerXyz(rotationXyzDeg(x, y, z));
      expect(e.x / DEG).toBeCloseTo(x, 9);
      expect(e.y / DEG).toBeCloseTo(y, 9);
      expect(e.z / DEG).toBeCloseTo(z, 9);
    }
  });

  it('puts everything into x at gimbal lock, as scipy does', () => {
    // scipy: from_euler('xyz', [0.3, pi/2, 0.2]).as_euler('xyz') == [0.1, pi/2, 0]
    const up = eulerXyzFromRotation(rotationXyzDeg(0.3 / DEG, 90, 0.2 / DEG));
    expect(up.x).toBeCloseTo(0.1, 12);
    expect(up.y).toBeCloseTo(Math.PI / 2, 12);
    expect(up.z).toBe(0);
    const down = eulerXyzFromRotation(rotationXyzDeg(0.3 / DEG, -90, 0.2 / DEG));
    expect(down.x).toBeCloseTo(0.5, 12);
    expect(down.z).toBe(0);
  });

  it('does not orthogonalize a scaled matrix (Markley branch on the raw matrix)', () => {
    const r = rotationXyzDeg(10, 20, 30);
    const scaled = r.map((v) => v * 1.1);
    const e = scipyEulerXyz(scaled);
    // Scaling changes the trace branch's "1 + trace" term, so the angles move slightly.
    expect(Math.abs(e.y / DEG - 20)).toBeGreaterThan(0.01);
    expect(Math.abs(e.y / DEG - 20)).toBeLessThan(1);
  });

  it('uses numpy argmax tie-breaking and normalizes', () => {
    const q = quatFromMatrixScipy(rotationXyzDeg(180, 0, 0));
    expect(Math.hypot(...q)).toBeCloseTo(1, 14);
    expect(Math.abs(q[0])).toBeCloseTo(1, 12);
  });
});
