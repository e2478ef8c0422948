/**
 * The live WebGPU path never reads a frame back: during a call on our WGSL kernels, every way a
 * frame could come back from the GPU is wrapped in the offscreen document and counted.
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
 * buffer maps, texture-to-buffer copies, copies into (and creation of) MAP_READ buffers; and
 * queue submits, to see that frames went by at all.
 */
const READBACK_WATCH = `(() => {
  const n = (globalThis.readbacks = { mapAsync: 0, copyTextureToBuffer: 0, copyToMapRead: 0, mapReadBuffers: 0, submits: 0 });
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
    await waitFor(async () => (await remoteFrames(page)) > framesBefore + 5, 'frames reach the remote peer', 60_000);
    expect((await status()).renderFps).toBeGreaterThan(0);
    // The remote peer sees the character over the background.
    const centre = meanRgb(await remotePixels(page, { x: 0.45, y: 0.3, w: 0.1, h: 0.3 }));
    expect(Math.max(...centre.map((v, i) => Math.abs(v - BACKGROUND[i])))).toBeGreaterThan(30);
    const seen = await readbacks();
    const render = (await status()).stages?.find((x) => x.name === 'render');
    console.info(`WebGPU live path at 64 px: render median ${render?.median.toFixed(0)} ms over ${render?.count} frames; GPU calls seen in the offscreen document: ${JSON.stringify(seen)}`);
    expect(seen).toMatchObject({ mapAsync: 0, copyTextureToBuffer: 0, copyToMapRead: 0, mapReadBuffers: 0 });
    await page.screenshot({ path: join('test-artifacts', 'call-webgpu-zero-readback.png') });
    // The watch itself works: a deliberate readback in the same document is counted.
    await offscreenDoc.evaluate(READBACK_CONTROL);
    expect(await readbacks()).toMatchObject({ mapAsync: 1, copyToMapRead: 1, mapReadBuffers: 1 });
  });
});
