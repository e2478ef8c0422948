/**
 * Whole-extension tests of the foundation: page script, bridge, service worker and offscreen
 * document wired together in a real Chromium, on the demo call page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { DIST_DEMO, launchWithExtension, swLog, waitFor, type ExtensionBrowser } from '../support/extension';

const FIRST_SCRIPT_PAGE = `<!doctype html><html><head><script>
  // The page's very first script: AnimeCam's page script must already have run, and leave no
  // marker on window (own properties and symbols, enumerable or not).
  window.firstLook = {
    marked: Object.getOwnPropertySymbols(window).some((s) => /animecam/i.test(String(s))) ||
      Object.getOwnPropertyNames(window).some((n) => /animecam/i.test(n)),
    gumNative: String(navigator.mediaDevices.getUserMedia).includes('[native code]'),
  };
</script></head><body>first</body></html>`;

let server: RunningServer;

function offscreenCount(): Promise<number> {
  return browser.sw.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length);
}
let browser: ExtensionBrowser;

interface Pong { id: number; ok: boolean; path: string[]; error?: string }

/** Posts a message as the page world would, and collects the bridge's pongs for a while. */
async function postFromPage(page: Page, msg: unknown, waitMs = 1500): Promise<Pong[]> {
  return page.evaluate(
    ({ msg, waitMs }) =>
      new Promise<Pong[]>((done) => {
        const pongs: Pong[] = [];
        const onMsg = (ev: MessageEvent) => {
          const d = ev.data as { tag?: string; dir?: string; msg?: { type?: string } & Pong };
          if (d?.tag === 'animecam/v1' && d.dir === 'to-page' && d.msg?.type === 'bridge/pong') pongs.push(d.msg);
        };
        window.addEventListener('message', onMsg);
        window.postMessage({ tag: 'animecam/v1', dir: 'to-bridge', msg }, location.origin);
        const end = Date.now() + waitMs;
        const poll = () => {
          if (Date.now() < end && pongs.length === 0) return void setTimeout(poll, 20);
          window.removeEventListener('message', onMsg);
          done(pongs);
        };
        poll();
      }),
    { msg, waitMs },
  );
}

beforeAll(async () => {
  server = await startStaticServer({
    mounts: { '/': DIST_DEMO },
    routes: [
      (req, res) => {
        if (req.url !== '/first.html') return false;
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(FIRST_SCRIPT_PAGE);
        return true;
      },
    ],
  });
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('foundation', () => {
  it('runs the page script in the MAIN world before the page’s own scripts, leaving no marker', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/first.html`);
    const look = await page.evaluate(() => (window as unknown as { firstLook: { marked: boolean; gumNative: boolean } }).firstLook);
    expect(look).toEqual({ marked: false, gumNative: false });
    await page.close();
  });

  it('passes the demo call’s getUserMedia through the wrapper, and the remote view receives frames', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/index.html`);
    await page.selectOption('#camera', ''); // the real (fake) camera, not AnimeCam
    await page.click('#join');
    const frames = await waitFor(
      () => page.evaluate(() => (window as unknown as { demoCall: { remoteFrames: number } }).demoCall.remoteFrames > 10),
      'remote view receives frames',
    );
    expect(frames).toBe(true);
    const entries = await swLog(browser.sw);
    expect(entries.some((e) => e.event === 'page called getUserMedia' && JSON.stringify(e.detail).includes('"video":true'))).toBe(true);
    await page.close();
  });

  it('carries a typed message page → bridge → service worker → offscreen document and back', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/index.html`);
    const pongs = await waitFor(async () => {
      const p = await postFromPage(page, { type: 'page/ping', id: 7 }, 3000);
      return p.length > 0 ? p : null;
    }, 'pong from the offscreen document');
    expect(pongs[0]).toEqual({ type: 'bridge/pong', id: 7, ok: true, path: ['bridge', 'background', 'offscreen'] });
    expect(await offscreenCount()).toBe(1);
    await page.close();
    // The tab that used it is gone: the document goes with it.
    await waitFor(async () => (await offscreenCount()) === 0, 'offscreen document closed after the last tab');
  });

  it('opens the fake camera and gets a WebGPU adapter and device in the offscreen document', async () => {
    const cam = await browser.sw.evaluate(() => (globalThis as any).animecam.openCamera());
    expect(cam).toMatchObject({ ok: true, width: 640, height: 480 });
    const gpu = await browser.sw.evaluate(() => (globalThis as any).animecam.probeGpu());
    expect(gpu).toMatchObject({ ok: true, backend: 'webgpu' });
    expect(gpu.adapter.architecture).toBe('swiftshader');
    await browser.sw.evaluate(() => (globalThis as any).animecam.closeCamera());
  });

  it('rejects and logs malformed messages from the page, and changes nothing', async () => {
    const page = await browser.context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.goto(`${server.origin}/index.html`);
    const before = (await swLog(browser.sw)).length;
    const forged = [
      { type: 'page/ping', id: 'seven' },
      { type: 'page/ping', id: 1, extra: 'x' },
      { type: 'background/open-camera', target: 'offscreen' },
      { type: 'page/gum-called', video: 'yes', audio: false },
      'not an object',
    ];
    for (const msg of forged) expect(await postFromPage(page, msg, 500)).toEqual([]);
    await waitFor(() => warnings.filter((w) => w.includes('[AnimeCam:bridge] rejected malformed message')).length >= forged.length, 'five rejection warnings');
    expect(warnings.some((w) => w.includes('unknown message type "background/open-camera"'))).toBe(true);
    const after = await swLog(browser.sw);
    expect(after.length).toBe(before);
    await page.close();
  });
});

describe('camera failure in the offscreen document', () => {
  it('reaches the service worker as a typed, logged error while the page’s own call still works', async () => {
    // Camera prompts are denied, except for the call page's origin, which the user allowed.
    const denied = await launchWithExtension({ denyMedia: true });
    try {
      await denied.context.grantPermissions(['camera', 'microphone'], { origin: server.origin });
      const cam = await denied.sw.evaluate(() => (globalThis as any).animecam.openCamera());
      expect(cam).toMatchObject({ ok: false, error: { kind: 'denied', name: 'NotAllowedError' } });
      const logged = await waitFor(
        async () => (await swLog(denied.sw)).find((e) => e.event === 'offscreen could not open the camera'),
        'camera error logged by the service worker',
      );
      expect(logged.detail).toMatchObject({ kind: 'denied', name: 'NotAllowedError' });
      const page = await denied.context.newPage();
      await page.goto(`${server.origin}/index.html`);
      await page.selectOption('#camera', '');
      await page.click('#join');
      await waitFor(
        () => page.evaluate(() => (window as unknown as { demoCall: { remoteFrames: number } }).demoCall.remoteFrames > 5),
        'the page’s call still delivers frames',
      );
    } finally {
      await denied.close();
    }
  });
});
