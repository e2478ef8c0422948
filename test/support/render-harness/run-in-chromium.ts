/**
 * Node side of the Chromium harness: bundles page.ts with vite into a temporary folder, serves it
 * from 127.0.0.1 with cross-origin isolation (wasm threads), and renders frames in headless
 * Chromium (WebGPU on whatever adapter it has; SwiftShader on CI machines).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startStaticServer, type RunningServer } from '../../../scripts/lib/static-server';
import { launchChromium, type LaunchedChromium } from '../chromium';
import { FrameModelNames } from '../../../src/core/model-graph/frame-model';
import type { BackendChoice } from '../../../src/render/backend';
import type { HarnessReply, HarnessRequest } from './page';

const here = dirname(fileURLToPath(import.meta.url));
const ortDist = join(here, '..', '..', '..', 'node_modules', 'onnxruntime-web', 'dist');

export interface ChromiumFrame extends HarnessReply {
  frame: Float32Array;
}

export interface ChromiumHarness {
  /**
   * Renders `runs + 1` times (the first is a warm-up) and returns the last output. `output` is
   * the model output to read back; `outputLength` its float count (default: a size x size frame).
   */
  render(
    model: Uint8Array,
    pose: ArrayLike<number>,
    size: number,
    backend: BackendChoice,
    runs?: number,
    output?: string,
    outputLength?: number,
    checkGpuOutput?: boolean,
  ): Promise<ChromiumFrame>;
  close(): Promise<void>;
}

export async function startChromiumHarness(): Promise<ChromiumHarness> {
  const outDir = mkdtempSync(join(tmpdir(), 'animecam-render-page-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root: here,
    base: './',
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192 },
  });
  let model: Uint8Array = new Uint8Array();
  let result: Buffer | undefined;
  let server: RunningServer | undefined;
  let browser: LaunchedChromium | undefined;
  try {
    server = await startStaticServer({
      mounts: { '/page/': outDir, '/ort/': ortDist },
      crossOriginIsolated: true,
      routes: [
        (req, res) => {
          if (req.url === '/model.onnx') {
            res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': model.byteLength });
            res.end(model);
            return true;
          }
          if (req.url === '/result' && req.method === 'POST') {
            const chunks: Buffer[] = [];
            req.on('data', (c: Buffer) => chunks.push(c));
            req.on('end', () => {
              result = Buffer.concat(chunks);
              res.writeHead(204).end();
            });
            return true;
          }
          return false;
        },
      ],
    });
    browser = await launchChromium({ noCamera: true });
  } catch (e) {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
  const page = await browser.context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  await page.goto(`${server.origin}/page/index.html`);
  await page.waitForFunction(() => typeof window.animecamRender === 'function');
  const origin = server.origin;

  return {
    async render(m, pose, size, backend, runs = 0, output = FrameModelNames.frame, outputLength = 4 * size * size, checkGpuOutput = false) {
      model = m;
      result = undefined;
      const req: HarnessRequest = {
        modelUrl: `${origin}/model.onnx`,
        resultUrl: `${origin}/result`,
        wasmPaths: `${origin}/ort/`,
        size,
        backend,
        pose: Array.from(pose),
        runs,
        output,
        checkGpuOutput,
      };
      let reply: HarnessReply;
      try {
        reply = await page.evaluate((r) => window.animecamRender(r), req);
      } catch (e) {
        throw new Error(`${e instanceof Error ? e.message : String(e)}\npage log:\n${logs.join('\n')}`);
      }
      const bytes = result as Buffer | undefined;
      if (!bytes || bytes.byteLength !== 4 * outputLength) throw new Error(`the page returned no '${output}' output`);
      const frame = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      return { ...reply, frame };
    },
    async close() {
      await browser?.close();
      await server?.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
