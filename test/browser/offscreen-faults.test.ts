/**
 * Faults mid-call that the page must not see as a broken camera:
 * - the offscreen document is closed (by the extension, or from outside): the page's AnimeCam track stays
 *   live and keeps delivering frames (the last picture held), then the character moves again
 *   once the service worker has made a new document and the page has answered its new offer;
 * - the extension is reloaded (as by an update): the track ends cleanly, like an unplugged camera,
 *   and the page's own call (its microphone, its connection) carries on; the reloaded extension
 *   serves the next call;
 * - the offscreen document crashes: that is the extension's process, service worker included, and
 *   Chromium does not restart it, so the track ends as for a reload.
 * One call runs through all three, in this order (the reload comes last).
 */
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../scripts/lib/shared-path';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { chooseAnimeCam, meanAbsDiff, remoteFrames, remotePixels } from '../support/call-page';
import { attachOffscreen } from '../support/offscreen-cdp';
import { DIST_DEMO, launchWithExtension, runningServiceWorker, swLog, waitFor, type ExtensionBrowser } from '../support/extension';

let server: RunningServer;
let browser: ExtensionBrowser;
let page: Page;
/** The call started on the reloaded extension (the crash test uses it). */
let callAfterReload: Page | null = null;
const pageErrors: string[] = [];

/** The running service worker (Chrome may have replaced it since launch). */
const sw = (): Promise<Worker> => runningServiceWorker(browser.context);
type Status = { renderFps: number; consumers: number };
const status = async (): Promise<Status> => (await sw()).evaluate(() => (globalThis as any).animecam.status());
const logCount = async (event: string) => (await swLog(await sw())).filter((e) => e.event === event).length;

/** What the page saw since the last reset: the longest wait between frames of the track (local preview), and the track's state. */
type Watch = { maxGapMs: number; frames: number; ended: number; readyState: string };
const watch = (): Promise<Watch> =>
  page.evaluate(() => {
    const w = (window as any).faultWatch;
    const track = (window as any).demoCall.stream.getVideoTracks()[0] as MediaStreamTrack;
    return { maxGapMs: Math.max(w.maxGap, performance.now() - w.last), frames: w.frames, ended: w.ended, readyState: track.readyState };
  });
const resetWatch = () => page.evaluate(() => (window as any).faultWatch.reset());

/** Is the remote picture moving (the live character), not one held frame repeated? */
async function remoteMoves(): Promise<boolean> {
  const region = { x: 0.3, y: 0.1, w: 0.4, h: 0.8 };
  const first = await remotePixels(page, region);
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(250);
    if (meanAbsDiff(await remotePixels(page, region), first) > 1) return true;
  }
  return false;
}

/** After a fault: the track kept delivering frames (the held picture), stayed live, and the character came back at the remote peer. */
async function expectSurvived(what: string): Promise<void> {
  // The new document starts its pipeline and renders the character (64 px WASM: seconds, far
  // more on a loaded machine), read from the page.
  await waitFor(() => remoteMoves(), `${what}: the remote picture moves again`, 150_000, 0);
  const w = await watch();
  const gaps = await page.evaluate(() => (window as any).faultWatch.gaps);
  console.info(`${what}: longest gap between the track's frames ${Math.round(w.maxGapMs)} ms, ${w.frames} frames; gaps over 1 s: ${JSON.stringify(gaps)}`);
  expect(w.readyState).toBe('live');
  expect(w.ended).toBe(0);
  // The feed repeats the held frame every 200 ms, so on a quiet machine the gaps stay far under the
  // issue's 2 s. On a loaded 2-core machine the page's main thread itself can be starved for
  // seconds (2.4-2.9 s measured at load average 17), so the bound here is 4 s: a feed that did not
  // hold would freeze for the whole rebuild (a new document, its pipeline, a new connection).
  expect(w.maxGapMs).toBeLessThan(4000);
}

/** The page's AnimeCam track ended once (as an unplugged camera), while its microphone and call carry on. */
async function expectEndedLikeUnplugged(p: Page, watch: 'faultWatch' | 'crashWatch'): Promise<void> {
  await waitFor(() => p.evaluate(() => (window as any).demoCall.cameraState === 'ended'), 'the page saw its camera track end', 15_000);
  const after = await p.evaluate((w) => {
    const call = (window as any).demoCall;
    return {
      video: call.stream.getVideoTracks()[0].readyState,
      audio: call.stream.getAudioTracks().map((t: MediaStreamTrack) => t.readyState),
      connection: (call.sender as RTCPeerConnection).connectionState,
      ended: (window as any)[w].ended,
    };
  }, watch);
  expect(after).toEqual({ video: 'ended', audio: ['live'], connection: 'connected', ended: 1 });
}

/** An extension page, to reach the extension's APIs whichever worker runs now. */
async function extensionPage(): Promise<Page> {
  const p = await browser.context.newPage();
  await p.goto(browser.extUrl('src/ui/options/index.html'));
  return p;
}

