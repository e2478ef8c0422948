import { describe, expect, it } from 'vitest';
import { FacePresence, MAX_FACE_FADE_MS } from './face-presence';
import { POSE_SIZE } from './pose-params';

const pose = (v: number) => new Float32Array(POSE_SIZE).fill(v);

describe('face presence', () => {
  it('eases to neutral within 0.5 s of losing the face, and back when it returns', () => {
    const p = new FacePresence(400);
    let t = 0;
    for (; t <= 1000; t += 33) p.update(pose(0.8), t);
    expect(p.weight).toBe(1);

    const lostAt = t;
    let prev = 0.8;
    for (; t <= lostAt + MAX_FACE_FADE_MS; t += 33) {
      const out = p.update(null, t);
      expect(out[0]).toBeLessThanOrEqual(prev + 1e-7); // monotone fade
      prev = out[0];
    }
    expect(prev).toBe(0);

    const backAt = t;
    const first = p.update(pose(0.6), t)[0];
    expect(first).toBeLessThan(0.1); // no snap back
    for (t += 33; t <= backAt + MAX_FACE_FADE_MS; t += 33) p.update(pose(0.6), t);
    expect(p.update(pose(0.6), t)[0]).toBeCloseTo(0.6, 6);
  });

  it('rides out a brief dropout with little visible change', () => {
    const p = new FacePresence(300);
    for (let t = 0; t <= 600; t += 33) p.update(pose(1), t);
    expect(p.update(null, 633)[0]).toBeGreaterThan(0.95);
  });

  it('caps the fade at 500 ms', () => {
    const p = new FacePresence(5000);
    p.update(pose(1), 0);
    p.update(pose(1), 600);
    expect(p.update(null, 1100)[0]).toBe(0);
  });
});
