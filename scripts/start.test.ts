import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './lib/shared-path';

describe('npm start', () => {
  it('says in one line to set CHROME_PATH when no browser is found', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: repoRoot,
      env: { ...process.env, CHROME_PATH: '/nonexistent/chrome' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('CHROME_PATH');
  });
});
