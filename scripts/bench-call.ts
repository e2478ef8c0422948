/**
 * `npm run bench:call`: the whole call path, per render size, BENCH_RUNS times (default 3), then
 * the median over the runs of:
 * - distinct character poses per second at the remote peer (a second stamp row carries the read
 *   time of the camera frame behind the shown pose: each new value is a new rendered pose);
 * - pose latency: camera frame read -> the remote peer first shows a character posed from it (p50, p95);
 * - output fps at the remote peer and the longest gap between two shown frames;
 * plus transport latency (a sent frame's own read time -> first shown), the age of the shown pose
 * over every frame shown (held and repeated frames included: what the bench printed as pose latency
 * before frames were sent only on change), the frames the offscreen document sent per second,
 * and per-stage times in the pipeline.
 * A stamp is counted at its first showing: the page and the call repeat held frames, and a repeat
 * shows an old stamp again.
 * Expects a built dist-test/ and dist-demo/ (`npm run build`). Prints figures; asserts nothing.
 * BENCH_SIZES: comma-separated sizes or 'auto' (default 'auto', the size a user gets).
 * First, unless BENCH_PLAIN=0: the same call with the plain fake camera (no AnimeCam), for the
 * frame rate the call itself reaches on this machine, as it is (640x480) and drawn at 1280x720
 * (AnimeCam's track size: the call's sender starts a 720p track smaller and steps it up, and the
 * remote pauses at each step).
 * Each run measures from the first rendered frame, i.e. the start of the call; BENCH_WARMUP=S
 * waits S seconds first (later in the call: V8 has finished optimizing the wasm, the call's sender
 * has reached its full resolution).
 */
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { requireSharedDir } from './lib/shared-path';
import { startStaticServer } from './lib/static-server';
import { animeCamIdFor } from '../test/support/call-page';
import { DIST_DEMO, launchWithExtension, waitFor } from '../test/support/extension';
import { talkingHeadY4m } from '../test/support/media';

const SIZES = (process.env.BENCH_SIZES ?? 'auto').split(',').map((v) => (v === 'auto' ? 'auto' : Number(v)));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 0);
const BACKEND = (process.env.BENCH_BACKEND ?? 'auto') as 'auto' | 'wasm' | 'webgpu';

const server = await startStaticServer({ mounts: { '/': DIST_DEMO, '/characters/': join(requireSharedDir(), 'tha4') } });
interface RunFigures {
  poses: number;
  poseP50: number;
  poseP95: number;
  poseAgeP50: number;
  poseAgeP95: number;
  fps: number;
  sentFps: number;
  maxGap: number;
  transportP50: number;
  pageHopP50: number;
}

