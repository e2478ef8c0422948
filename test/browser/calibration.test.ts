/**
 * Calibration is owned by the settings: calibrating in the options page or the popup (the
 * shortcut sends the same request) saves it; it survives a reload of the extension (as after an
 * update) and a browser restart, the options page shows it, and "Clear calibration" removes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchWithExtension, runningServiceWorker, waitFor, type ExtensionBrowser } from '../support/extension';
import { talkingHeadY4m } from '../support/media';

const profile = mkdtempSync(join(tmpdir(), 'animecam-calibration-'));
let open: ExtensionBrowser | null = null;
afterAll(async () => {
  await open?.close();
  rmSync(profile, { recursive: true, force: true });
});

const storedCalibration = (sw: Worker) => sw.evaluate(async () => (await (globalThis as any).animecam.settings()).pose.calibration);

async function optionsPage(b: ExtensionBrowser): Promise<Page> {
  await b.sw.evaluate(() => chrome.storage.local.set({ firstRunDone: true })); // past the guided setup
  const page = await b.context.newPage();
  await page.goto(b.extUrl('src/ui/options/index.html'));
  return page;
}

describe('calibration', () => {
  it('is saved in settings, survives an extension reload and a browser restart, and clears', async () => {
    open = await launchWithExtension({ userDataDir: profile, fakeVideo: talkingHeadY4m() });
    let b = open;
    const options = await optionsPage(b);
    await options.getByText('Not calibrated.').waitFor();
    // The preview runs the pipeline; calibration needs a face in the last second.
    await options.click('#preview-toggle');
    await waitFor(async () => (await b.sw.evaluate(() => (globalThis as any).animecam.status())).faceFound, 'a face tracked', 240_000, 500);
    await options.getByRole('button', { name: 'Calibrate neutral face' }).click();
    await options.getByText('Calibrated: your current face is now the neutral pose.').waitFor({ timeout: 30_000 });
    await options.getByText('Calibrated.', { exact: true }).waitFor();
    const fromOptions = await storedCalibration(b.sw);
    expect(fromOptions.rotation).toHaveLength(4);

    // The popup's button sends the same request and saves a new neutral face (the video moves on).
    const popup = await b.context.newPage();
    await popup.goto(b.extUrl('src/ui/popup/index.html'));
    await popup.click('#calibrate');
    await popup.getByText('Calibrated: your current face is now the neutral pose.').waitFor({ timeout: 30_000 });
    const saved = await storedCalibration(b.sw);
    expect(saved.rotation).toHaveLength(4);
    expect(saved).not.toEqual(fromOptions);
    await popup.close();
    await options.close();

    // The extension reloads itself (what an update does): a new service worker reads it back.
    const before = b.sw;
    await before.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50));
    await waitFor(async () => !(await before.evaluate(() => true).catch(() => false)), 'the old service worker gone', 30_000, 250);
    const reloaded = await runningServiceWorker(b.context, 'the reloaded extension');
    b = { ...b, sw: reloaded };
    expect(await storedCalibration(reloaded)).toEqual(saved);
    const afterReload = await optionsPage(b);
    await afterReload.getByText('Calibrated.', { exact: true }).waitFor();
    await afterReload.close();

    // Browser restart, then the options page shows it and clears it.
    await b.close();
    open = await launchWithExtension({ userDataDir: profile, fakeVideo: talkingHeadY4m() });
    b = open;
    expect(await storedCalibration(b.sw)).toEqual(saved);
    const again = await optionsPage(b);
    await again.getByText('Calibrated.', { exact: true }).waitFor();
    await again.getByRole('button', { name: 'Clear calibration' }).click();
    await again.getByText('Not calibrated.').waitFor();
    await waitFor(async () => (await storedCalibration(b.sw)) === null, 'calibration cleared in settings');
  });
});
