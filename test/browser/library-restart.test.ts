/** Imported characters live in the extension's IndexedDB and survive a browser restart. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../scripts/lib/shared-path';
import { startStaticServer } from '../../scripts/lib/static-server';
import { launchWithExtension } from '../support/extension';

const profile = mkdtempSync(join(tmpdir(), 'animecam-restart-'));
afterAll(() => rmSync(profile, { recursive: true, force: true }));

describe('character library', () => {
  it('keeps a downloaded sample, with its license, across a browser restart', async () => {
    const server = await startStaticServer({ mounts: { '/characters/': join(requireSharedDir(), 'tha4') } });
    try {
      const first = await launchWithExtension({ userDataDir: profile });
      await first.sw.evaluate((base) => (globalThis as any).animecam.installSample('lambda_01', base), `${server.origin}/characters/`);
      await first.close();
      const second = await launchWithExtension({ userDataDir: profile });
      const library = await second.sw.evaluate(() => (globalThis as any).animecam.library());
      await second.close();
      expect(library).toEqual([{ name: 'lambda_01', license: 'CC BY-NC 4.0', source: 'sample' }]);
    } finally {
      await server.close();
    }
  });
});
