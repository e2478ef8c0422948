/**
 * Chrome stops an idle extension service worker (after about 30 s) while a call goes on. The
 * track must keep flowing, and ending the call afterwards must still release the camera: the
 * worker keeps who uses the pipeline in storage.session.
 */
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { chooseAnimeCam, remoteFrames } from '../support/call-page';
import { DIST_DEMO, launchWithExtension, runningServiceWorker, waitFor, type ExtensionBrowser } from '../support/extension';

let server: RunningServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startStaticServer({ mounts: { '/': DIST_DEMO } });
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const api = <T>(sw: Worker, fn: string) => sw.evaluate((f) => (globalThis as any).animecam[f](), fn) as Promise<T>;

type Versions = { versions: { versionId: string; scriptURL: string; runningStatus: string }[] };

/**
 * Stops the extension's service worker as Chrome does to an idle one (CDP ServiceWorker.stopWorker;
 * stopAllWorkers leaves extension workers running). Playwright's Worker does not report it, so
 * the stop is confirmed by the worker's running status.
 */
async function stopExtensionWorker(page: Page, extensionId: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  let latest = new Map<string, { versionId: string; runningStatus: string }>();
  cdp.on('ServiceWorker.workerVersionUpdated', (e: Versions) => {
    for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) latest.set(v.versionId, v);
  });
  await cdp.send('ServiceWorker.enable');
  await waitFor(() => [...latest.values()].some((v) => v.runningStatus === 'running'), 'the extension worker seen running');
  for (const v of latest.values()) await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
  await waitFor(() => [...latest.values()].every((v) => v.runningStatus === 'stopped'), 'the extension worker stopped');
  latest = new Map();
  await cdp.detach();
}

describe('service worker stopped mid-call', () => {
  it('keeps the track flowing, and ending the call afterwards still releases the camera', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/index.html`);
    await chooseAnimeCam(page, browser.sw);
    await page.click('#join');
    await waitFor(async () => (await remoteFrames(page)) > 5, 'remote frames', 240_000);
    expect(await api<number>(browser.sw, 'consumers')).toBe(1);

    await stopExtensionWorker(page, browser.extensionId);

    // The pipeline lives in the offscreen document: frames keep arriving without the worker.
    const before = await remoteFrames(page);
    await waitFor(async () => (await remoteFrames(page)) > before + 10, 'frames after the worker stopped', 30_000);
    expect(await page.evaluate(() => (window as any).demoCall.stream.getVideoTracks()[0].readyState)).toBe('live');

    // Ending the call wakes a new worker, which must know the track and release the camera.
    await page.click('#leave');
    const sw = await runningServiceWorker(browser.context, 'a running service worker again', 500);
    await waitFor(async () => (await api<number>(sw, 'consumers')) === 0, 'the track forgotten by the new worker', 15_000);
    // The document closes with its last user, which releases the camera.
    await waitFor(async () => (await api<{ running: boolean; camera: string }>(sw, 'status')).camera === 'off', 'camera released', 15_000);
    expect((await api<{ event: string }[]>(sw, 'log')).some((e) => e.event === 'AnimeCam track ended')).toBe(true);
    await page.close();
  }, 480_000);
});
