/**
 * The live WebGPU path never reads a frame back: during a call on our WGSL kernels, every way a
 * frame could come back from the GPU is wrapped in the offscreen document and counted, and the
 * outgoing tracks are composited by the GPU compositor (a render pass), whose picture is checked
 * against the 2D compositor's at the source.
 *
 * Chromium here runs its compositor on Vulkan (SwiftShader): with the default GL compositing this
 * headless Chromium has no shared-image backing for WebGPU canvases, and the pipeline falls back
 * to reading frames back (call.test.ts covers that fallback and GPU-device loss). With ANGLE on
 * Vulkan, MediaPipe's WebGL face tracker aborts here ("Check failed: prod_token"), so the call is
 * camera-free: idle motion drives the character, and the render and transport path is the same.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../scripts/lib/shared-path';
import { startStaticServer, type RunningServer } from '../../scripts/lib/static-server';
import { chooseAnimeCam, meanRgb, remoteFrames, remotePixels } from '../support/call-page';
import { DIST_DEMO, launchWithExtension, swLog, waitFor, type ExtensionBrowser } from '../support/extension';
import { attachOffscreen, type OffscreenSession } from '../support/offscreen-cdp';

/** Compositing and WebGPU on the same Vulkan device, so WebGPU canvases can be shown. */
const VULKAN_COMPOSITING = ['--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=vulkan'];
const BACKGROUND = [0x3a, 0x6b, 0x8c];

let server: RunningServer;
let browser: ExtensionBrowser;
let page: Page;
let offscreenDoc: OffscreenSession;

type Status = { backend: string | null; backendNote?: string; renderSize: number | null; renderFps: number; character: { name: string } | null; stages?: { name: string; median: number; count: number }[] };
const status = (): Promise<Status> => browser.sw.evaluate(() => (globalThis as any).animecam.status());

/**
 * Counts, in the offscreen document, every way a frame could come back from the GPU to the CPU:
 * buffer maps, texture-to-buffer copies, copies into (and creation of) MAP_READ buffers, 2D
 * canvas pixel reads; and queue submits, to see that frames went by at all.
 */
const READBACK_WATCH = `(() => {
  const n = (globalThis.readbacks = { mapAsync: 0, copyTextureToBuffer: 0, copyToMapRead: 0, mapReadBuffers: 0, getImageData: 0, submits: 0 });
  const wrap = (proto, name, count) => {
    const original = proto[name];
    proto[name] = function (...args) { count(...args); return original.apply(this, args); };
  };
  wrap(GPUBuffer.prototype, 'mapAsync', () => n.mapAsync++);
  wrap(GPUCommandEncoder.prototype, 'copyTextureToBuffer', () => n.copyTextureToBuffer++);
  wrap(GPUCommandEncoder.prototype, 'copyBufferToBuffer', (src, a, dst) => {
    const d = dst instanceof GPUBuffer ? dst : a;
    if (d instanceof GPUBuffer && d.usage & GPUBufferUsage.MAP_READ) n.copyToMapRead++;
  });
  wrap(GPUDevice.prototype, 'createBuffer', (desc) => { if (desc && desc.usage & GPUBufferUsage.MAP_READ) n.mapReadBuffers++; });
  wrap(GPUQueue.prototype, 'submit', () => n.submits++);
  wrap(OffscreenCanvasRenderingContext2D.prototype, 'getImageData', () => n.getImageData++);
  wrap(CanvasRenderingContext2D.prototype, 'getImageData', () => n.getImageData++);
  return true;
})()`;

/** A deliberate readback in the offscreen document, on a device of its own (checks the watch). */
const READBACK_CONTROL = `(async () => {
  const device = await (await navigator.gpu.requestAdapter()).requestDevice();
  const src = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const dst = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, dst, 0, 16);
  device.queue.submit([enc.finish()]);
  await dst.mapAsync(GPUMapMode.READ);
  device.destroy();
  return true;
})()`;

const readbacks = (): Promise<Record<string, number>> => offscreenDoc.evaluate('({ ...globalThis.readbacks })');
/** Frames the outgoing tracks composited on the GPU so far (test build: the pipeline is a global). */
const gpuComposited = (): Promise<number> => offscreenDoc.evaluate('[...globalThis.animecamPipeline.consumers.values()].reduce((n, c) => n + c.gpu.frames, 0)');

