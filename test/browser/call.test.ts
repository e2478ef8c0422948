/**
 * The product's main job, end to end: a call page (two peers over RTCPeerConnection on loopback)
 * picks AnimeCam; the remote peer receives the character, moving with the fake camera's face.
 * Live runs use the WASM renderer at a reduced size (this machine's WebGPU is software); the
 * WebGPU test runs our WGSL kernels at 64 px and loses the GPU device.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../scripts/lib/shared-path';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { animeCamIdFor, meanAbsDiff, meanRgb, remoteFrames, remotePixels } from '../support/call-page';
import { DIST_DEMO, launchWithExtension, swLog, waitFor, type ExtensionBrowser } from '../support/extension';
import { talkingHeadY4m } from '../support/media';
import { attachOffscreen } from '../support/offscreen-cdp';

let server: RunningServer;
let browser: ExtensionBrowser;
let ANIMECAM_ID: string; // AnimeCam's deviceId on the test server's origin
const BACKGROUND = [0x3a, 0x6b, 0x8c];

type Status = {
  camera: string;
  faceFound: boolean;
  backend: string | null;
  backendNote?: string;
  renderSize: number | null;
  renderFps: number;
  character: { name: string } | null;
  pose?: number[];
  consumers: number;
  stages?: { name: string; median: number; count: number }[];
};

async function status(): Promise<Status> {
  return browser.sw.evaluate(() => (globalThis as any).animecam.status());
}

async function joinWithAnimeCam(page: Page): Promise<void> {
  await page.goto(`${server.origin}/index.html`);
  await waitFor(() => page.evaluate((id) => [...(document.getElementById('camera') as HTMLSelectElement).options].some((o) => o.value === id), ANIMECAM_ID), 'AnimeCam listed in the call page’s camera picker');
  await page.selectOption('#camera', ANIMECAM_ID);
  await page.click('#join');
  await waitFor(async () => (await remoteFrames(page)) > 5, 'remote peer receives AnimeCam frames', 60_000);
}

/**
 * Waits until the remote shows the character in the middle of the frame. The remote shows what
 * was sent a transport delay ago, and the first frames sent carry the background alone (the track
 * starts before the first render).
 */
async function characterAtRemote(page: Page): Promise<void> {
  const since = Date.now();
  const seen: string[] = []; // difference from the background, frames the remote has decoded
  await waitFor(async () => {
    const centre = meanRgb(await remotePixels(page, { x: 0.45, y: 0.3, w: 0.1, h: 0.3 }));
    const diff = Math.max(...centre.map((v, i) => Math.abs(v - BACKGROUND[i])));
    seen.push(`${diff.toFixed(0)}@${await remoteFrames(page)}`);
    return diff > 30;
  }, 'the remote shows the character in the middle', 30_000, 200).catch((e) => {
    console.error(`remote centre vs background @ frames the remote decoded: ${seen.join(' ')}`);
    throw e;
  });
  console.info(`the remote showed the character ${Date.now() - since} ms after the check began (${seen.join(' ')})`);
}

beforeAll(async () => {
  const shared = requireSharedDir();
  server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(shared, 'tha4') } });
  browser = await launchWithExtension({ fakeVideo: talkingHeadY4m() });
  ANIMECAM_ID = await animeCamIdFor(browser.sw, server.origin);
  await browser.sw.evaluate(() => (globalThis as any).animecam.updateSettings({ renderSize: 128, renderBackend: 'wasm' }));
  await browser.sw.evaluate((base) => (globalThis as any).animecam.installSample('lambda_00', base), `${server.origin}/characters/`);
});

