/**
 * `npm run bench:call`: the whole call path in one run, per render size — delivered fps at the
 * remote peer of the demo call, end-to-end latency from the pipeline reading a camera frame to
 * the remote peer showing it (median, p95), and per-stage times in the offscreen pipeline.
 * Expects a built dist/ and dist-demo/ (`npm run build`). Prints figures; asserts nothing.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { requireSharedDir } from './lib/shared-path';
import { startStaticServer } from './lib/static-server';
import { animeCamIdFor } from '../test/support/call-page';
import { DIST_DEMO, launchWithExtension, waitFor } from '../test/support/extension';
import { talkingHeadY4m } from '../test/support/media';

const SIZES = (process.env.BENCH_SIZES ?? '512,256').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BACKEND = (process.env.BENCH_BACKEND ?? 'auto') as 'auto' | 'wasm' | 'webgpu';

const server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(requireSharedDir(), 'tha4') } });
const b = await launchWithExtension({ fakeVideo: talkingHeadY4m() });
const ANIMECAM_ID = await animeCamIdFor(b.sw, server.origin);
const api = <T>(fn: string, ...args: unknown[]) =>
  b.sw.evaluate(([f, a]) => (globalThis as any).animecam[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
await api('installSample', 'lambda_00', `${server.origin}/characters/`);
console.log(`bench:call — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${SECONDS} s per size, backend ${BACKEND}`);

for (const size of SIZES) {
  await api('updateSettings', { renderSize: size, renderBackend: BACKEND, stampFrames: true });
  const page = await b.context.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith('unreadable')) console.log(`  page: ${m.text()}`);
  });
  await page.goto(`${server.origin}/index.html`);
  // tsx keeps function names with a helper that does not exist in the page.
  await page.evaluate('window.__name = (f) => f');
  await waitFor(() => page.evaluate((id) => [...(document.getElementById('camera') as HTMLSelectElement).options].some((o) => o.value === id), ANIMECAM_ID), 'AnimeCam listed');
  await page.selectOption('#camera', ANIMECAM_ID);
  await page.click('#join');
  // Wait for the first rendered frame (a 512 frame on a CPU takes a while).
  await waitFor(async () => ((await api<{ renderFps: number }>('status')).renderFps > 0 ? true : null), 'first render', 600_000, 500);
  const measured = await page.evaluate(async (seconds) => {
    const v = document.getElementById('remote') as HTMLVideoElement;
    const c = document.createElement('canvas');
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    const lat: number[] = [];
    let frames = 0;
    const t0 = performance.now();
    await new Promise<void>((done) => {
      const onFrame = () => {
        frames++;
        c.width = v.videoWidth;
        c.height = v.videoHeight;
        ctx.drawImage(v, 0, 0);
        const px = ctx.getImageData(0, 0, 24 * 8, 8).data;
        let stamp = 0;
        for (let i = 0; i < 24; i++) if (px[(4 * 24 * 8 + i * 8 + 4) * 4] > 127) stamp |= 1 << i;
        const diff = ((Date.now() & 0xffffff) - stamp + 0x1000000) % 0x1000000;
        if (diff < 10_000) lat.push(diff);
        else if (frames < 4) console.log(`unreadable stamp ${stamp} at ${Date.now() & 0xffffff}`);
        if (performance.now() - t0 < seconds * 1000) v.requestVideoFrameCallback(onFrame);
        else done();
      };
      v.requestVideoFrameCallback(onFrame);
    });
    return { fps: frames / ((performance.now() - t0) / 1000), lat };
  }, SECONDS);
  const st = await api<{ backend: string; renderSize: number; renderFps: number; outputFps: number; stages: { name: string; median: number; p95: number; count: number }[] }>('status');
  const sorted = measured.lat.sort((x, y) => x - y);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  console.log(`\nrender size ${size} (${st.backend} at ${st.renderSize}px)`);
  console.log(`  delivered at the remote peer: ${measured.fps.toFixed(1)} fps; character renders: ${st.renderFps} fps`);
  console.log(`  latency camera frame read -> remote frame shown: median ${q(0.5)} ms, p95 ${q(0.95)} ms (${sorted.length} frames)`);
  for (const s of st.stages) console.log(`  stage ${s.name.padEnd(15)} median ${s.median.toFixed(1).padStart(7)} ms  p95 ${s.p95.toFixed(1).padStart(7)} ms  (${s.count})`);
  console.log('  stage transport       see latency above (encode, loopback RTP, decode at the page, re-encode and decode at the remote peer)');
  await page.close();
  await waitFor(async () => (await api<{ consumers: number }>('status')).consumers === 0, 'track released', 20_000);
}
await b.close();
await server.close();
process.exit(0);
