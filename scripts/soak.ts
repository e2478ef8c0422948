/**
 * `npm run soak -- --minutes N`: a demo call with AnimeCam for N minutes (default 15). Each minute
 * it samples the JS heap of the offscreen document (performance.memory, precise with
 * --enable-precise-memory-info) and of the call page (CDP Performance.getMetrics), frames sent by
 * the pipeline, and frames the remote peer showed more than 200 ms apart (and the longest gap).
 * Expects a built dist/ and dist-demo/ (`npm run build`). Prints figures; asserts nothing.
 * Goal (issue 9): heap growth after the first minute <= 5 %, no gap over 2 s.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requireSharedDir } from './lib/shared-path';
import { startStaticServer } from './lib/static-server';
import { chooseAnimeCam } from '../test/support/call-page';
import { DIST_DEMO, launchWithExtension, waitFor } from '../test/support/extension';
import { talkingHeadY4m } from '../test/support/media';
import { attachOffscreen } from '../test/support/offscreen-cdp';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '15' }, backend: { type: 'string', default: 'auto' } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error('--minutes must be a positive number');

interface Sample {
  minute: number;
  offscreenHeapMB: number;
  pageHeapMB: number;
  framesSent: number;
  remoteFrames: number;
  gapsOver200ms: number;
  maxGapMs: number;
  load: number;
}

const server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(requireSharedDir(), 'tha4') } });
const b = await launchWithExtension({ fakeVideo: talkingHeadY4m() });
const api = <T>(fn: string, ...args: unknown[]) =>
  b.sw.evaluate(([f, a]) => (globalThis as any).animecam[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
try {
  await api('installSample', 'lambda_00', `${server.origin}/characters/`);
  await api('updateSettings', { renderBackend: values.backend });
  console.log(`soak — ${minutes} min, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load at start ${loadavg().map((l) => l.toFixed(1)).join(' ')}, backend ${values.backend}`);

  const page = await b.context.newPage();
  await page.goto(`${server.origin}/index.html`);
  await page.evaluate('window.__name = (f) => f'); // tsx keeps function names with a helper the page lacks
  await chooseAnimeCam(page, b.sw);
  await page.click('#join');
  await waitFor(() => page.evaluate(() => (window as any).demoCall.remoteFrames > 5), 'remote frames', 300_000, 500);
  // Gaps between frames the remote peer shows, counted in the page.
  await page.evaluate(() => {
    const v = document.getElementById('remote') as HTMLVideoElement;
    // maxGap is this minute's longest gap (reset at each sample).
    const s = { frames: 0, gaps: 0, maxGap: 0, last: performance.now() };
    (window as any).soak = s;
    const onFrame = (now: number) => {
      const gap = now - s.last;
      s.last = now;
      s.frames++;
      if (gap > 200) s.gaps++;
      s.maxGap = Math.max(s.maxGap, gap);
      v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
  });
  const cdp = await b.context.newCDPSession(page);
  const offscreen = await attachOffscreen(b.context, page);
  type HeapUsage = { usedSize: number };
  const heapAfterGc = async (send: <T>(m: string, p?: object) => Promise<T>) => {
    await send('HeapProfiler.collectGarbage');
    return (await send<HeapUsage>('Runtime.getHeapUsage')).usedSize;
  };

  const samples: Sample[] = [];
  const start = Date.now();
  for (let m = 1; m <= minutes; m++) {
    await page.waitForTimeout(Math.max(0, start + m * 60_000 - Date.now()));
    const off = await api<{ framesSent: number } | null>('offscreenDiagnostics');
    const offscreenHeap = await heapAfterGc((m, p) => offscreen.send(m, p));
    // Playwright types send() per protocol method; these two take no parameters.
    const pageHeap = await heapAfterGc(<T>(m: string) => (cdp.send as (m: string) => Promise<T>).call(cdp, m));
    const s = await page.evaluate(() => {
      const w = (window as any).soak;
      const out = { ...w, maxGapNow: performance.now() - w.last };
      w.maxGap = 0;
      return out;
    });
    const sample: Sample = {
      minute: m,
      offscreenHeapMB: offscreenHeap / 2 ** 20,
      pageHeapMB: pageHeap / 2 ** 20,
      framesSent: off?.framesSent ?? 0,
      remoteFrames: s.frames,
      gapsOver200ms: s.gaps,
      maxGapMs: Math.max(s.maxGap, s.maxGapNow),
      load: loadavg()[0],
    };
    samples.push(sample);
    console.log(
      `minute ${String(m).padStart(3)}: offscreen heap ${sample.offscreenHeapMB.toFixed(1)} MB, page heap ${sample.pageHeapMB.toFixed(1)} MB, ` +
        `frames sent ${sample.framesSent}, remote frames ${sample.remoteFrames}, gaps > 200 ms ${sample.gapsOver200ms}, longest gap this minute ${sample.maxGapMs.toFixed(0)} ms, load ${sample.load.toFixed(1)}`,
    );
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const growth = (a: number, z: number) => (a > 0 ? ((z - a) / a) * 100 : NaN);
  console.log('\nsummary');
  console.log(`  offscreen heap: ${first.offscreenHeapMB.toFixed(1)} MB after minute 1 -> ${last.offscreenHeapMB.toFixed(1)} MB (${growth(first.offscreenHeapMB, last.offscreenHeapMB).toFixed(1)} %)`);
  console.log(`  page heap:      ${first.pageHeapMB.toFixed(1)} MB after minute 1 -> ${last.pageHeapMB.toFixed(1)} MB (${growth(first.pageHeapMB, last.pageHeapMB).toFixed(1)} %)`);
  console.log(`  frames sent by the pipeline: ${last.framesSent}; shown by the remote peer: ${last.remoteFrames} (${(last.remoteFrames / (minutes * 60)).toFixed(1)} fps)`);
  const longest = (from: Sample[]) => Math.max(0, ...from.map((s) => s.maxGapMs)).toFixed(0);
  console.log(`  remote frames more than 200 ms apart: ${last.gapsOver200ms}; longest gap ${longest(samples)} ms (in minute 1: ${longest(samples.slice(0, 1))} ms; after it: ${longest(samples.slice(1))} ms)`);
  console.log(`  load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  await offscreen.detach();
  await page.close();
} finally {
  await b.close();
  await server.close();
}
process.exit(0);