afterEach(async () => {
  // A failed test must not leave its call (and its claim on the pipeline) behind.
  for (const p of browser.context.pages()) await p.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('AnimeCam in a call', () => {
  it('appears in enumerateDevices as a camera named AnimeCam', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/index.html`);
    const dev = await page.evaluate(async () => {
      const all = await navigator.mediaDevices.enumerateDevices();
      const d = all.find((x) => x.label === 'AnimeCam')!;
      return { kind: d.kind, deviceId: d.deviceId, groupId: d.groupId, isInput: d instanceof InputDeviceInfo, json: JSON.parse(JSON.stringify(d)), caps: (d as InputDeviceInfo).getCapabilities().width, real: all.filter((x) => x.kind === 'videoinput').length };
    });
    expect(dev).toMatchObject({ kind: 'videoinput', deviceId: ANIMECAM_ID, isInput: true, caps: { min: 160, max: 1920 } });
    expect(dev.json).toMatchObject({ label: 'AnimeCam', kind: 'videoinput' });
    expect(dev.real).toBeGreaterThanOrEqual(2); // the fake camera and AnimeCam
    await page.close();
  });

  it('sends the character (not the camera image), moving with the face, to the remote peer', async () => {
    const page = await browser.context.newPage();
    await joinWithAnimeCam(page);
    const track = await page.evaluate(() => {
      const t = (window as any).demoCall.stream.getVideoTracks()[0] as MediaStreamTrack;
      const s = t.getSettings();
      return { label: t.label, deviceId: s.deviceId, width: s.width, height: s.height, frameRate: s.frameRate, caps: t.getCapabilities().frameRate, audio: (window as any).demoCall.stream.getAudioTracks().length };
    });
    expect(track).toMatchObject({ label: 'AnimeCam', deviceId: ANIMECAM_ID, width: 1280, height: 720, frameRate: 30, audio: 1 });
    // The character renders (WASM, reduced size) and the face is tracked.
    const st = await waitFor(async () => {
      const s = await status();
      return s.renderFps > 0 && s.faceFound ? s : null;
    }, 'the pipeline renders the character and finds the face', 120_000).catch(async (e) => {
      console.error(JSON.stringify(await status()), JSON.stringify((await swLog(browser.sw)).slice(-15)));
      throw e;
    });
    expect(st).toMatchObject({ backend: 'wasm', renderSize: 128, camera: 'on', character: { name: 'lambda_00' } });
    // Face tracking runs on its worker: the offscreen document never loaded MediaPipe's wasm glue
    // itself (on its main thread MediaPipe adds it as a <script>), and its own share of tracking
    // is handing frames over.
    const offscreenDoc = await attachOffscreen(browser.context, page);
    const inDocument = await offscreenDoc.evaluate<{ scripts: number; loaded: string[]; factory: string }>(`({
      scripts: document.querySelectorAll('script[src*="vision_wasm_internal"]').length,
      loaded: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('vision_wasm_internal')),
      factory: typeof globalThis.ModuleFactory,
    })`);
    await offscreenDoc.detach();
    expect(inDocument).toEqual({ scripts: 0, loaded: [], factory: 'undefined' });
    expect(st.stages?.find((s) => s.name === 'tracking-handoff')?.count).toBeGreaterThan(0);
    expect(st.stages?.find((s) => s.name === 'tracking')?.count).toBeGreaterThan(0);
    // On the CPU path frames travel to the page at 640x360 (send-size.ts) and the page gives them
    // the track's size back: the site's frames, preview and sender's source all see 1280x720 (what
    // the sender then encodes is WebRTC's own choice: it starts lower while its bandwidth ramps up).
    const sizes = await page.evaluate(async () => {
      const t = (window as any).demoCall.stream.getVideoTracks()[0] as MediaStreamTrack;
      const reader = new MediaStreamTrackProcessor({ track: t.clone() }).readable.getReader();
      const { value: f } = await reader.read();
      const frame = f ? { coded: [f.codedWidth, f.codedHeight], display: [f.displayWidth, f.displayHeight] } : null;
      f?.close();
      await reader.cancel();
      const local = document.getElementById('local') as HTMLVideoElement;
      let sent: number[] = [];
      for (const r of (await (window as any).demoCall.sender.getStats()).values()) if (r.type === 'media-source' && r.kind === 'video') sent = [r.width, r.height];
      return { frame, preview: [local.videoWidth, local.videoHeight], settings: [t.getSettings().width, t.getSettings().height], sent };
    });
    expect(sizes).toEqual({ frame: { coded: [640, 360], display: [1280, 720] }, preview: [1280, 720], settings: [1280, 720], sent: [1280, 720] });
    // Remote frames: background colour at the sides, the character in the middle — not the camera.
    const side = meanRgb(await remotePixels(page, { x: 0.02, y: 0.1, w: 0.1, h: 0.3 }));
    side.forEach((v, i) => expect(Math.abs(v - BACKGROUND[i])).toBeLessThan(12));
    await characterAtRemote(page);

    // The pose follows the video: sample (pose, face region of the remote frame) over the clip.
    const face = { x: 0.5 - 0.09, y: 0.2, w: 0.18, h: 0.2 };
    const samples: { wink: number; aaa: number; px: number[] }[] = [];
    const end = Date.now() + 25_000;
    while (Date.now() < end) {
      const s = await status();
      if (s.pose) samples.push({ wink: Math.max(s.pose[12], s.pose[13]), aaa: s.pose[26], px: await remotePixels(page, face) });
      await page.waitForTimeout(150);
    }
    // Closed eyes or an open mouth (thresholds on the pose the pipeline used) against calm frames.
    const expressive = samples.filter((s) => s.wink > 0.5 || s.aaa > 0.2);
    const calm = samples.filter((s) => s.wink < 0.3 && s.aaa < 0.1);
    console.info(`${samples.length} samples: ${expressive.length} expressive, ${calm.length} calm`);
    expect(expressive.length).toBeGreaterThan(0);
    expect(calm.length).toBeGreaterThan(0);
    const diffs = expressive.flatMap((e) => calm.map((c) => meanAbsDiff(e.px, c.px)));
    const typical = [...diffs].sort((a, b) => a - b)[Math.floor(diffs.length / 2)];
    console.info(`face region, expressive vs calm: median mean-abs-diff ${typical.toFixed(2)} (0-255)`);
    expect(typical).toBeGreaterThan(2);
    await page.screenshot({ path: join('test-artifacts', 'call-wasm.png') });
    await page.close();
  });

  it('runs the same path on our WGSL kernels on WebGPU, and recovers on a new device when the GPU device is lost', async () => {
    // A software adapter here, so a small size. This browser cannot show WebGPU canvases (see
    // gpu.ts): frames are read back here; webgpu-live.test.ts runs the zero-readback path.
    await browser.sw.evaluate(() => (globalThis as any).animecam.updateSettings({ renderSize: 64, renderBackend: 'webgpu' }));
    const page = await browser.context.newPage();
    await joinWithAnimeCam(page);
    const st = await waitFor(async () => {
      const s = await status();
      return s.backend === 'webgpu' && s.renderFps > 0 ? s : null;
    }, 'frames rendered on WebGPU', 240_000).catch(async (e) => {
      console.error(JSON.stringify({ ...(await status()), pose: undefined }), JSON.stringify((await swLog(browser.sw)).slice(-12)));
      throw e;
    });
    expect(st).toMatchObject({ renderSize: 64, character: { name: 'lambda_00' } });
    expect(st.backendNote).not.toMatch(/onnxruntime|failed/);
    await characterAtRemote(page);
    await page.screenshot({ path: join('test-artifacts', 'call-webgpu.png') });
    // The GPU goes away (driver reset, GPU process restart): the track keeps going, and the
    // pipeline makes a new device and a new WGSL renderer on it.
    expect(await browser.sw.evaluate(() => (globalThis as any).animecam.dropGpu())).toMatchObject({ ok: true });
    const frames = await remoteFrames(page);
    await waitFor(async () => (await status()).backendNote?.includes('new device after the last one was lost'), 'a renderer on a new WebGPU device after the device was lost', 180_000).catch(async (e) => {
      console.error(JSON.stringify({ ...(await status()), pose: undefined }), JSON.stringify((await swLog(browser.sw)).slice(-12)));
      throw e;
    });
    // Render marks older than 2 s are forgotten and a replaced renderer's frames are not counted:
    // a render rate after that comes from the new renderer.
    await page.waitForTimeout(2500);
    const after = await waitFor(async () => {
      const s = await status();
      return s.renderFps > 0 ? s : null;
    }, 'frames rendered on the new device', 120_000);
    expect(after).toMatchObject({ backend: 'webgpu', renderSize: 64 });
    const render = after.stages?.find((x) => x.name === 'render');
    console.info(`WebGPU at 64 px after recovery: render median ${render?.median.toFixed(0)} ms; ${after.backendNote}`);
    expect((await swLog(browser.sw)).some((e) => /GPU device lost/.test(JSON.stringify(e)))).toBe(true);
    expect(await remoteFrames(page)).toBeGreaterThan(frames);
    await browser.sw.evaluate(() => (globalThis as any).animecam.updateSettings({ renderSize: 128, renderBackend: 'wasm' }));
  });

  it('releases the real camera within 2 s after the last AnimeCam track ends', async () => {
    const page = await browser.context.newPage();
    await joinWithAnimeCam(page);
    expect((await status()).camera).toBe('on');
    await page.click('#leave');
    const t0 = Date.now();
    await waitFor(async () => (await status()).camera === 'off', 'camera released', 5_000, 50);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect((await swLog(browser.sw)).some((e) => e.event === 'AnimeCam track ended')).toBe(true);
    await page.close();
  });
});