beforeAll(async () => {
  server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(requireSharedDir(), 'tha4') } });
  browser = await launchWithExtension({ extraArgs: VULKAN_COMPOSITING });
  await browser.sw.evaluate(() => (globalThis as any).animecam.updateSettings({ renderSize: 64, renderBackend: 'webgpu', cameraFree: { everywhere: true, sites: {} } }));
  await browser.sw.evaluate((base) => (globalThis as any).animecam.installSample('lambda_00', base), `${server.origin}/characters/`);
  page = await browser.context.newPage();
  await page.goto(`${server.origin}/index.html`);
  // Make the offscreen document before the call, and wrap the GPU calls before any renderer exists.
  await browser.sw.evaluate(() => (globalThis as any).animecam.probeGpu());
  offscreenDoc = await attachOffscreen(browser.context, page);
  await offscreenDoc.evaluate(READBACK_WATCH);
});

afterAll(async () => {
  await offscreenDoc?.detach();
  await browser?.close();
  await server?.close();
});

describe('live call on WebGPU', () => {
  it('renders on our WGSL kernels, hands frames on without reading any back, and they reach the remote peer', async () => {
    await chooseAnimeCam(page, browser.sw);
    await page.click('#join');
    const st = await waitFor(async () => {
      const s = await status();
      return s.backend === 'webgpu' && (await readbacks()).submits >= 1 ? s : null;
    }, 'a frame rendered on WebGPU', 240_000).catch(async (e) => {
      console.error(JSON.stringify(await status()), JSON.stringify((await swLog(browser.sw)).slice(-12)));
      throw e;
    });
    expect(st).toMatchObject({ renderSize: 64, character: { name: 'lambda_00' } });
    // Our kernels, shown through a WebGPU canvas (no onnxruntime-web, no readback fallback).
    expect(st.backendNote).not.toMatch(/onnxruntime|failed|read back/);
    const framesBefore = await remoteFrames(page);
    await waitFor(async () => (await readbacks()).submits >= 10, 'ten frames rendered on WebGPU', 120_000);
    // Once the character is on the GPU, the tracks are composited there (a render pass per frame).
    await waitFor(async () => (await gpuComposited()) >= 5, 'five frames composited on the GPU', 120_000);
    await waitFor(async () => (await remoteFrames(page)) > framesBefore + 5, 'frames reach the remote peer', 60_000);
    expect((await status()).renderFps).toBeGreaterThan(0);
    // The remote peer sees the character over the background, and the background colour around it.
    const centre = meanRgb(await remotePixels(page, { x: 0.45, y: 0.3, w: 0.1, h: 0.3 }));
    expect(Math.max(...centre.map((v, i) => Math.abs(v - BACKGROUND[i])))).toBeGreaterThan(30);
    const corner = meanRgb(await remotePixels(page, { x: 0.02, y: 0.4, w: 0.08, h: 0.2 }));
    expect(Math.max(...corner.map((v, i) => Math.abs(v - BACKGROUND[i])))).toBeLessThan(12);
    const seen = await readbacks();
    const render = (await status()).stages?.find((x) => x.name === 'render');
    const composite = (await status()).stages?.find((x) => x.name === 'composite');
    console.info(`WebGPU live path at 64 px: render median ${render?.median.toFixed(0)} ms over ${render?.count} frames, composite median ${composite?.median.toFixed(2)} ms; ${await gpuComposited()} frames composited on the GPU; GPU calls seen in the offscreen document: ${JSON.stringify(seen)}`);
    expect(seen).toMatchObject({ mapAsync: 0, copyTextureToBuffer: 0, copyToMapRead: 0, mapReadBuffers: 0, getImageData: 0 });
    await page.screenshot({ path: join('test-artifacts', 'call-webgpu-zero-readback.png') });
    // The watch itself works: a deliberate readback in the same document is counted.
    await offscreenDoc.evaluate(READBACK_CONTROL);
    expect(await readbacks()).toMatchObject({ mapAsync: 1, copyToMapRead: 1, mapReadBuffers: 1 });
  });

  it('composites on the GPU the picture the 2D compositor draws: colour, image, framing, card, stamps', async () => {
    // Both compositors draw the same scene (the live character frame) inside the offscreen
    // document, compared there, at the source: no VP8 loss in between.
    type Result = { maxBlockDiff: number; meanBlockDiff: number; stamps2d: number[]; stampsGpu: number[]; blocks2d: number[] };
    const results = await offscreenDoc.evaluate<Record<string, Result>>(COMPARE_SCENES);
    console.info(`GPU vs 2D compositor at 320x240, 16 px block means (0-255): ${Object.entries(results).map(([k, r]) => `${k} max ${r.maxBlockDiff.toFixed(2)} mean ${r.meanBlockDiff.toFixed(3)}`).join('; ')}`);
    for (const [name, r] of Object.entries(results)) {
      expect(r.maxBlockDiff, name).toBeLessThan(BLOCK_MAX);
      expect(r.meanBlockDiff, name).toBeLessThan(BLOCK_MEAN);
    }
    // The scenes are not trivially alike: the character covers part of the colour, and the image
    // case differs from the colour case.
    const colour = results.colour!.blocks2d;
    const offColour = (i: number) => Math.max(...[0x20, 0x40, 0x60].map((v, c) => Math.abs(colour[i * 3 + c]! - v)));
    expect(Array.from({ length: colour.length / 3 }, (_, i) => offColour(i)).filter((d) => d > 30).length).toBeGreaterThan(10);
    expect(Math.max(...results.image!.blocks2d.map((v, i) => Math.abs(v - colour[i]!)))).toBeGreaterThan(60);
    // The bench stamps read back exactly as the 2D compositor draws them.
    const bits = (v: number) => Array.from({ length: 24 }, (_, i) => ((v >> i) & 1 ? 255 : 0));
    expect(results.stamps!.stamps2d).toEqual([...bits(0xa5c3f0), ...bits(0x123456)]);
    expect(results.stamps!.stampsGpu).toEqual(results.stamps!.stamps2d);
  });

  it('after the GPU device is lost, the 2D compositor serves until the new device composites again', async () => {
    const before = await remoteFrames(page);
    expect(await browser.sw.evaluate(() => (globalThis as any).animecam.dropGpu())).toMatchObject({ ok: true });
    // The lost device's compositors are dropped at once and the 2D path keeps the track going.
    await waitFor(() => offscreenDoc.evaluate<boolean>(ON_2D), 'the 2D compositor serving', 10_000, 50);
    await waitFor(async () => (await remoteFrames(page)) > before + 10, 'frames keep reaching the remote peer', 60_000);
    const during = meanRgb(await remotePixels(page, { x: 0.02, y: 0.4, w: 0.08, h: 0.2 }));
    expect(Math.max(...during.map((v, i) => Math.abs(v - BACKGROUND[i])))).toBeLessThan(12); // not black
    const composited = await gpuComposited();
    await waitFor(async () => (await status()).backendNote?.includes('new device after the last one was lost'), 'a renderer on a new device', 180_000);
    await waitFor(async () => (await gpuComposited()) > composited + 5, 'compositing on the new device', 60_000);
    expect(await offscreenDoc.evaluate<boolean>(ON_2D)).toBe(false);
    expect((await swLog(browser.sw)).some((e) => /GPU compositor failed/.test(JSON.stringify(e)))).toBe(false);
  });
});

