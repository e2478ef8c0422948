/**
 * `npm run bench:composite`: the compositor's main-thread cost per outgoing frame, 2D canvas vs the
 * WebGPU render pass (src/offscreen/gpu/gpu-compositor.ts), in one Chromium run on the same
 * adapter. Chromium runs with Vulkan compositing (SwiftShader), the only setup here in which a
 * WebGPU canvas can be shown, and the call is camera-free (MediaPipe's WebGL tracker aborts under
 * ANGLE on Vulkan). Each figure: composite the live scene (background colour, the character frame
 * at 64 px) at the size and make the VideoFrame that would be sent, mean over BENCH_FRAMES frames.
 * Expects a built dist-test/ and dist-demo/ (`npm run build`). Prints figures; asserts nothing.
 * Only SwiftShader here: nothing in it is measured on real GPU hardware.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { requireSharedDir } from './lib/shared-path';
import { startStaticServer } from './lib/static-server';
import { chooseAnimeCam } from '../test/support/call-page';
import { DIST_DEMO, launchWithExtension, waitFor } from '../test/support/extension';
import { attachOffscreen } from '../test/support/offscreen-cdp';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 20);
const SIZES = [[640, 480], [1280, 720]] as const;

const server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(requireSharedDir(), 'tha4') } });
const b = await launchWithExtension({ extraArgs: ['--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=vulkan'] });
const api = <T>(fn: string, ...args: unknown[]) =>
  b.sw.evaluate(([f, a]) => (globalThis as any).animecam[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
await api('updateSettings', { renderSize: 64, renderBackend: 'webgpu', cameraFree: { everywhere: true, sites: {} } });
await api('installSample', 'lambda_00', `${server.origin}/characters/`);
const page = await b.context.newPage();
await page.goto(`${server.origin}/index.html`);
await page.evaluate('window.__name = (f) => f'); // tsx names functions with a helper the page lacks
await chooseAnimeCam(page, b.sw);
await page.click('#join');
const doc = await attachOffscreen(b.context, page);
const onGpu = () => doc.evaluate<number>('[...globalThis.animecamPipeline.consumers.values()].reduce((n, c) => n + c.gpu.frames, 0)');
await waitFor(async () => (await onGpu()) > 5, 'frames composited on the GPU', 600_000, 500);

console.log(`bench:composite — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; SwiftShader WebGPU, Vulkan compositing; ${FRAMES} frames each`);
console.log('size        2D canvas ms/frame   GPU render pass ms/frame   (main thread: composite + VideoFrame)');
for (const [w, h] of SIZES) {
  const r = await doc.evaluate<{ ms2d: number; msGpu: number }>(`globalThis.animecamCompositors.time(globalThis.animecamPipeline.scene(), ${w}, ${h}, ${FRAMES})`);
  console.log(`${`${w}x${h}`.padEnd(12)}${r.ms2d.toFixed(2).padStart(17)}${r.msGpu.toFixed(2).padStart(27)}`);
}
await doc.detach();
await b.close();
await server.close();
process.exit(0);
