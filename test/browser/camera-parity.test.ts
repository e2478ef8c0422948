/**
 * Camera parity (issue 12): every scenario runs twice in the same page, once on Chromium's fake
 * camera (the control: what a camera does) and once on AnimeCam, and the two observable results
 * are compared in one assertion. Where a result may differ (the fake camera's 20 fps against
 * AnimeCam's 30, its own formats and controls), the difference is normalised in the open, and the
 * README's "Differences from a real camera" says why.
 *
 * No character is installed: AnimeCam sends its "starting" card, whose background colour tells its
 * frames from the fake camera's test pattern, and keeps the pipeline cheap. AnimeCam runs
 * camera-free until the last scenario: the pipeline must not hold the fake camera the control
 * scenarios open, or Chromium would serve the page's tracks at the pipeline's format. One browser
 * serves every scenario; a track held by a page on a second origin keeps the pipeline up.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { launchWithExtension, waitFor, type ExtensionBrowser } from '../support/extension';

// `(window as any).parity` and the service worker's `animecam` debug API are plain JavaScript in
// the page and the worker, without types here; the results they return are what gets compared.
type Which = 'fake' | 'anime';
type Ctx = Page | Frame;

/** Page-side helpers, plain JavaScript served to the pages, so both runs use exactly this code. */
const HELPERS = String.raw`
window.parity = {
  async ids() {
    const d = await navigator.mediaDevices.enumerateDevices();
    return { fake: d.find((x) => x.label === 'fake_device_0')?.deviceId, anime: d.find((x) => x.label === 'AnimeCam')?.deviceId };
  },
  async open(which, extra = {}, audio = false) {
    const ids = await this.ids();
    if (!ids[which]) throw new Error('no device ' + which);
    return navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: ids[which] }, ...extra }, audio });
  },
  /**
   * Size and mean colour of a region of a frame of a track, as a page sees it: through a new
   * <video> and a canvas. Waits for a frame presented after the call (requestVideoFrameCallback).
   */
  async sample(track, r = { x: 0.01, y: 0.05, w: 0.08, h: 0.2 }, timeoutMs = 10000) {
    const v = document.createElement('video');
    v.muted = true;
    v.srcObject = new MediaStream([track]);
    document.body.append(v);
    try {
      await v.play();
      await new Promise((ok, fail) => {
        const t = setTimeout(() => fail(new Error('no frame from ' + track.label)), timeoutMs);
        v.requestVideoFrameCallback(() => (clearTimeout(t), ok()));
      });
      const c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      const g = c.getContext('2d', { willReadFrequently: true });
      g.drawImage(v, 0, 0);
      const px = g.getImageData(Math.round(r.x * c.width), Math.round(r.y * c.height), Math.max(1, Math.round(r.w * c.width)), Math.max(1, Math.round(r.h * c.height))).data;
      const m = [0, 0, 0];
      for (let i = 0; i < px.length; i += 4) { m[0] += px[i]; m[1] += px[i + 1]; m[2] += px[i + 2]; }
      return { w: c.width, h: c.height, rgb: m.map((x) => Math.round(x / (px.length / 4))) };
    } finally {
      v.srcObject = null;
      v.remove();
    }
  },
  /** AnimeCam's card background (#3a6b8c) at the left edge; the fake camera's pattern is green/black there. */
  isAnimeCam(rgb) { return Math.abs(rgb[0] - 0x3a) < 20 && Math.abs(rgb[1] - 0x6b) < 20 && Math.abs(rgb[2] - 0x8c) < 20; },
  isBlack(rgb) { return rgb.every((x) => x < 16); },
  sleep(ms) { return new Promise((r) => setTimeout(r, ms)); },
  keep: {},
};
`;

const html = (body = '') => `<!doctype html><html><head><script src="/parity.js"></script></head><body>${body}</body></html>`;

let server: RunningServer; // origin A: http://127.0.0.1:<port>
let serverB: RunningServer; // origin B is http://localhost:<its port>: another site, for ids and iframes
let originA: string;
let originB: string;
let browser: ExtensionBrowser;
let pa: Page; // the page on origin A most scenarios run in
let keeper: Page; // a page on origin B holding one AnimeCam track for the whole file

