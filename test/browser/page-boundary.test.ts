/**
 * The boundary between a web page and AnimeCam, tried as an attacker would (issue 13):
 * a page without camera permission, patched page prototypes, forged and malformed messages,
 * track caps, unanswered offers, host addresses in the offer, sites where AnimeCam is off.
 * One browser for all; the offer lifetime is shortened through the test build's debug API.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { sdpAddresses } from '../../src/shared/sdp-privacy';
import { animeCamIdFor, chooseAnimeCam, remoteFrames } from '../support/call-page';
import { DIST_DEMO, launchWithExtension, swLog, waitFor, type ExtensionBrowser } from '../support/extension';

let server: RunningServer;
let browser: ExtensionBrowser;

type Status = { camera: string; consumers: number };
const status = (): Promise<Status> => browser.sw.evaluate(() => (globalThis as any).animecam.status());
const setSite = (site: { enabled: boolean; replaceCamera: boolean }) =>
  browser.sw.evaluate(([origin, s]) => (globalThis as any).animecam.setSite(origin, s), [server.origin, site] as const);
const offscreenCount = (): Promise<number> =>
  browser.sw.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length);

// A page whose server forbids the camera to itself (its own getUserMedia fails with NotAllowedError).
const NO_CAMERA = '<!doctype html><html><body>no camera here</body></html>';

interface Reply { type: string; requestId?: number; id?: number; name?: string; message?: string; sdp?: string }

/**
 * Posts raw messages as the page world would, and collects every bridge reply until `until`
 * replies came or `waitMs` passed (a fixed window only where the test expects silence).
 */
function forge(page: Page, msgs: unknown[], waitMs: number, until = Infinity): Promise<Reply[]> {
  return page.evaluate(
    ({ msgs, waitMs, until }) =>
      new Promise<Reply[]>((done) => {
        const replies: Reply[] = [];
        // Captured before anything below patches the page's prototypes.
        const post = window.postMessage.bind(window);
        window.addEventListener('message', (ev) => {
          const d = ev.data as { tag?: string; dir?: string; msg?: Reply };
          if (d?.tag === 'animecam/v1' && d.dir === 'to-page' && d.msg && d.msg.type !== 'bridge/state') replies.push(d.msg);
          if (replies.length >= until) done(replies);
        });
        for (const msg of msgs) post({ tag: 'animecam/v1', dir: 'to-bridge', msg }, location.origin);
        setTimeout(() => done(replies), waitMs);
      }),
    { msgs, waitMs, until: Number.isFinite(until) ? until : 1e9 },
  );
}

const openTrack = (requestId: number, extra: Record<string, unknown> = {}) => ({ type: 'page/open-track', requestId, width: 640, height: 480, frameRate: 30, ...extra });