beforeAll(async () => {
  server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(requireSharedDir(), 'tha4') } });
  browser = await launchWithExtension();
  // Camera-free and a small WASM render: the character moves on its own and starts fast.
  await browser.sw.evaluate((o) => (globalThis as any).animecam.updateSettings({ renderSize: 64, renderBackend: 'wasm', cameraFree: { everywhere: false, sites: { [o]: true } } }), server.origin);
  await browser.sw.evaluate((base) => (globalThis as any).animecam.installSample('lambda_00', base), `${server.origin}/characters/`);
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${server.origin}/index.html`);
  await chooseAnimeCam(page, browser.sw);
  await page.click('#join');
  await waitFor(async () => (await remoteFrames(page)) > 5, 'remote frames', 120_000);
  await waitFor(async () => (await status()).renderFps > 0, 'the character renders', 180_000, 500);
  await page.evaluate(() => {
    // The local preview shows the AnimeCam track itself: its frames are what the track delivers.
    // (The remote view adds the demo call's own encode and decode, which stall for seconds on
    // a loaded 2-core machine whatever the track does; it is checked for moving again.)
    const v = document.getElementById('local') as HTMLVideoElement;
    const w = { last: performance.now(), maxGap: 0, frames: 0, ended: 0, gaps: [] as number[][], reset: () => undefined as void };
    w.reset = () => {
      w.gaps = [];
      w.maxGap = 0;
      w.last = performance.now();
    };
    const onFrame = () => {
      const t = performance.now();
      w.maxGap = Math.max(w.maxGap, t - w.last);
      if (t - w.last > 1000) w.gaps.push([Date.now(), Math.round(t - w.last)]);
      w.last = t;
      w.frames++;
      v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
    (window as any).demoCall.stream.getVideoTracks()[0].addEventListener('ended', () => w.ended++);
    (window as any).faultWatch = w;
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('offscreen document faults mid-call', () => {
  it('closed: the track holds its last picture, then the character comes back', async () => {
    await resetWatch();
    await (await sw()).evaluate(() => chrome.offscreen.closeDocument());
    await expectSurvived('document closed');
    expect(await logCount('AnimeCam track offered again')).toBe(1);
  });

  it('closed from outside the extension (DevTools protocol): the same', async () => {
    await resetWatch();
    const cdp = await browser.context.newCDPSession(page);
    const target = await waitFor(
      async () => ((await cdp.send('Target.getTargets')).targetInfos as { targetId: string; url: string }[]).find((t) => t.url.includes('/src/offscreen/index.html')),
      'the offscreen document',
    );
    await cdp.send('Target.closeTarget', { targetId: target.targetId });
    await cdp.detach().catch(() => undefined);
    await expectSurvived('document closed from outside');
    expect(await logCount('AnimeCam track offered again')).toBe(2);
  });

  it('extension reloaded: the track ends like an unplugged camera, the call goes on, the next call gets AnimeCam', async () => {
    const ext = await extensionPage();
    await ext.evaluate(() => chrome.runtime.reload()).catch(() => undefined); // the page goes away with the extension
    await expectEndedLikeUnplugged(page, 'faultWatch');
    // The page's own media still works: a new getUserMedia gets the real (fake) camera, not AnimeCam.
    const label = await page.evaluate(async () => {
      const s = await navigator.mediaDevices.getUserMedia({ video: true });
      const l = s.getVideoTracks()[0].label;
      s.getTracks().forEach((t) => t.stop());
      return l;
    });
    expect(label).not.toBe('AnimeCam');
    expect(pageErrors).toEqual([]);

    // The reloaded (updated) extension serves the next call: a fresh page gets AnimeCam again.
    const reloaded = await runningServiceWorker(browser.context, 'the reloaded extension');
    await reloaded.evaluate((o) => (globalThis as any).animecam.updateSettings({ renderSize: 64, renderBackend: 'wasm', cameraFree: { everywhere: false, sites: { [o]: true } } }), server.origin);
    const next = await browser.context.newPage();
    await next.goto(`${server.origin}/index.html`);
    await chooseAnimeCam(next, reloaded);
    await next.click('#join');
    await waitFor(async () => (await remoteFrames(next)) > 5, 'frames in a call after the reload', 120_000);
    expect(await next.evaluate(() => (window as any).demoCall.stream.getVideoTracks()[0].label)).toBe('AnimeCam');
    callAfterReload = next;
  });

  it('document crashed: the whole extension process goes, so the track ends like an unplugged camera', async () => {
    // The offscreen document shares its process with the service worker; Chromium does not restart
    // a crashed extension (the user reloads it), so no new document can take over this call.
    const p = callAfterReload!;
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.evaluate(() => {
      const t = (window as any).demoCall.stream.getVideoTracks()[0] as MediaStreamTrack;
      (window as any).crashWatch = { ended: 0 };
      t.addEventListener('ended', () => (window as any).crashWatch.ended++);
    });
    const offscreen = await attachOffscreen(browser.context, p);
    void offscreen.send('Page.crash'); // no reply comes: the document is gone
    await expectEndedLikeUnplugged(p, 'crashWatch');
    expect(errors).toEqual([]);
    await offscreen.detach();
  });
});
