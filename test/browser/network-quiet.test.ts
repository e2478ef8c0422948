/**
 * Nothing leaves the machine during a call (issue 13, finding 3): Chromium's own network log
 * (every request of every process: pages, the service worker, the offscreen document and its
 * workers) is recorded while a call runs with face tracking, and must hold no request but the
 * demo page's own, from the local test server. The test machines have no network, so requests
 * that were attempted show up as attempts (a failed DNS lookup still logs the request).
 * Checked against a build with MediaPipe's logger left on and no connect-src in the CSP: this
 * test fails there (the logger's request to its endpoint is in the log).
 * The network log is complete once Chromium has shut down, so this test has its own browser.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { chooseAnimeCam, remoteFrames } from '../support/call-page';
import { DIST_DEMO, launchWithExtension, waitFor } from '../support/extension';

const dir = mkdtempSync(join(tmpdir(), 'animecam-netlog-'));
const netLog = join(dir, 'netlog.json');
let server: RunningServer | null = null;
let extensionId = '';

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface NetLog {
  constants: { logEventTypes: Record<string, number> };
  events: { type: number; params?: { url?: string; initiator?: string } }[];
}

/** Requests that reached the network stack, with the origin that made them ("initiator"). */
function requests(log: NetLog): { url: string; initiator: string }[] {
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === start && typeof e.params?.url === 'string')
    .map((e) => ({ url: e.params!.url!, initiator: e.params!.initiator ?? '(browser)' }));
}

describe('network during a call', () => {
  it('holds no request that AnimeCam made on its own', async () => {
    server = await startStaticServer({ mounts: { '/': DIST_DEMO } });
    const browser = await launchWithExtension({ extraArgs: [`--log-net-log=${netLog}`, '--net-log-capture-mode=Default'] });
    extensionId = browser.extensionId;
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/index.html`);
      await chooseAnimeCam(page, browser.sw);
      await page.click('#join');
      await waitFor(async () => (await remoteFrames(page)) > 5, 'remote frames', 120_000);
      // The face tracker ran (it is where MediaPipe's usage logger lives) ...
      await waitFor(async () => {
        const st = await browser.sw.evaluate(() => (globalThis as any).animecam.status());
        return (st.stages as { name: string; count: number }[] | undefined)?.find((s) => s.name === 'tracking' && s.count >= 3);
      }, 'face tracking ran', 90_000);
      // MediaPipe's usage logger (switched off in our build) would send once a minute while a task
      // runs, so the call goes on for over a minute with tracking ...
      const tracked = Date.now();
      await page.waitForTimeout(Math.max(0, tracked + 65_000 - Date.now()));
      const st = await browser.sw.evaluate(() => (globalThis as any).animecam.status());
      expect((st.stages as { name: string; count: number }[]).find((s) => s.name === 'tracking')!.count).toBeGreaterThan(30);
      // ... and then ends (closing a task is the logger's other moment to send).
      await page.close();
      await waitFor(async () => (await browser.sw.evaluate(() => (globalThis as any).animecam.status())).consumers === 0, 'call ended');
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await browser.close();
    }
    const all = requests(JSON.parse(readFileSync(netLog, 'utf8')) as NetLog);
    const origin = server!.origin;
    // The log did record: the demo page's own loads from the test server are there.
    expect(all.some((r) => r.url.startsWith(`${origin}/`) && r.initiator === origin)).toBe(true);
    // The extension's documents and workers made no request at all (its own files are not network
    // requests), and the page (where AnimeCam's page script runs) none but to its own server.
    // Chromium's own background traffic (update checks and the like) has no web initiator.
    expect(all.filter((r) => r.initiator === `chrome-extension://${extensionId}`)).toEqual([]);
    expect(all.filter((r) => r.initiator === origin && !r.url.startsWith(`${origin}/`))).toEqual([]);
    expect(all.filter((r) => r.url.includes('odml.pa.googleapis.com'))).toEqual([]);
  });
});