beforeAll(async () => {
  server = await startStaticServer({
    mounts: { '/': DIST_DEMO },
    routes: [
      (req, res) => {
        if (req.url !== '/no-camera.html') return false;
        res.writeHead(200, { 'Content-Type': 'text/html', 'Permissions-Policy': 'camera=()' });
        res.end(NO_CAMERA);
        return true;
      },
    ],
  });
  browser = await launchWithExtension();
  await setSite({ enabled: true, replaceCamera: false });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a page without camera permission', () => {
  it('gets no AnimeCam track, however it asks and whatever it patches', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/no-camera.html`);
    const own = await page.evaluate(() => navigator.mediaDevices.getUserMedia({ video: true }).then(() => 'granted', (e: Error) => e.name));
    expect(own).toBe('NotAllowedError');
    // Everything the issue names, patched the way a hostile page would.
    await page.evaluate(() => {
      const granted = { state: 'granted', name: 'camera', onchange: null, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => true };
      Permissions.prototype.query = async () => granted as unknown as PermissionStatus;
      const fakeStream = () => new MediaStream();
      MediaDevices.prototype.getUserMedia = async () => fakeStream();
      MediaDevices.prototype.enumerateDevices = async () => [];
      const origPost = window.postMessage.bind(window);
      window.postMessage = ((m: unknown, o: string) => origPost(m, o)) as typeof window.postMessage;
      const origAdd = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (this: EventTarget, ...a: Parameters<EventTarget['addEventListener']>) {
        return origAdd.apply(this, a);
      };
    });
    const animeCamId = await animeCamIdFor(browser.sw, server.origin);
    const viaWrapper = page.evaluate((id) => navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: id } } }).then((s) => s.getVideoTracks()[0]?.label ?? 'none', (e: Error) => e.name), animeCamId);
    const replies = await forge(page, [openTrack(11), openTrack(12), openTrack(13, { width: 1920, height: 1080, frameRate: 30 })], 60_000, 4);
    expect(await viaWrapper).toBe('NotAllowedError');
    expect(replies.filter((r) => r.type === 'bridge/track-offer')).toEqual([]);
    const errors = replies.filter((r) => r.type === 'bridge/track-error');
    expect(errors.filter((r) => [11, 12, 13].includes(r.requestId!)).map((r) => r.name)).toEqual(['NotAllowedError', 'NotAllowedError', 'NotAllowedError']);
    expect(errors.every((r) => r.name === 'NotAllowedError')).toBe(true); // the wrapper's own request too
    expect(await status()).toMatchObject({ consumers: 0, camera: 'off' });
    expect(await offscreenCount()).toBe(0);
    await page.close();
  });
});

describe('a page with camera permission', () => {
  it('gets an offer without host addresses, and the call still connects', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/index.html`);
    await page.evaluate(() => {
      const w = window as unknown as { offers: string[] };
      w.offers = [];
      window.addEventListener('message', (ev) => {
        const d = ev.data as { tag?: string; msg?: { type: string; sdp: string } };
        if (d?.tag === 'animecam/v1' && d.msg?.type === 'bridge/track-offer') w.offers.push(d.msg.sdp);
      });
    });
    await chooseAnimeCam(page, browser.sw);
    await page.click('#join');
    await waitFor(async () => (await remoteFrames(page)) > 5, 'remote frames over the AnimeCam track', 120_000);
    const offers = await page.evaluate(() => (window as unknown as { offers: string[] }).offers);
    expect(offers.length).toBe(1);
    expect(sdpAddresses(offers[0]).filter((a) => a !== '0.0.0.0' && a !== '::')).toEqual([]);
    expect(offers[0]).not.toMatch(/a=candidate:/);
    await page.close();
    await waitFor(async () => (await status()).consumers === 0, 'track released with the tab');
  });

  it('is capped in tracks per tab, and unanswered offers expire and release the camera', async () => {
    await browser.sw.evaluate(() => (globalThis as any).animecam.setOfferTtl(20_000));
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/index.html`);
      // Six at once: at most four in flight per frame; none is ever answered.
      const burst = await forge(page, [21, 22, 23, 24, 25, 26].map((id) => openTrack(id)), 90_000, 6);
      const offered = burst.filter((r) => r.type === 'bridge/track-offer');
      expect(offered.length).toBe(4);
      expect(burst.filter((r) => r.type === 'bridge/track-error').length).toBe(2);
      expect((await status()).consumers).toBe(4);
      // A fifth while four are held: the service worker's per-tab cap.
      const fifth = await forge(page, [openTrack(27)], 30_000, 1);
      expect(fifth).toMatchObject([{ type: 'bridge/track-error', requestId: 27, name: 'NotReadableError' }]);
      expect(fifth[0].message).toContain('per tab');
      // Nobody answers: the offers expire, the page is told, the camera goes off.
      const closed = await forge(page, [], 60_000, 4);
      expect(closed.filter((r) => r.type === 'bridge/track-closed').map((r) => r.requestId).sort()).toEqual(offered.map((r) => r.requestId).sort());
      await waitFor(async () => (await status()).consumers === 0, 'expired offers dropped');
      await waitFor(async () => (await offscreenCount()) === 0, 'pipeline and camera released', 15_000);
      expect((await swLog(browser.sw)).filter((e) => e.event === 'AnimeCam track offer expired unanswered').length).toBe(4);
      await page.close();
    } finally {
      await browser.sw.evaluate(() => (globalThis as any).animecam.setOfferTtl(30_000));
    }
  });
});

describe('malformed and forged messages', () => {
  it('change nothing, are logged rate-limited, and AnimeCam still works after', async () => {
    const page = await browser.context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
    await page.goto(`${server.origin}/index.html`);
    const settingsBefore = JSON.stringify(await browser.sw.evaluate(() => (globalThis as any).animecam.settings()));
    const garbage: unknown[] = [];
    for (let i = 0; i < 200; i++) {
      garbage.push(
        [
          { type: 'page/open-track', requestId: i, width: 4096, height: 4096, frameRate: 120 },
          { type: 'page/track-answer', requestId: i, sdp: 'x'.repeat(70_000) },
          { type: 'background/open-camera', target: 'offscreen' },
          { type: 'content/open-track', target: 'background', requestId: i, width: 640, height: 480, frameRate: 30 },
          { type: 'page/ping', id: -i - 1 },
          { type: '__proto__', id: i },
          [i, 'page/ping'],
          null,
        ][i % 8],
      );
    }
    // Well-formed but for tracks this frame never opened: relayed nowhere.
    garbage.push({ type: 'page/track-answer', requestId: 5, sdp: 'v=0' }, { type: 'page/track-ended', requestId: 6 });
    const logBefore = (await swLog(browser.sw)).length;
    const replies = await forge(page, garbage, 3000);
    expect(replies).toEqual([]);
    const bridgeWarnings = warnings.filter((w) => w.startsWith('[AnimeCam:bridge]'));
    expect(bridgeWarnings.length).toBeGreaterThanOrEqual(10);
    expect(bridgeWarnings.length).toBeLessThanOrEqual(11);
    expect((await swLog(browser.sw)).length).toBe(logBefore);
    // Extension pages are trusted senders, but what they send is parsed all the same.
    const options = await browser.context.newPage();
    await options.goto(browser.extUrl('src/ui/options/index.html'));
    const answers = await options.evaluate(async () => {
      const out: unknown[] = [];
      const bad: unknown[] = [
        { type: 'ui/open-preview', target: 'background', previewId: 'p', width: 8000, height: 8000, frameRate: 500 },
        { type: 'ui/close-preview', target: 'background' },
        { type: 'background/drop-gpu', target: 'background' },
        { type: 'ui/status', target: 'background', extra: 1 },
      ];
      for (let i = 0; i < 40; i++) out.push(await chrome.runtime.sendMessage(bad[i % bad.length]).catch((e: Error) => `error: ${e.message}`));
      return out;
    });
    expect(answers.every((a) => a === undefined || (typeof a === 'string' && a.startsWith('error:')))).toBe(true);
    const rejected = (await swLog(browser.sw)).slice(logBefore).filter((e) => e.event === 'rejected message');
    expect(rejected.length).toBeGreaterThanOrEqual(10);
    expect(rejected.length).toBeLessThanOrEqual(11);
    expect(await status()).toMatchObject({ consumers: 0, camera: 'off' });
    expect(await offscreenCount()).toBe(0);
    expect(JSON.stringify(await browser.sw.evaluate(() => (globalThis as any).animecam.settings()))).toBe(settingsBefore);
    // Still answering: a real ping goes all the way to the pipeline and back.
    const pong = await waitFor(async () => (await forge(page, [{ type: 'page/ping', id: 9 }], 3000)).find((r) => r.type === 'bridge/pong' && (r as { ok?: boolean }).ok), 'a pong after the flood');
    expect(pong).toMatchObject({ id: 9 });
    await options.close();
    await page.close();
    await waitFor(async () => (await offscreenCount()) === 0, 'pipeline closed after the last tab');
  });
});

describe('a site where AnimeCam is off', () => {
  it('cannot wake the extension, reach the pipeline or write its address into the log', async () => {
    await setSite({ enabled: false, replaceCamera: false });
    try {
      const logBefore = (await swLog(browser.sw)).length;
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/index.html?meeting=secret-room`);
      const replies = await forge(page, [{ type: 'page/ping', id: 1 }, { type: 'page/gum-called', video: true, audio: false }, openTrack(31)], 5000);
      // Only the refusal of the track request, which needs no extension but the bridge.
      expect(replies).toEqual([{ type: 'bridge/track-error', requestId: 31, name: 'NotFoundError', message: 'AnimeCam is switched off for this site' }]);
      await page.evaluate(() => navigator.mediaDevices.getUserMedia({ video: true }).then((s) => s.getTracks().forEach((t) => t.stop())));
      expect(await offscreenCount()).toBe(0);
      // Nothing from this page reached the worker (the pipeline closing after the test before may still log).
      const entries = (await swLog(browser.sw)).slice(logBefore).filter((e) => e.event !== 'offscreen closed');
      expect(entries).toEqual([]);
      expect(await browser.sw.evaluate(() => (globalThis as any).animecam.users())).toBe(0);
      await page.close();
    } finally {
      await setSite({ enabled: true, replaceCamera: false });
    }
  });
});
