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
import type { CharacterTensors } from '../../../src/render/renderer';
import type { WgslSine } from '../../../src/render/webgpu/model-layout';
import { packCharacter } from './character-blob';
import type { HarnessReply, HarnessRequest, WgslHarnessRequest } from './page';

const here = dirname(fileURLToPath(import.meta.url));
const ortDist = join(here, '..', '..', '..', 'node_modules', 'onnxruntime-web', 'dist');

export interface ChromiumFrame extends HarnessReply {
  frame: Float32Array;
  /** The pasted face patch (4x128x128), when asked for. */
  face?: Float32Array;
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
  /**
   * Renders with the WGSL renderer (`runs + 1` times, the first a warm-up): the frame, and with
   * `face` also the pasted face patch (4x128x128) of the same render.
   */
  renderWgsl(
    character: CharacterTensors,
    pose: ArrayLike<number>,
    size: number,
    opts?: { runs?: number; face?: boolean; sine?: WgslSine },
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
  let packed: { of: CharacterTensors; bytes: Uint8Array; version: number } | undefined;
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
          if (req.url?.startsWith('/character.bin') && packed) {
            res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': packed.bytes.byteLength });
            res.end(packed.bytes);
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
  const evaluate = async (req: WgslHarnessRequest): Promise<HarnessReply> => {
    try {
      return await page.evaluate((r) => window.animecamRenderWgsl(r), req);
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\npage log:\n${logs.join('\n')}`);
    }
  };
  const takeResult = (what: string, floats: number): Float32Array => {
    const bytes = result as Buffer | undefined;
    if (!bytes || bytes.byteLength !== 4 * floats) throw new Error(`the page returned no '${what}' output`);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };

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
    async renderWgsl(character, pose, size, opts = {}) {
      if (packed?.of !== character) packed = { of: character, bytes: packCharacter(character), version: (packed?.version ?? 0) + 1 };
      result = undefined;
      const output = opts.face ? 'frame+face' : 'frame';
      const req: WgslHarnessRequest = {
        characterUrl: `${origin}/character.bin?v=${packed.version}`,
        resultUrl: `${origin}/result`,
        size,
        pose: Array.from(pose),
        runs: opts.runs ?? 0,
        output,
        sine: opts.sine,
      };
      const reply = await evaluate(req);
      const n = 4 * size * size;
      const all = takeResult(output, opts.face ? n + 4 * 128 * 128 : n);
      return opts.face ? { ...reply, frame: all.subarray(0, n), face: all.subarray(n) } : { ...reply, frame: all };
    },
    async close() {
      await browser?.close();
      await server?.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
