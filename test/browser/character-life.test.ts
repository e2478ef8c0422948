/**
 * Camera-free mode and expression keys, end to end: a call page on a camera-free site gets a
 * living character while the real (fake) camera is never asked for; expression shortcuts and
 * popup buttons change the pose the pipeline renders, and it blends back.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../scripts/lib/shared-path';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { chooseAnimeCam, meanAbsDiff, remoteFrames, remotePixels } from '../support/call-page';
import { DIST_DEMO, launchWithExtension, swLog, waitFor, type ExtensionBrowser } from '../support/extension';
import { attachOffscreen, type OffscreenSession } from '../support/offscreen-cdp';
import { voiceWav } from '../support/voice-wav';

let server: RunningServer;
let browser: ExtensionBrowser;
let page: Page;
let offscreenDoc: OffscreenSession;

type Status = { camera: string; cameraFree?: boolean; renderFps: number; pose?: number[]; expressions?: string[]; consumers: number; voice?: { live: boolean; opening: number } };
const status = (): Promise<Status> => browser.sw.evaluate(() => (globalThis as any).animecam.status());
const updateSettings = (patch: object) => browser.sw.evaluate((p) => (globalThis as any).animecam.updateSettings(p), patch);

// Pose indices (THA4 order).
const EYE_HAPPY_WINK_LEFT = 14;
const EYE_SURPRISED_LEFT = 16;
const HEAD_X = 39;
const HEAD_Y = 40;

beforeAll(async () => {
  server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(requireSharedDir(), 'tha4') } });
  // The fake microphone plays a synthetic voice: vowels and silences, looping.
  browser = await launchWithExtension({ extraArgs: [`--use-file-for-fake-audio-capture=${voiceWav()}`] });
  await updateSettings({ renderSize: 64, renderBackend: 'wasm', expressions: { keyHoldMs: 4000, custom: {} } });
  await browser.sw.evaluate((base) => (globalThis as any).animecam.installSample('lambda_00', base), `${server.origin}/characters/`);
  // Camera-free for this site only (the per-site switch).
  await updateSettings({ cameraFree: { everywhere: false, sites: { [server.origin]: true } } });
  page = await browser.context.newPage();
  await page.goto(`${server.origin}/index.html`);
  // Create the offscreen document before the call, and watch its camera requests from outside.
  await browser.sw.evaluate(() => (globalThis as any).animecam.probeGpu());
  offscreenDoc = await attachOffscreen(browser.context, page);
  await offscreenDoc.evaluate(`(() => {
    const proto = MediaDevices.prototype, original = proto.getUserMedia;
    globalThis.gumSeen = [];
    proto.getUserMedia = function (c) { globalThis.gumSeen.push({ video: !!(c && c.video), audio: !!(c && c.audio) }); return original.call(this, c); };
    return true;
  })()`);
  // Join the call with AnimeCam (every test below works on this call).
  await chooseAnimeCam(page, browser.sw);
  await page.click('#join');
  // Generous limits: on a loaded 2-core machine loading the character alone can take minutes.
  await waitFor(async () => (await remoteFrames(page)) > 5, 'remote frames', 120_000);
});

afterAll(async () => {
  await offscreenDoc?.detach();
  await browser?.close();
  await server?.close();
});

describe('camera-free mode', () => {
  it('never opens the camera, yet the remote peer receives a living character', async () => {
    await waitFor(async () => (await status()).renderFps > 0, 'the character renders', 240_000).catch(async (e) => {
      const raw = await browser.sw.evaluate(() => (globalThis as any).animecam.pipelineTimings().catch((x: Error) => String(x)));
      console.error(JSON.stringify({ ...raw, pose: undefined }), JSON.stringify((await swLog(browser.sw)).slice(-12)));
      throw e;
    });

    const centre = { x: 0.4, y: 0.1, w: 0.2, h: 0.8 };
    const samples: { st: Status; px: number[] }[] = [];
    const end = Date.now() + 6_000;
    while (Date.now() < end || samples.length < 4) {
      samples.push({ st: await status(), px: await remotePixels(page, centre) });
      await page.waitForTimeout(250);
    }
    // The camera stayed off the whole time, and the document never asked for video.
    for (const s of samples) expect(s.st).toMatchObject({ camera: 'off', cameraFree: true, consumers: 1 });
    const gum = await offscreenDoc.evaluate<{ video: boolean }[]>('globalThis.gumSeen');
    expect(gum.filter((g) => g.video)).toEqual([]);
    expect(await offscreenDoc.evaluate('globalThis.animecamPipeline.cameraSource.track')).toBeNull();

    // The character is alive: head and gaze drift, and the picture at the remote peer changes.
    const heads = samples.map((s) => [s.st.pose![HEAD_X], s.st.pose![HEAD_Y]]);
    const spread = Math.max(...heads.map((h) => Math.hypot(h[0] - heads[0][0], h[1] - heads[0][1])));
    expect(spread).toBeGreaterThan(0.01);
    const diffs = samples.slice(1).map((s) => meanAbsDiff(s.px, samples[0].px));
    console.info(`camera-free: head spread ${spread.toFixed(3)}, remote centre max diff ${Math.max(...diffs).toFixed(2)} (0-255), ${samples.length} samples`);
    expect(Math.max(...diffs)).toBeGreaterThan(1);
  });

  it('opens the camera when the site leaves camera-free mode mid-call, and closes it again', async () => {
    await updateSettings({ cameraFree: { everywhere: false, sites: { [server.origin]: false } } });
    await waitFor(async () => (await status()).camera === 'on', 'camera opened for the site', 60_000);
    await updateSettings({ cameraFree: { everywhere: true, sites: {} } });
    await waitFor(async () => (await status()).camera === 'off', 'camera closed again (camera-free everywhere)', 60_000);
    expect(await offscreenDoc.evaluate('globalThis.animecamPipeline.cameraSource.track')).toBeNull();
  });
});

describe('voice mouth', () => {
  const mouth = (s: Status) => s.pose!.slice(26, 31).reduce((a, b) => a + b, 0);

  it('moves the mouth with the call’s microphone, and keeps it closed in silence', async () => {
    const samples: Status[] = [];
    const end = Date.now() + 5_000;
    while (Date.now() < end || samples.length < 8) {
      samples.push(await status());
      await page.waitForTimeout(100);
    }
    expect(samples.some((s) => s.voice?.live)).toBe(true);
    const open = samples.map(mouth);
    console.info(`voice: mouth opening over ${samples.length} samples: max ${Math.max(...open).toFixed(2)}, min ${Math.min(...open).toFixed(2)}`);
    expect(Math.max(...open)).toBeGreaterThan(0.5);
    expect(Math.min(...open)).toBeLessThan(0.05); // the file's silent seconds
    // The call mutes its microphone: WebRTC sends silence, and the mouth stays shut.
    await page.evaluate(() => (window as any).demoCall.stream.getAudioTracks().forEach((t: MediaStreamTrack) => (t.enabled = false)));
    await page.waitForTimeout(2000); // the audio path's own buffering, then the 110 ms release
    const muted: number[] = [];
    for (let i = 0; i < 10; i++) {
      muted.push(mouth(await status()));
      await page.waitForTimeout(100);
    }
    expect(Math.max(...muted)).toBeLessThan(0.02);
    await page.evaluate(() => (window as any).demoCall.stream.getAudioTracks().forEach((t: MediaStreamTrack) => (t.enabled = true)));
  });
});

describe('expression keys', () => {
  it('a shortcut shows its expression on the rendered pose, and it blends back after the hold', async () => {
    expect(await browser.sw.evaluate(() => (globalThis as any).animecam.command('expression-smile'))).toBe(true);
    const shown = await waitFor(async () => {
      const s = await status();
      return s.pose![EYE_HAPPY_WINK_LEFT] > 0.99 ? s : null;
    }, 'smile shown', 60_000);
    expect(shown.expressions).toContain('smile');
    await waitFor(async () => (await status()).pose![EYE_HAPPY_WINK_LEFT] < 0.01, 'smile blended back out', 30_000);
  });

  it('a popup button shows its expression while held and releases it on let go', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(browser.extUrl('src/ui/popup/index.html'));
    const button = popup.locator('[data-expression=surprised]');
    await button.hover();
    await popup.mouse.down();
    await waitFor(async () => (await status()).pose![EYE_SURPRISED_LEFT] > 0.99, 'surprised while held');
    await popup.waitForTimeout(1200); // longer than one hold: the button keeps renewing it
    expect((await status()).pose![EYE_SURPRISED_LEFT]).toBeGreaterThan(0.99);
    await popup.mouse.up();
    await waitFor(async () => (await status()).pose![EYE_SURPRISED_LEFT] < 0.01, 'surprised released', 5_000);
    await popup.close();
  });

  it('the options page lists every expression shortcut with its current key', async () => {
    await browser.sw.evaluate(() => chrome.storage.local.set({ firstRunDone: true })); // past the guided setup
    const options = await browser.context.newPage();
    await options.goto(browser.extUrl('src/ui/options/index.html'));
    const section = options.locator('#shortcuts');
    await waitFor(async () => ((await section.textContent({ timeout: 60_000 })) ?? '').includes('Expression: sad'), 'shortcuts listed', 90_000);
    const rows = await section.evaluate((el) => [...el.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
    expect(rows).toEqual(expect.arrayContaining([['Expression: smile', 'Alt+Shift+1'], ['Expression: surprised', 'Alt+Shift+2'], ['Expression: angry', 'not set']]));
    expect(rows.filter(([d]) => d?.startsWith('Expression:'))).toHaveLength(9);
    await options.close();
  });
});
