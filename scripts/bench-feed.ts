/**
 * `npm run bench:feed`: what the page pays for the AnimeCam track's stable output
 * (src/page/source-feed.ts: received track -> MediaStreamTrackProcessor -> re-stamped frames ->
 * MediaStreamTrackGenerator) against using the received track directly.
 *
 * One page plays both ends, in alternating phases of one run (so machine load hits both alike):
 * a 1280x720 canvas animated at 30 fps goes over a loopback RTCPeerConnection (standing in for the
 * offscreen document's connection), the received track (direct) or the feed's output (feed) is
 * shown in a <video> and sent over a second connection (standing in for the call). Measured: CPU
 * time of the browser's renderer processes (/proc, Linux) per phase. The canvas and its encoder
 * run in the page here (they live in the extension in a real call), so the ratio understates the
 * share; the absolute difference is the indirection's cost.
 *
 * BENCH_SECONDS (per phase, default 10), BENCH_RUNS (phase pairs, default 3).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformWithEsbuild } from 'vite';
import { launchChromium } from '../test/support/chromium';
import { repoRoot } from './lib/shared-path';
import { startStaticServer } from './lib/static-server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const PAGE = `<!doctype html><meta charset="utf-8"><video id="v" autoplay muted playsinline width="640" height="360"></video>
<script type="module">
import { createSourceFeed } from './source-feed.js';
async function pair(track) {
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  const got = new Promise((ok) => (b.ontrack = (e) => ok(e.track)));
  a.addTrack(track);
  await a.setLocalDescription(); await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(); await a.setRemoteDescription(b.localDescription);
  return { received: await got, close: () => (a.close(), b.close()) };
}
const canvas = Object.assign(document.createElement('canvas'), { width: 1280, height: 720 });
const ctx = canvas.getContext('2d');
let n = 0;
setInterval(() => { n++; ctx.fillStyle = 'hsl(' + (n * 7) % 360 + ' 60% 50%)'; ctx.fillRect(0, 0, 1280, 720); ctx.fillStyle = '#fff'; ctx.fillRect((n * 13) % 1180, 300, 100, 100); }, 33);
const loop = await pair(canvas.captureStream(30).getVideoTracks()[0]);
let call = null, feed = null;
const v = document.getElementById('v');
let frames = 0;
const count = () => { frames++; v.requestVideoFrameCallback(count); };
v.requestVideoFrameCallback(count);
window.bench = {
  async use(mode) {
    call?.close(); feed?.stop(); feed = null;
    let out = loop.received;
    if (mode === 'feed') { feed = createSourceFeed(() => false); feed.setInput(loop.received); out = feed.output; }
    call = await pair(out);
    v.srcObject = new MediaStream([call.received]);
    frames = 0;
  },
  frames: () => frames,
};
window.ready = true;
</script>`;

/** CPU ticks (user + system) of every renderer process of the browser whose profile is `profile`. */
function rendererTicks(profile: string): number {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const cmd = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };
  const parent = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
    } catch {
      return '0';
    }
  };
  const browserPids = new Set(all.filter((p) => cmd(p).includes(profile) && !cmd(p).includes('--type=')));
  let ticks = 0;
  for (const pid of all) {
    if (!cmd(pid).includes('--type=renderer')) continue;
    let p = pid;
    for (let i = 0; i < 4 && !browserPids.has(p); i++) p = parent(p);
    if (!browserPids.has(p)) continue;
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime
    } catch {
      // the process ended
    }
  }
  return ticks;
}

async function main(): Promise<void> {
  const feedJs = (await transformWithEsbuild(readFileSync(join(repoRoot, 'src/page/source-feed.ts'), 'utf8'), 'source-feed.ts', { format: 'esm', target: 'es2022' })).code;
  const server = await startStaticServer({
    mounts: {},
    routes: [
      (req, res) => {
        const body = req.url === '/bench.html' ? PAGE : req.url === '/source-feed.js' ? feedJs : null;
        if (body === null) return false;
        res.writeHead(200, { 'Content-Type': req.url?.endsWith('.js') ? 'text/javascript' : 'text/html' });
        res.end(body);
        return true;
      },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'animecam-bench-feed-'));
  const chrome = await launchChromium({ userDataDir: dir });
  try {
    const page = await chrome.context.newPage();
    await page.goto(`${server.origin}/bench.html`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 30_000 });
    const results: Record<'direct' | 'feed', { cpu: number[]; fps: number[] }> = { direct: { cpu: [], fps: [] }, feed: { cpu: [], fps: [] } };
    for (let run = 0; run < RUNS; run++) {
      for (const mode of (run % 2 ? ['feed', 'direct'] : ['direct', 'feed']) as ('direct' | 'feed')[]) {
        await page.evaluate((m) => (window as unknown as { bench: { use(m: string): Promise<void> } }).bench.use(m), mode);
        await page.waitForTimeout(2000); // settle: connection up, encoder ramped
        const t0 = Date.now();
        const c0 = rendererTicks(dir);
        const f0 = await page.evaluate(() => (window as unknown as { bench: { frames(): number } }).bench.frames());
        await page.waitForTimeout(SECONDS * 1000);
        const f1 = await page.evaluate(() => (window as unknown as { bench: { frames(): number } }).bench.frames());
        const c1 = rendererTicks(dir);
        const s = (Date.now() - t0) / 1000;
        results[mode].cpu.push((c1 - c0) / TICKS_PER_SECOND / s);
        results[mode].fps.push((f1 - f0) / s);
        console.log(`run ${run + 1} ${mode.padEnd(6)} renderer CPU ${(((c1 - c0) / TICKS_PER_SECOND / s) * 100).toFixed(1)} % of a core, ${((f1 - f0) / s).toFixed(1)} fps shown`);
      }
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const d = median(results.direct.cpu);
    const f = median(results.feed.cpu);
    console.log(`\nmedian renderer CPU: direct ${(d * 100).toFixed(1)} %, feed ${(f * 100).toFixed(1)} % of a core; feed/direct ${(f / d).toFixed(3)}; extra ${((f - d) * 100).toFixed(1)} % of a core`);
    console.log(`median fps shown: direct ${median(results.direct.fps).toFixed(1)}, feed ${median(results.feed.fps).toFixed(1)} (1280x720, ${SECONDS} s phases, ${RUNS} runs)`);
  } finally {
    await chrome.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
