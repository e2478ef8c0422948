import { describe, expect, it } from 'vitest';
import { chooseDelegate, median } from './delegate-choice';
import { MonotonicClock } from './monotonic-clock';
import { toFaceObservation } from './observation';
import { RateLimitedLog } from './rate-limited-log';

describe('toFaceObservation', () => {
  const matrix = Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));

  it('is null without a face', () => {
    expect(toFaceObservation(null)).toBeNull();
    expect(toFaceObservation({ faceBlendshapes: [], facialTransformationMatrixes: [] })).toBeNull();
    expect(toFaceObservation({ faceBlendshapes: [{ categories: [] }] })).toBeNull();
  });

  it('keys scores by name, clamps them and drops unknown names; passes the matrix on', () => {
    const obs = toFaceObservation({
      faceBlendshapes: [
        {
          categories: [
            { categoryName: 'eyeBlinkLeft', score: 0.7 },
            { categoryName: 'jawOpen', score: Number.NaN },
            { categoryName: 'mouthSmileLeft', score: 1.4 },
            { categoryName: 'browDownLeft', score: -0.2 },
            { categoryName: 'notAShape', score: 0.5 },
          ],
        },
      ],
      facialTransformationMatrixes: [{ data: matrix }],
    });
    expect(obs?.blendshapes).toEqual({ eyeBlinkLeft: 0.7, jawOpen: 0, mouthSmileLeft: 1, browDownLeft: 0 });
    expect(obs?.matrix).toBe(matrix);
  });

  it('keeps the expression with a frontal head when the matrix is missing or malformed', () => {
    const categories = [{ categoryName: 'jawOpen', score: 0.5 }];
    for (const m of [undefined, [], [{ data: [1, 2, 3] }]]) {
      const obs = toFaceObservation({ faceBlendshapes: [{ categories }], facialTransformationMatrixes: m });
      expect(Array.from(obs!.matrix)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    }
  });
});

describe('MonotonicClock', () => {
  it('passes increasing timestamps and nudges repeats, jumps back and NaN forward', () => {
    const c = new MonotonicClock();
    expect([c.next(10), c.next(20), c.next(20), c.next(5), c.next(Number.NaN), c.next(100)]).toEqual([10, 20, 21, 22, 23, 100]);
    expect(new MonotonicClock().next(Number.NaN)).toBe(0);
  });
});

describe('RateLimitedLog', () => {
  it('reports at most once per interval and counts what it held back', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog((m) => lines.push(m), 1000, () => now);
    log.log('a');
    now = 10;
    log.log('b');
    log.log('c');
    now = 1500;
    log.log('d');
    expect(lines).toEqual(['a', 'd (2 more since the last report)']);
  });
});

describe('chooseDelegate', () => {
  it('keeps CPU when it is faster (SwiftShader) and says why', () => {
    const c = chooseDelegate([
      { delegate: 'CPU', medianMs: 30 },
      { delegate: 'GPU', medianMs: 200 },
    ]);
    expect(c.delegate).toBe('CPU');
    expect(c.reason).toBe('CPU is faster: CPU 30.0 ms, GPU 200.0 ms');
  });

  it('takes GPU only when clearly faster', () => {
    expect(chooseDelegate([{ delegate: 'CPU', medianMs: 30 }, { delegate: 'GPU', medianMs: 10 }]).delegate).toBe('GPU');
    expect(chooseDelegate([{ delegate: 'CPU', medianMs: 30 }, { delegate: 'GPU', medianMs: 29 }]).delegate).toBe('CPU');
  });

  it('falls back to whichever delegate ran', () => {
    expect(chooseDelegate([{ delegate: 'CPU', medianMs: null, error: 'x' }, { delegate: 'GPU', medianMs: 50 }]).delegate).toBe('GPU');
    const c = chooseDelegate([{ delegate: 'CPU', medianMs: 30 }, { delegate: 'GPU', medianMs: null, error: 'skipped: software' }]);
    expect(c).toMatchObject({ delegate: 'CPU', reason: 'only CPU measured: CPU 30.0 ms, GPU skipped: software' });
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