/**
 * Max and mean differences of 16 px block means (0-255) allowed between the two compositors
 * (measured: max 1.03, mean ≤ 0.07; the character is scaled bilinearly on the GPU, with Chromium's
 * high-quality filter on the 2D canvas).
 */
const BLOCK_MAX = 4;
const BLOCK_MEAN = 0.5;

/** True when the open track last drew with the 2D compositor. */
const ON_2D = `[...globalThis.animecamPipeline.consumers.values()].every((c) => c.gpu.picture === null)`;

/** The live scene four ways, each composited by both compositors at 320x240. */
const COMPARE_SCENES = `(async () => {
  const live = globalThis.animecamPipeline.scene();
  const img = new OffscreenCanvas(96, 40);
  const g = img.getContext('2d');
  const grad = g.createLinearGradient(0, 0, 96, 40);
  grad.addColorStop(0, '#d04020');
  grad.addColorStop(1, '#20c0a0');
  g.fillStyle = grad;
  g.fillRect(0, 0, 96, 40);
  g.fillStyle = '#f0e040';
  g.fillRect(40, 10, 16, 20);
  const image = img.transferToImageBitmap();
  const plain = { ...live, background: { kind: 'color', color: '#204060' }, framing: { scale: 0.9, offsetX: 0, offsetY: 0.05 }, card: null, stamp: undefined, poseStamp: undefined };
  const scenes = {
    colour: plain,
    image: { ...plain, background: { kind: 'image', image, fallback: '#3a6b8c' }, framing: { scale: 0.6, offsetX: 0.2, offsetY: -0.1 } },
    card: { ...plain, card: 'AnimeCam cannot use the camera: test' },
    stamps: { ...plain, stamp: 0xa5c3f0, poseStamp: 0x123456 },
  };
  const results = await globalThis.animecamCompositors.compare(Object.values(scenes), 320, 240, 16);
  const out = {};
  Object.keys(scenes).forEach((name, i) => {
    const r = results[i];
    out[name] = { maxBlockDiff: r.maxBlockDiff, meanBlockDiff: r.meanBlockDiff, stamps2d: r.stamps2d, stampsGpu: r.stampsGpu, blocks2d: r.blocks2d };
  });
  image.close();
  return out;
})()`;
