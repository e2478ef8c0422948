import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disableUsageLogger } from './mediapipe-no-usage-log';
import { repoRoot } from './shared-path';

const bundle = readFileSync(join(repoRoot, 'node_modules/@mediapipe/tasks-vision/vision_bundle.mjs'), 'utf8');

describe('MediaPipe usage logger', () => {
  it('is present in the library as shipped (what the build must remove)', () => {
    expect(bundle).toContain('odml.pa.googleapis.com');
  });

  it('is born failed: no timer, no buffer, no endpoint', () => {
    const out = disableUsageLogger(bundle);
    expect(out).not.toContain('odml.pa.googleapis.com');
    expect(out).toContain('this.error=Error("usage logging is disabled")');
    expect(out).not.toContain('this.flush()},6e4)');
  });

  it('fails loudly on a bundle it does not know', () => {
    expect(() => disableUsageLogger('export const x = 1;')).toThrow(/usage logger constructor/);
  });
});