type Status = { camera: string; consumers: number };
const status = (): Promise<Status> => browser.sw.evaluate(() => (globalThis as any).animecam.status());
const updateSettings = (patch: Record<string, unknown>) => browser.sw.evaluate((p) => (globalThis as any).animecam.updateSettings(p), patch);
const setSite = (origin: string, enabled: boolean) =>
  browser.sw.evaluate(([o, e]) => (globalThis as any).animecam.setSite(o, { enabled: e, replaceCamera: false }), [origin, enabled] as const);

function routes(peer: () => string) {
  return [
    (req: { url?: string }, res: { writeHead(c: number, h: Record<string, string>): void; end(b: string): void }) => {
      const pages: Record<string, string> = {
        '/parity.js': HELPERS,
        '/parity.html': html(),
        '/same.html': html('<iframe id="f" src="/parity.html" allow="camera"></iframe>'),
        '/cross.html': html(`<iframe id="f" src="${peer()}/parity.html" allow="camera"></iframe>`),
        '/cross-no-allow.html': html(`<iframe id="f" src="${peer()}/parity.html"></iframe>`),
      };
      const body = pages[(req.url ?? '').split('?')[0]];
      if (body === undefined) return false;
      res.writeHead(200, { 'Content-Type': req.url?.endsWith('.js') ? 'text/javascript' : 'text/html' });
      res.end(body);
      return true;
    },
  ];
}

async function openPage(origin: string, path = '/parity.html'): Promise<Page> {
  const p = await browser.context.newPage();
  await p.goto(`${origin}${path}`);
  return p;
}

/** Waits until the page lists AnimeCam with its id (the page holds camera permission). */
async function animeListed(ctx: Ctx): Promise<void> {
  await waitFor(() => ctx.evaluate(() => (window as any).parity.ids().then((i: { anime?: string }) => !!i.anime)), 'AnimeCam listed');
}

/** Runs a scenario on the fake camera, then on AnimeCam; returns both results. */
async function both<T>(ctx: Ctx, run: (ctx: Ctx, which: Which) => Promise<T>): Promise<{ fake: T; anime: T }> {
  const r = { fake: await run(ctx, 'fake'), anime: await run(ctx, 'anime') };
  console.info(JSON.stringify(r)); // both answers side by side in the log, for when a comparison fails
  return r;
}

/** Only the keeper's AnimeCam track is left open. */
async function onlyKeeperLeft(): Promise<void> {
  await waitFor(async () => (await status()).consumers === 1, 'every AnimeCam track of the scenario released', 10_000);
}

beforeAll(async () => {
  server = await startStaticServer({ mounts: {}, routes: routes(() => originB) });
  serverB = await startStaticServer({ mounts: {}, routes: routes(() => originA) });
  originA = server.origin;
  originB = serverB.origin.replace('127.0.0.1', 'localhost');
  browser = await launchWithExtension();
  // No character: the render size only bounds what a character would cost if one appeared.
  await updateSettings({ renderSize: 64, renderBackend: 'wasm', cameraFree: { everywhere: true, sites: {} } });
  for (const o of [originA, originB]) await setSite(o, true);
  keeper = await openPage(originB);
  // The first AnimeCam getUserMedia starts the offscreen document: the slow one, done once here.
  const firstGum = await keeper.evaluate(async () => {
    const s = await navigator.mediaDevices.getUserMedia({ video: true });
    s.getTracks().forEach((t) => t.stop());
    const t0 = performance.now();
    (window as any).parity.keep.warm = (await (window as any).parity.open('anime')).getVideoTracks()[0];
    return Math.round(performance.now() - t0);
  });
  console.info(`first AnimeCam getUserMedia (camera-free, no character): ${firstGum} ms`);
  pa = await openPage(originA);
  await pa.evaluate(async () => (await navigator.mediaDevices.getUserMedia({ video: true })).getTracks().forEach((t) => t.stop()));
  await animeListed(pa);
});

// A scenario that failed half-way may leave tracks open: reloading the page releases them all.
afterEach(async () => {
  if ((await status()).consumers <= 1) return;
  await pa.reload();
  await onlyKeeperLeft();
  await animeListed(pa);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await serverB?.close();
});