const b = await launchWithExtension({ fakeVideo: talkingHeadY4m() });
const ANIMECAM_ID = await animeCamIdFor(b.sw, server.origin);
const api = <T>(fn: string, ...args: unknown[]) =>
  b.sw.evaluate(([f, a]) => (globalThis as any).animecam[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
await api('installSample', 'lambda_00', `${server.origin}/characters/`);
console.log(`bench:call — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${SECONDS} s per run${WARMUP ? ` after ${WARMUP} s` : ''}, ${RUNS} runs per size, backend ${BACKEND}`);

if (process.env.BENCH_PLAIN !== '0') {
  await measurePlainCamera(false);
  await measurePlainCamera(true);
}
for (const size of SIZES) {
  const runs: RunFigures[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await measure(size, run));
  // Median over the runs that measured the figure (a run whose stamps could not be read has none).
  const med = (k: keyof RunFigures): number => {
    const v = runs.map((r) => r[k]).filter(Number.isFinite).sort((x, y) => x - y);
    return v.length ? v[v.length >> 1] : NaN;
  };
  console.log(`\nrender size ${size}: median of ${RUNS} runs`);
  console.log(`  distinct character poses at the remote peer: ${med('poses').toFixed(1)} /s`);
  console.log(`  pose latency camera frame read -> remote first shows that pose: p50 ${med('poseP50')} ms, p95 ${med('poseP95')} ms`);
  console.log(`  age of the shown pose over every frame shown: p50 ${med('poseAgeP50')} ms, p95 ${med('poseAgeP95')} ms`);
  console.log(`  output at the remote peer: ${med('fps').toFixed(1)} fps, longest gap ${med('maxGap').toFixed(0)} ms`);
  console.log(`  transport latency (frame read -> first shown): p50 ${med('transportP50')} ms; to the page's own track: p50 ${med('pageHopP50')} ms`);
  console.log(`  frames the offscreen document sent: ${med('sentFps').toFixed(1)} /s`);
}
await b.close();
await server.close();
process.exit(0);

/**
 * Why the call's own sender sends fewer frames than the page's track delivers (WebRTC adapts its
 * frame rate and size to the bandwidth estimate and the encoder's CPU use): its size, rate and
 * quality-limitation shares over the run.
 */
function callSender(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const call = (window as unknown as { demoCall: { sender: RTCPeerConnection; receiver: RTCPeerConnection | null } }).demoCall;
    const stats = [...(await call.sender.getStats()).values()];
    const inbound = call.receiver ? [...(await call.receiver.getStats()).values()].find((r) => r.type === 'inbound-rtp' && r.kind === 'video') : undefined;
    const received = inbound
      ? `; the remote's receiver: ${inbound.freezeCount ?? '?'} freezes (${Math.round(1000 * (inbound.totalFreezesDuration ?? 0))} ms), ${inbound.framesDropped ?? '?'} frames dropped, jitter buffer ${inbound.jitterBufferEmittedCount ? Math.round((1000 * inbound.jitterBufferDelay) / inbound.jitterBufferEmittedCount) : '?'} ms a frame`
      : '';
    // The bandwidth estimate of the pair in use (what the encoder's target follows).
    const pair = stats.find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded');
    const kbps = (bps: unknown) => (typeof bps === 'number' ? `${Math.round(bps / 1000)} kbps` : '?');
    for (const r of stats) {
      if (r.type !== 'outbound-rtp' || r.kind !== 'video') continue;
      const d = (r.qualityLimitationDurations ?? {}) as Record<string, number>;
      const total = Object.values(d).reduce((a, b) => a + b, 0) || 1;
      const shares = Object.entries(d).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${Math.round((100 * v) / total)}%`).join(', ');
      const encodeMs = r.framesEncoded ? ((1000 * r.totalEncodeTime) / r.framesEncoded).toFixed(1) : '?';
      const source = stats.find((m) => m.type === 'media-source' && m.kind === 'video');
      return (
        `${r.frameWidth}x${r.frameHeight} at ${r.framesPerSecond ?? 0} fps (its track delivers ${source?.framesPerSecond ?? '?'}), limited by: ${shares || 'nothing'} (now: ${r.qualityLimitationReason}); ` +
        `target ${kbps(r.targetBitrate)} of an estimated ${kbps(pair?.availableOutgoingBitrate)}, encode ${encodeMs} ms a frame; ` +
        `since the call began: ${r.qualityLimitationResolutionChanges ?? '?'} resolution changes, ${r.keyFramesEncoded ?? '?'} key frames, ${r.hugeFramesSent ?? 0} huge frames` +
        received
      );
    }
    return 'no video sender stats';
  });
}

/**
 * Starts noting the call's sender's encoded width every 250 ms: WebRTC starts a 720p track at a
 * lower resolution and steps it up as its bandwidth estimate grows, each step a key frame that the
 * remote shows after a pause (a real camera's track does the same).
 */
async function watchSenderSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { demoCall: { sender: RTCPeerConnection }; senderSteps: [number, number][] };
    w.senderSteps = [];
    const timer = setInterval(async () => {
      const out = [...(await w.demoCall.sender.getStats()).values()].find((r) => r.type === 'outbound-rtp' && r.kind === 'video');
      const width = out?.frameWidth;
      if (typeof width !== 'number') return;
      const last = w.senderSteps[w.senderSteps.length - 1];
      if (!last || last[1] !== width) w.senderSteps.push([performance.now(), width]);
    }, 250);
    addEventListener('pagehide', () => clearInterval(timer));
  });
}

/** The steps, timed in s from `t0` (the page's performance.now() when measuring began). */
async function senderSteps(page: Page, t0: number): Promise<string> {
  const steps = await page.evaluate(() => (window as unknown as { senderSteps?: [number, number][] }).senderSteps ?? []);
  return steps.map(([at, w]) => `${w} px wide at ${((at - t0) / 1000).toFixed(1)} s`).join(', ') || '?';
}

function describeGaps(gaps: [number, number][]): string {
  return gaps.length ? gaps.map(([at, ms]) => `${ms} ms at ${at} s`).join(', ') : 'none';
}

/**
 * The same demo call with the plain (fake) camera and no AnimeCam: the frame rate the call itself
 * reaches at its remote view on this machine, the ceiling for AnimeCam's figures. The fake camera
 * is 640x480; with `at720p` the page sends it drawn on a 1280x720 canvas instead (a 720p camera's
 * stand-in: AnimeCam's track is 1280x720, and the call's sender treats the two sizes differently).
 */
async function measurePlainCamera(at720p: boolean): Promise<void> {
  const page = await b.context.newPage();
  await page.goto(`${server.origin}/index.html`);
  await page.evaluate('window.__name = (f) => f');
  const plain = await waitFor(() => page.evaluate((id) => [...(document.getElementById('camera') as HTMLSelectElement).options].find((o) => o.value && o.value !== id)?.value ?? null, ANIMECAM_ID), 'a plain camera listed');
  await page.selectOption('#camera', plain);
  if (at720p) {
    await page.evaluate(() => {
      const md = navigator.mediaDevices;
      const real = md.getUserMedia.bind(md);
      md.getUserMedia = async (c) => {
        const s = await real(c);
        const v = document.createElement('video');
        v.muted = true;
        v.srcObject = new MediaStream(s.getVideoTracks());
        await v.play();
        const canvas = document.createElement('canvas');
        canvas.width = 1280;
        canvas.height = 720;
        const ctx = canvas.getContext('2d')!;
        const draw = () => {
          ctx.drawImage(v, 0, 0, 1280, 720);
          v.requestVideoFrameCallback(draw);
        };
        v.requestVideoFrameCallback(draw);
        return new MediaStream([...canvas.captureStream(30).getVideoTracks(), ...s.getAudioTracks()]);
      };
    });
  }
  await page.click('#join');
  await watchSenderSteps(page);
  const m = await page.evaluate(async (seconds) => {
    const v = document.getElementById('remote') as HTMLVideoElement;
    await new Promise<void>((ok) => v.requestVideoFrameCallback(() => ok()));
    let frames = 0;
    let last = 0;
    let maxGap = 0;
    const longGaps: [number, number][] = [];
    const t0 = performance.now();
    await new Promise<void>((done) => {
      const onFrame = (now: number) => {
        frames++;
        if (last) maxGap = Math.max(maxGap, now - last);
        if (last && now - last > 200) longGaps.push([Math.round((now - t0) / 100) / 10, Math.round(now - last)]);
        last = now;
        if (performance.now() - t0 < seconds * 1000) v.requestVideoFrameCallback(onFrame);
        else done();
      };
      v.requestVideoFrameCallback(onFrame);
    });
    return { fps: frames / ((performance.now() - t0) / 1000), maxGap, longGaps, t0 };
  }, SECONDS);
  const what = at720p ? 'plain camera drawn at 1280x720 (a 720p camera), no AnimeCam' : "plain camera (640x480), no AnimeCam (the call's own ceiling)";
  console.log(`\n${what}: ${m.fps.toFixed(1)} fps at the remote peer, longest gap ${m.maxGap.toFixed(0)} ms; gaps over 200 ms: ${describeGaps(m.longGaps)}`);
  console.log(`  the call's sender encoded ${await senderSteps(page, m.t0)}; ${await callSender(page)}`);
  await page.close();
}

/** Frames the offscreen document has sent over all its tracks. */
async function framesSent(): Promise<number> {
  return (await api<{ framesSent: number } | null>('offscreenDiagnostics'))?.framesSent ?? NaN;
}

async function measure(size: number | 'auto', run: number): Promise<RunFigures> {
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
  await watchSenderSteps(page);
  // Wait for the first rendered frame (a 512 frame on a CPU takes a while).
  await waitFor(async () => ((await api<{ renderFps: number }>('status')).renderFps > 0 ? true : null), 'first render', 600_000, 500);
  if (WARMUP > 0) await page.waitForTimeout(WARMUP * 1000);
  const sentBefore = await framesSent();
  const measured = await page.evaluate(async (seconds) => {
    const v = document.getElementById('remote') as HTMLVideoElement;
    const local = document.getElementById('local') as HTMLVideoElement;
    /**
     * The two stamp rows of the frame `video` shows, scaled back to the track's 1280 px width
     * (WebRTC may lower the resolution under load; the CPU path's frames travel at half size).
     * Each bit is an 8x8 block, read at its centre. Only those rows' bytes are copied out of the
     * frame, as they are (luma of a YUV frame): a canvas draw converts the whole frame to RGB
     * first, twice per shown frame, and loaded the machine measured.
     */
    const stampReader = (video: HTMLVideoElement) => {
      let buf = new Uint8Array(0);
      return async (): Promise<[number, number]> => {
        let f: VideoFrame;
        try {
          f = new VideoFrame(video);
        } catch {
          return [0, 0]; // no frame shown yet
        }
        try {
          const vis = f.visibleRect as DOMRectReadOnly;
          const scale = vis.width / 1280;
          const even = (x: number, max: number) => Math.min(max, Math.ceil(x / 2) * 2);
          const rect = { x: vis.x, y: vis.y, width: even(24 * 8 * scale, vis.width), height: even(16 * scale, vis.height) };
          const size = f.allocationSize({ rect });
          if (buf.length < size) buf = new Uint8Array(size);
          const [plane] = await f.copyTo(buf, { rect });
          const step = /^(RGB|BGR)/.test(f.format ?? '') ? 4 : 1;
          const row = (r: number): number => {
            let stamp = 0;
            const y = Math.floor((r * 8 + 4) * scale);
            for (let i = 0; i < 24; i++) if (buf[plane.offset + y * plane.stride + Math.floor((i * 8 + 4) * scale) * step] > 127) stamp |= 1 << i;
            return stamp;
          };
          return [row(0), row(1)];
        } finally {
          f.close();
        }
      };
    };
    /** The readers' work, in the order the frames were shown. */
    let reading = Promise.resolve();
    const inOrder = (work: () => Promise<void>) => void (reading = reading.then(work));
    const age = (stamp: number): number => ((Date.now() & 0xffffff) - stamp + 0x1000000) % 0x1000000;
    const lat: number[] = [];
    const poseLat: number[] = [];
    const poseAge: number[] = [];
    let lastStamp = -1;
    const gaps: number[] = [];
    /** Gaps over 200 ms at the remote: [s into the run, ms]. */
    const longGaps: [number, number][] = [];
    let frames = 0;
    let poses = 0;
    let lastPose = -1;
    let lastShown = 0;
    const t0 = performance.now();
    // Our hop alone: the same stamp read on the page's local preview (the track the site got).
    const readLocal = stampReader(local);
    const pageLat: number[] = [];
    let lastLocal = -1;
    const localGaps: number[] = [];
    let lastLocalShown = 0;
    const onLocal = (now: number) => {
      if (lastLocalShown) localGaps.push(now - lastLocalShown);
      lastLocalShown = now;
      const read = readLocal();
      const shownAt = Date.now();
      inOrder(async () => {
        const [stamp] = await read;
        const diff = age(stamp) - (Date.now() - shownAt);
        if (diff < 10_000 && stamp !== lastLocal) pageLat.push(diff);
        lastLocal = stamp;
      });
      if (performance.now() - t0 < seconds * 1000) local.requestVideoFrameCallback(onLocal);
    };
    local.requestVideoFrameCallback(onLocal);
    const readRemote = stampReader(v);
    await new Promise<void>((done) => {
      const onFrame = (now: number) => {
        frames++;
        if (lastShown) gaps.push(now - lastShown);
        if (lastShown && now - lastShown > 200) longGaps.push([Math.round((now - t0) / 100) / 10, Math.round(now - lastShown)]);
        lastShown = now;
        const read = readRemote();
        const shownAt = Date.now();
        const n = frames;
        inOrder(async () => {
          const [stamp, pose] = await read;
          // Ages as of the moment the frame was shown, not when its read finished.
          const diff = age(stamp) - (Date.now() - shownAt);
          if (diff >= 10_000 && n < 4) console.log(`unreadable stamp ${stamp} at ${shownAt & 0xffffff}`);
          else if (diff < 10_000 && stamp !== lastStamp) lat.push(diff); // a sent frame, first shown
          lastStamp = stamp;
          const poseAgeMs = age(pose) - (Date.now() - shownAt);
          if (pose !== 0 && poseAgeMs < 10_000) {
            poseAge.push(poseAgeMs);
            if (pose !== lastPose) {
              poses++;
              poseLat.push(poseAgeMs);
            }
            lastPose = pose;
          }
        });
        if (performance.now() - t0 < seconds * 1000) v.requestVideoFrameCallback(onFrame);
        else void reading.then(done);
      };
      v.requestVideoFrameCallback(onFrame);
    });
    const elapsed = (performance.now() - t0) / 1000;
    const localLong = localGaps.filter((g) => g > 200).length;
    return { fps: frames / elapsed, lat, pageLat, poseLat, poseAge, poses: poses / elapsed, maxGap: Math.max(0, ...gaps), longGaps, localMaxGap: Math.max(0, ...localGaps), localLong, elapsed, t0 };
  }, SECONDS);
  const sentFps = (await framesSent()) - sentBefore;
  const st = await api<{ backend: string; renderSize: number; renderFps: number; outputFps: number; stages: { name: string; median: number; p95: number; count: number }[] }>('status');
  const quantile = (xs: number[], p: number): number => {
    const sorted = [...xs].sort((x, y) => x - y);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  };
  const q = (p: number) => quantile(measured.lat, p);
  const fig: RunFigures = {
    poses: measured.poses,
    poseP50: quantile(measured.poseLat, 0.5),
    poseP95: quantile(measured.poseLat, 0.95),
    poseAgeP50: quantile(measured.poseAge, 0.5),
    poseAgeP95: quantile(measured.poseAge, 0.95),
    fps: measured.fps,
    sentFps: sentFps / measured.elapsed,
    maxGap: measured.maxGap,
    transportP50: q(0.5),
    pageHopP50: quantile(measured.pageLat, 0.5),
  };
  console.log(`\nrender size ${size} run ${run + 1} (${st.backend} at ${st.renderSize}px), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  distinct poses at the remote peer ${fig.poses.toFixed(1)}/s; pose latency p50 ${fig.poseP50} ms p95 ${fig.poseP95} ms; output ${fig.fps.toFixed(1)} fps, longest gap ${fig.maxGap.toFixed(0)} ms`);
  console.log(`  age of the shown pose over every frame: p50 ${fig.poseAgeP50} ms p95 ${fig.poseAgeP95} ms; frames sent by the offscreen document ${fig.sentFps.toFixed(1)}/s`);
  console.log(`  gaps over 200 ms at the remote: ${describeGaps(measured.longGaps)}; the page's own track (local preview): longest gap ${measured.localMaxGap.toFixed(0)} ms, ${measured.localLong} over 200 ms; the call's sender encoded ${await senderSteps(page, measured.t0)}`);
  console.log(`  the call's own video sender: ${await callSender(page)}`);
  console.log(`  character renders: ${st.renderFps} fps; transport latency frame read -> first shown: median ${q(0.5)} ms, p95 ${q(0.95)} ms (${measured.lat.length} frames)`);
  console.log(`  of which our hop (frame read -> the page's track shows it, local preview): median ${fig.pageHopP50} ms, p95 ${quantile(measured.pageLat, 0.95)} ms (${measured.pageLat.length} frames)`);
  for (const s of st.stages) console.log(`  stage ${s.name.padEnd(15)} median ${s.median.toFixed(1).padStart(7)} ms  p95 ${s.p95.toFixed(1).padStart(7)} ms  (${s.count})`);
  console.log('  stage transport       see latency above (encode, loopback RTP, decode at the page, re-encode and decode at the remote peer)');
  await page.close();
  await waitFor(async () => (await api<{ consumers: number }>('status')).consumers === 0, 'track released', 20_000);
  return fig;
}
