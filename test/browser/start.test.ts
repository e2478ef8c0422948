/**
 * The README's main command: `npm start` builds, serves the demo call page and opens Chromium
 * with the extension and a sample character; joining the demo call shows the character remotely.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/shared-path';
import { remoteFrames } from '../support/call-page';
import { waitFor } from '../support/extension';

let child: ChildProcess | null = null;
let cdp: Browser | null = null;
const outDir = mkdtempSync(join(tmpdir(), 'animecam-start-'));

afterAll(async () => {
  await cdp?.close().catch(() => undefined);
  // The whole process group: npm, the start script and the browser it opened.
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(outDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('opens Chromium on the demo call page with the extension and a sample character', async () => {
    const port = 8300 + Math.floor(Math.random() * 500);
    const debugPort = port + 1000;
    let output = '';
    child = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        ANIMECAM_OUT_DIR: outDir,
        // Headless here, with a fake camera; a person gets a normal window.
        ANIMECAM_START_ARGS: `--headless=new --no-sandbox --disable-background-networking --disable-component-update --use-fake-device-for-media-stream --use-fake-ui-for-media-stream --remote-debugging-port=${debugPort}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    cdp = await waitFor(() => chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`).catch(() => null), `Chromium with remote debugging (output so far: ${output.slice(-500)})`, 180_000, 500);
    expect(output).toContain(`Demo call page: http://127.0.0.1:${port}/index.html`);
    const context = cdp.contexts()[0];
    const page = await waitFor(() => context.pages().find((p) => p.url().includes(`127.0.0.1:${port}/index.html`)), 'the demo page is open');
    await page.bringToFront();
    // The demo picks AnimeCam by itself once the extension lists it.
    await waitFor(() => page.evaluate(() => (document.getElementById('camera') as HTMLSelectElement).selectedOptions[0]?.text === 'AnimeCam'), 'AnimeCam preselected');
    await page.click('#join');
    await waitFor(async () => (await remoteFrames(page)) > 5, 'remote frames', 60_000);
    // The sample character was installed on first run and is being rendered for the call.
    const sw = await waitFor(() => context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')), 'the extension’s service worker');
    const st = await waitFor(async () => {
      const s = await sw.evaluate(() => (globalThis as any).animecam.status());
      return s.character && s.renderFps > 0 ? s : null;
    }, 'the sample character rendered for the call', 120_000);
    expect(st).toMatchObject({ character: { name: 'lambda_00' }, consumers: 1, camera: 'on' });
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'npm-start-demo.png') });
  });
});