describe('AnimeCam answers like the fake camera', () => {
  it('lists AnimeCam before camera permission exactly as the browser lists a camera then', async () => {
    // With its prompts auto-accepted, the browser above holds camera permission everywhere: this
    // scenario needs one that asks (and is refused), where the page has no permission yet.
    const asking = await launchWithExtension({ denyMedia: true });
    try {
      const list = async (enabled: boolean) => {
        await asking.sw.evaluate(([o, e]) => (globalThis as any).animecam.setSite(o, { enabled: e, replaceCamera: false }), [originA, enabled] as const);
        const p = await asking.context.newPage();
        await p.goto(`${originA}/parity.html`);
        const r = await p.evaluate(async () => ({
          permission: (await navigator.permissions.query({ name: 'camera' as PermissionName })).state,
          devices: (await navigator.mediaDevices.enumerateDevices()).map((d) => ({ ...d.toJSON(), caps: JSON.stringify((d as InputDeviceInfo).getCapabilities?.() ?? null) })),
        }));
        await p.close();
        return r;
      };
      const off = await list(false);
      const on = await list(true);
      expect(off.permission).toBe('prompt');
      expect(off.devices.filter((d) => d.kind === 'videoinput')).toEqual([{ deviceId: '', kind: 'videoinput', label: '', groupId: '', caps: '{}' }]);
      expect(on).toEqual(off);
    } finally {
      await asking.close();
    }
  });

  it('clones (track and stream) like a camera: same answers, every clone and the original deliver, clones outlive it', async () => {
    const r = await both(pa, (ctx, which) =>
      ctx.evaluate(async (which) => {
        const h = (window as any).parity;
        const s: MediaStream = await h.open(which, { width: 1280, height: 720 });
        const t = s.getVideoTracks()[0];
        const c = t.clone();
        const sc = s.clone().getVideoTracks()[0];
        const same = (x: MediaStreamTrack) => ({
          label: x.label === t.label,
          settings: JSON.stringify(x.getSettings()) === JSON.stringify(t.getSettings()),
          caps: JSON.stringify(x.getCapabilities()) === JSON.stringify(t.getCapabilities()),
          constraints: JSON.stringify(x.getConstraints()) === JSON.stringify(t.getConstraints()),
          live: x.readyState === 'live',
          muted: x.muted,
          enabled: x.enabled,
          kind: x.kind,
          newId: x.id !== t.id,
        });
        const before = { clone: same(c), streamClone: same(sc) };
        // A sink attached to the original after cloning (a self-view) gets frames too.
        const original = await h.sample(t);
        t.stop();
        const afterStop = { original: t.readyState, clone: c.readyState, streamClone: sc.readyState };
        const fromClone = await h.sample(c);
        const fromStreamClone = await h.sample(sc);
        h.keep[which] = [c, sc];
        return {
          label: t.label === (which === 'anime' ? 'AnimeCam' : 'fake_device_0'),
          before,
          afterStop,
          size: [original.w, original.h, fromClone.w, fromClone.h, fromStreamClone.w, fromStreamClone.h],
          picture: [original, fromClone, fromStreamClone].map((f) => (h.isAnimeCam(f.rgb) ? 'anime' : 'fake')),
        };
      }, which),
    );
    expect(r.fake.before.clone).toEqual({ label: true, settings: true, caps: true, constraints: true, live: true, muted: false, enabled: true, kind: 'video', newId: true });
    expect(r.fake.afterStop).toEqual({ original: 'ended', clone: 'live', streamClone: 'live' });
    // The same result, except that each device shows its own picture.
    expect({ ...r.anime, picture: r.anime.picture.map(() => 'own') }).toEqual({ ...r.fake, picture: r.fake.picture.map(() => 'own') });
    expect({ fake: r.fake.picture, anime: r.anime.picture }).toEqual({ fake: ['fake', 'fake', 'fake'], anime: ['anime', 'anime', 'anime'] });
    await pa.evaluate(() => Object.values((window as any).parity.keep as Record<string, MediaStreamTrack[]>).flat().forEach((t) => t.stop()));
    await onlyKeeperLeft();
  });

  it('serves several getUserMedia calls and clones per tab, each stoppable on its own', async () => {
    const r = await both(pa, (ctx, which) =>
      ctx.evaluate(async (which) => {
        const h = (window as any).parity;
        const tracks: MediaStreamTrack[] = [];
        for (let i = 0; i < 3; i++) {
          const t = (await h.open(which, { width: 640, height: 480 })).getVideoTracks()[0];
          tracks.push(t, t.clone(), t.clone());
        }
        const states: string[] = [];
        // The originals first, then the clones, recording everyone's state each time.
        for (const i of [0, 3, 6, 1, 4, 7, 2, 5]) {
          tracks[i].stop();
          states.push(tracks.map((t) => t.readyState[0]).join(''));
        }
        // The last clone of the first source, a clone of the second, and so on, still deliver.
        const last = await h.sample(tracks[8]);
        tracks[8].stop();
        return { states, lastSize: [last.w, last.h], allEnded: tracks.every((t) => t.readyState === 'ended') };
      }, which),
    );
    expect(r.fake.allEnded).toBe(true);
    expect(r.anime).toEqual(r.fake);
    await onlyKeeperLeft();
  });

  it('applies constraints like a camera: only what is asked, keeping the aspect ratio, naming what fails', async () => {
    const cases: Record<string, unknown>[] = [
      { width: { ideal: 640 } }, // the example: a lone track switches format, as the camera does
      { width: 640 },
      { height: 360 },
      { height: { ideal: 480 } },
      { aspectRatio: 4 / 3 },
      { aspectRatio: { exact: 1 } },
      { frameRate: 10 },
      { frameRate: { max: 15 } },
      { frameRate: { min: 5, ideal: 12 } },
      { width: { exact: 800 } },
      { width: { min: 800 } },
      { width: { max: 320 } },
      { height: { min: 200, max: 500 } },
      { width: { min: 320, max: 1000 }, height: { min: 200, max: 500 } },
      { width: 640, resizeMode: 'none' },
      { width: 800, height: 600, resizeMode: 'crop-and-scale' },
      { width: 800, resizeMode: { exact: 'crop-and-scale' } },
      { resizeMode: { exact: 'none' }, width: { exact: 800 } },
      {},
      { width: { min: 5000 } },
      { height: { exact: 5000 } },
      { aspectRatio: { min: 3 }, height: { min: 480 } },
      { frameRate: { exact: 120 } },
      { facingMode: { exact: 'environment' } },
    ];
    const r = await both(pa, (ctx, which) =>
      ctx.evaluate(
        async ([which, cases]) => {
          const h = (window as any).parity;
          const t: MediaStreamTrack = (await h.open(which, { width: 1280, height: 720 })).getVideoTracks()[0];
          const pick = (c: Record<string, unknown>) => {
            const s = t.getSettings() as MediaTrackSettings & { resizeMode?: string };
            // Frame rates only where asked, below both devices' native rates (the fake camera runs at 20).
            return { w: s.width, h: s.height, ar: Number(s.aspectRatio!.toFixed(3)), resize: s.resizeMode, ...('frameRate' in c ? { fps: s.frameRate } : {}) };
          };
          const out: unknown[] = [];
          for (const c of cases) {
            await t.applyConstraints({ width: 1280, height: 720 });
            try {
              await t.applyConstraints(c as MediaTrackConstraints);
              out.push({ ...pick(c), constraints: t.getConstraints() });
            } catch (e) {
              out.push({ error: (e as Error).name, constraint: (e as OverconstrainedError).constraint, unchanged: pick({}), constraints: t.getConstraints() });
            }
          }
          // With a clone sharing the source, a camera does not switch format: it crops and scales.
          await t.applyConstraints({ width: 1280, height: 720 });
          const clone = t.clone();
          await t.applyConstraints({ width: { ideal: 640 } });
          out.push({ withClone: pick({}) });
          clone.stop();
          t.stop();
          return out;
        },
        [which, cases] as const,
      ),
    );
    expect(r.fake[0]).toMatchObject({ w: 640, h: 480, resize: 'none' });
    expect(r.fake.at(-1)).toEqual({ withClone: { w: 640, h: 360, ar: 1.778, resize: 'crop-and-scale' } });
    expect(r.anime).toEqual(r.fake);
    await onlyKeeperLeft();
  });

  it('reports settings true to its frames, with the keys a camera reports', async () => {
    const r = await both(pa, (ctx, which) =>
      ctx.evaluate(async (which) => {
        const h = (window as any).parity;
        const t: MediaStreamTrack = (await h.open(which, { width: 1280, height: 720 })).getVideoTracks()[0];
        const frames: unknown[] = [];
        const sizes = [{ width: 1280, height: 720 }, { aspectRatio: { exact: 1 } }, { width: 320 }, { width: { ideal: 640 } }, { height: 360 }];
        for (const c of sizes) {
          await t.applyConstraints(c);
          const s = t.getSettings();
          // The first frame a new sink gets after applyConstraints resolved.
          const f = await h.sample(t);
          frames.push({ settings: [s.width, s.height, Number(s.aspectRatio!.toFixed(3))], frame: [f.w, f.h, Number((f.w / f.h).toFixed(3))] });
        }
        const s = t.getSettings() as Record<string, unknown>;
        const ids = await h.ids();
        const device = (await navigator.mediaDevices.enumerateDevices()).find((d) => d.deviceId === ids[which])!;
        t.stop();
        return {
          frames,
          keys: Object.keys(s).sort(),
          deviceId: s.deviceId === ids[which],
          groupId: s.groupId === device.groupId,
          capsIds: t.getCapabilities().deviceId === ids[which] && t.getCapabilities().groupId === device.groupId,
        };
      }, which),
    );
    for (const f of r.fake.frames as { settings: number[]; frame: number[] }[]) expect(f.frame).toEqual(f.settings);
    // Differences in the keys, documented: AnimeCam reports facingMode "user", like a front webcam
    // (the fake camera has none), and has no lens controls (the fake camera reports exposure and focus).
    const LENS = ['exposureMode', 'exposureTime', 'focusDistance', 'focusMode'];
    expect({ ...r.anime, keys: r.anime.keys.filter((k) => k !== 'facingMode') }).toEqual({ ...r.fake, keys: r.fake.keys.filter((k) => !LENS.includes(k)) });
    expect({ anime: r.anime.keys.filter((k) => !r.fake.keys.includes(k)), fake: r.fake.keys.filter((k) => !r.anime.keys.includes(k)) }).toEqual({ anime: ['facingMode'], fake: LENS });
    await onlyKeeperLeft();
  });

  it('is unmuted when getUserMedia resolves, fires no mute events, goes black when disabled, ends on stop without an event', async () => {
    const r = await both(pa, (ctx, which) =>
      ctx.evaluate(async (which) => {
        const h = (window as any).parity;
        const t: MediaStreamTrack = (await h.open(which, { width: 640, height: 480 })).getVideoTracks()[0];
        const atResolve = { muted: t.muted, state: t.readyState, enabled: t.enabled };
        const events: string[] = [];
        for (const e of ['mute', 'unmute', 'ended']) t.addEventListener(e, () => events.push(e));
        const all = { x: 0, y: 0, w: 1, h: 1 };
        const live = await h.sample(t, all);
        t.enabled = false;
        await h.sleep(500);
        const disabled = await h.sample(t, all);
        t.enabled = true;
        await h.sleep(500);
        const again = await h.sample(t, all);
        t.stop();
        await h.sleep(200);
        return { atResolve, events, black: [h.isBlack(live.rgb), h.isBlack(disabled.rgb), h.isBlack(again.rgb)], size: [disabled.w, disabled.h], after: { state: t.readyState, muted: t.muted, enabled: t.enabled } };
      }, which),
    );
    expect(r.fake).toMatchObject({ atResolve: { muted: false, state: 'live', enabled: true }, events: [], black: [false, true, false] });
    expect(r.anime).toEqual(r.fake);
    await onlyKeeperLeft();
  });

  it('ends every AnimeCam track and clone with an ended event when AnimeCam is switched off for the site', async () => {
    await pa.evaluate(async () => {
      const h = (window as any).parity;
      const t: MediaStreamTrack = (await h.open('anime')).getVideoTracks()[0];
      const fake: MediaStreamTrack = (await h.open('fake')).getVideoTracks()[0];
      h.keep = { ended: [], tracks: [t, t.clone(), fake] };
      h.keep.tracks.forEach((x: MediaStreamTrack, i: number) => (x.onended = () => h.keep.ended.push(i)));
    });
    await setSite(originA, false);
    try {
      await waitFor(() => pa.evaluate(() => (window as any).parity.keep.ended.length === 2), 'ended events');
      const r = await pa.evaluate(() => ({ ended: (window as any).parity.keep.ended.sort(), states: (window as any).parity.keep.tracks.map((t: MediaStreamTrack) => t.readyState) }));
      // A real camera's track is not AnimeCam's business: it stays live.
      expect(r).toEqual({ ended: [0, 1], states: ['ended', 'ended', 'live'] });
      await onlyKeeperLeft();
    } finally {
      await setSite(originA, true);
    }
    await pa.evaluate(() => (window as any).parity.keep.tracks[2].stop());
    await animeListed(pa);
  });

  it('feeds every sink a camera feeds: processor, ImageCapture, MediaRecorder, canvas, simulcast and replaceTrack', async () => {
    const r = await both(pa, (ctx, which) =>
      ctx.evaluate(async (which) => {
        const h = (window as any).parity;
        const t: MediaStreamTrack = (await h.open(which, { width: 640, height: 480 })).getVideoTracks()[0];
        const out: Record<string, unknown> = {};
        // MediaStreamTrackProcessor (on a clone: cancelling the reader ends its track).
        const forProcessor = t.clone();
        const reader = new (window as any).MediaStreamTrackProcessor({ track: forProcessor }).readable.getReader();
        const { value: frame } = await reader.read();
        out.processor = [frame.displayWidth, frame.displayHeight];
        frame.close();
        await reader.cancel();
        forProcessor.stop();
        // ImageCapture: grabFrame, and takePhoto (the fake camera supports it).
        const ic = new (window as any).ImageCapture(t);
        const bmp = await ic.grabFrame();
        out.grabFrame = [bmp.width, bmp.height];
        const photo = async (settings?: Record<string, number>) =>
          ic.takePhoto(settings).then(
            async (b: Blob) => {
              const img = await createImageBitmap(b);
              return { type: b.type, size: [img.width, img.height] };
            },
            (e: Error) => e.name,
          );
        out.takePhoto = [await photo(), await photo({ imageWidth: 320 })];
        out.photoSettings = await ic.getPhotoSettings().then((p: Record<string, unknown>) => p, (e: Error) => e.name);
        out.photoCapabilities = await ic.getPhotoCapabilities().then((p: Record<string, unknown>) => Object.keys(p).sort(), (e: Error) => e.name);
        // MediaRecorder: its encoder takes a while to start here, so record until data has come.
        const rec = new MediaRecorder(new MediaStream([t]), { mimeType: 'video/webm;codecs=vp8' });
        const chunks: Blob[] = [];
        rec.ondataavailable = (e) => chunks.push(e.data);
        rec.start(250);
        for (let i = 0; i < 40 && chunks.reduce((n, c) => n + c.size, 0) < 4000; i++) await h.sleep(250);
        await new Promise((r) => ((rec.onstop = r), rec.stop()));
        const video = document.createElement('video');
        video.muted = true;
        video.src = URL.createObjectURL(new Blob(chunks, { type: 'video/webm' }));
        out.recorder = await new Promise((ok) => ((video.onloadedmetadata = () => ok([video.videoWidth, video.videoHeight])), (video.onerror = () => ok(video.error?.message))));
        // Canvas drawImage from a <video>.
        const sample = await h.sample(t);
        out.canvas = [sample.w, sample.h];
        // A call: simulcast with 3 encodings, then replaceTrack from a canvas track to this one.
        const a = new RTCPeerConnection();
        const b = new RTCPeerConnection();
        a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
        b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
        const remote = new Promise<MediaStreamTrack>((ok) => (b.ontrack = (e) => ok(e.track)));
        const sim = a.addTransceiver(t, { direction: 'sendonly', sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }] });
        out.simulcastEncodings = sim.sender.getParameters().encodings.map((e) => e.rid);
        const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
        const cg = canvas.getContext('2d')!;
        const paint = setInterval(() => ((cg.fillStyle = '#d01010'), cg.fillRect(0, 0, 320, 240)), 50);
        const red = canvas.captureStream(20).getVideoTracks()[0];
        const single = a.addTransceiver(red, { direction: 'sendonly' });
        await a.setLocalDescription();
        await b.setRemoteDescription(a.localDescription!);
        await b.setLocalDescription();
        await a.setRemoteDescription(b.localDescription!);
        const got = await remote;
        const simulcast = await h.sample(got);
        out.simulcastFlows = simulcast.w > 0 && h.isAnimeCam(simulcast.rgb) === h.isAnimeCam(sample.rgb);
        const second = b.getTransceivers()[1].receiver.track;
        const beforeReplace = await h.sample(second);
        await single.sender.replaceTrack(t);
        let afterReplace = await h.sample(second);
        for (let i = 0; i < 40 && Math.abs(afterReplace.rgb[0] - beforeReplace.rgb[0]) < 40; i++) afterReplace = await h.sample(second);
        out.replaceTrack = { wasRed: beforeReplace.rgb[0] > 150, nowThisSource: h.isAnimeCam(afterReplace.rgb) === h.isAnimeCam(sample.rgb) && afterReplace.rgb[0] < 150 };
        clearInterval(paint);
        a.close();
        b.close();
        red.stop();
        t.stop();
        return out;
      }, which),
    );
    expect(r.fake).toMatchObject({
      processor: [640, 480],
      grabFrame: [640, 480],
      takePhoto: [{ type: 'image/png', size: [640, 480] }, { type: 'image/png', size: [640, 480] }], // the asked size is ignored
      photoSettings: { imageWidth: 640, imageHeight: 480 },
      recorder: [640, 480],
      canvas: [640, 480],
      simulcastEncodings: ['q', 'h', 'f'],
      simulcastFlows: true,
      replaceTrack: { wasRed: true, nowThisSource: true },
    });
    expect(r.anime).toEqual(r.fake);
    await onlyKeeperLeft();
  });

  it('works in same-origin and cross-origin iframes allowed the camera, and not in one without allow', async () => {
    const p = await browser.context.newPage();
    const results: Record<string, unknown> = {};
    for (const path of ['/same.html', '/cross.html', '/cross-no-allow.html']) {
      await p.goto(`${originA}${path}`);
      const frame = await waitFor(() => p.frames().find((f) => f !== p.mainFrame() && f.url().endsWith('/parity.html')), 'the iframe');
      await waitFor(() => frame.evaluate(() => !!(window as any).parity), 'helpers in the iframe');
      if (path !== '/cross-no-allow.html') await animeListed(frame);
      results[path] = await both(frame, (ctx, which) =>
        ctx.evaluate(async (which) => {
          const h = (window as any).parity;
          const listed = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
          const labelled = listed.some((d) => d.label !== '');
          try {
            const s: MediaStream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: (await h.ids())[which] ?? 'unlisted' }, width: 640, height: 480 } });
            const t = s.getVideoTracks()[0];
            const f = await h.sample(t);
            t.stop();
            return { ok: true, label: t.label === (which === 'anime' ? 'AnimeCam' : 'fake_device_0'), size: [f.w, f.h], labelled };
          } catch (e) {
            return { ok: false, error: (e as Error).name, labelled };
          }
        }, which),
      );
    }
    await p.close();
    expect(results).toEqual({
      '/same.html': { fake: { ok: true, label: true, size: [640, 480], labelled: true }, anime: { ok: true, label: true, size: [640, 480], labelled: true } },
      '/cross.html': { fake: { ok: true, label: true, size: [640, 480], labelled: true }, anime: { ok: true, label: true, size: [640, 480], labelled: true } },
      '/cross-no-allow.html': { fake: (results['/cross-no-allow.html'] as { fake: unknown }).fake, anime: (results['/cross-no-allow.html'] as { fake: unknown }).fake },
    });
    expect((results['/cross-no-allow.html'] as { fake: unknown }).fake).toMatchObject({ ok: false });
    await onlyKeeperLeft();
  });

  it('gives each origin its own stable AnimeCam deviceId, as the browser does for its cameras', async () => {
    const ids = async (origin: string) => {
      const p = await openPage(origin);
      await animeListed(p);
      const i = await p.evaluate(async () => {
        const h = (window as any).parity;
        const groups = async () => {
          const d = await navigator.mediaDevices.enumerateDevices();
          return { fake: d.find((x) => x.label === 'fake_device_0')!.groupId, anime: d.find((x) => x.label === 'AnimeCam')!.groupId };
        };
        return { ...(await h.ids()), groups: { ...(await groups()), again: await groups() } };
      });
      await p.close();
      return i;
    };
    const a1 = await ids(originA);
    const a2 = await ids(originA);
    const b = await ids(originB);
    type Ids = { fake: string; anime: string; groups: { fake: string; anime: string; again: { fake: string; anime: string } } };
    const shape = (x: Ids, y: Ids, which: Which) => ({
      same: x[which] === y[which],
      hex64: /^[0-9a-f]{64}$/.test(x[which]),
      sameGroup: x.groups[which] === y.groups[which],
      groupHex64: /^[0-9a-f]{64}$/.test(x.groups[which]),
      groupStableInDocument: x.groups[which] === x.groups.again[which],
    });
    expect({ reloaded: shape(a1, a2, 'anime'), perOrigin: shape(a1, b, 'anime') }).toEqual({ reloaded: shape(a1, a2, 'fake'), perOrigin: shape(a1, b, 'fake') });
    expect(shape(a1, a2, 'fake')).toEqual({ same: true, hex64: true, sameGroup: false, groupHex64: true, groupStableInDocument: true });
    expect(shape(a1, b, 'fake')).toMatchObject({ same: false });
    // Each id opens its device on its own origin only; another origin's id is unknown there.
    const r = await both(keeper, (ctx, which) =>
      ctx.evaluate(
        async ([mine, theirs]) => {
          const tryId = (id: string) =>
            navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: id } } }).then(
              (s) => (s.getTracks().forEach((t) => t.stop()), s.getVideoTracks()[0].label !== ''),
              (e: Error) => `${e.name} ${(e as OverconstrainedError).constraint}`,
            );
          return { mine: await tryId(mine), theirs: await tryId(theirs) };
        },
        [b[which], a1[which]] as const,
      ),
    );
    expect(r.fake).toEqual({ mine: true, theirs: 'OverconstrainedError deviceId' });
    expect(r.anime).toEqual(r.fake);
    await onlyKeeperLeft();
  });

  it('leaves the page alone when AnimeCam is not chosen: the real camera and microphone, unchanged', async () => {
    const snapshot = async () => {
      const p = await openPage(originA);
      const r = await p.evaluate(async () => {
        const s = await navigator.mediaDevices.getUserMedia({ video: { width: 640 }, audio: true });
        const tracks = s.getTracks().map((t) => ({ kind: t.kind, label: t.label, settings: t.getSettings(), muted: t.muted, own: Object.getOwnPropertyNames(t) }));
        const clone = s.clone().getTracks().map((t) => ({ label: t.label, own: Object.getOwnPropertyNames(t) }));
        const frame = await (window as any).parity.sample(s.getVideoTracks()[0]);
        const video = [frame.w, frame.h]; // (the test pattern moves: its colours differ frame to frame)
        s.getTracks().forEach((t) => t.stop());
        const listed = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.label !== 'AnimeCam').map((d) => d.toJSON());
        return { tracks, clone, video, listed };
      });
      await p.close();
      // The browser draws new groupIds for every document: compare their shape, not their value.
      return JSON.parse(JSON.stringify(r).replace(/"groupId":"[0-9a-f]{64}"/g, '"groupId":"<per document>"'));
    };
    const on = await snapshot();
    await setSite(originA, false);
    try {
      const off = await snapshot();
      expect(on).toEqual(off);
      expect(on.tracks.find((t: { kind: string }) => t.kind === 'video')).toMatchObject({ label: 'fake_device_0', own: [] });
      expect(on.tracks.find((t: { kind: string }) => t.kind === 'audio')?.label).toMatch(/fake/i);
    } finally {
      await setSite(originA, true);
    }
    await animeListed(pa);
  });

  it('releases the real camera within 2 s of the last clone stopping', async () => {
    // The control scenarios are done: AnimeCam may now use the camera.
    await updateSettings({ cameraFree: { everywhere: false, sites: {} } });
    await waitFor(async () => (await status()).camera === 'on', 'the pipeline opens the camera');
    await pa.evaluate(async () => {
      const h = (window as any).parity;
      const t: MediaStreamTrack = (await h.open('anime')).getVideoTracks()[0];
      h.keep = { clone: t.clone() };
      t.stop();
    });
    await keeper.evaluate(() => (window as any).parity.keep.warm.stop());
    await waitFor(async () => (await status()).consumers === 1, 'the keeper’s track released');
    await new Promise((r) => setTimeout(r, 1500)); // longer than the pipeline waits before it releases the camera
    expect(await status()).toMatchObject({ consumers: 1, camera: 'on' }); // the clone still holds it
    await pa.evaluate(() => (window as any).parity.keep.clone.stop());
    const t0 = Date.now();
    await waitFor(async () => {
      const s = await status();
      return s.consumers === 0 && s.camera === 'off';
    }, 'camera released after the last clone stopped', 2000);
    console.info(`camera released ${Date.now() - t0} ms after the last clone stopped`);
  });
});
