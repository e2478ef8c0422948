/**
 * Face tracking + pose mapping speed on the talking-head clip played as the fake camera
 * (640x480, 30 fps) in headless Chromium, through the built extension's tracker-lab page.
 * Expects dist-test/ (npm run build); builds nothing itself.
 *
 *   npm run --silent bench:track -- [--seconds 10] [--delegate auto|CPU|GPU] [--compare-scale 0.5]
 *
 * --compare-scale S: also tracks every frame a second time, drawn S times smaller, with a second
 * tracker, and prints how far its poses are from the full-size ones; and the same at S = 1 (the
 * frame drawn at its own size), which is the floor: how far two trackers fed the same frames by
 * two paths drift apart on their own.
 */
import { parseArgs } from 'node:util';
import { POSE_PARAMETER_NAMES } from '../src/core/pose/pose-params';
import type { LabCameraRun, LabCreateResult, LabScaleRun } from '../src/offscreen/tracker-lab/index';
import { launchWithExtension } from '../test/support/extension';
import { talkingHeadY4m } from '../test/support/media';

function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** How far the scaled frames' poses are from the full-size ones, per pose parameter that moved. */
function printScaleRun(r: LabScaleRun): void {
  const both = r.full.flatMap((f, i) => (f && r.scaled[i] ? [[f, r.scaled[i]!] as const] : []));
  console.log(`\nframes drawn at ${r.scale} (${Math.round(r.width * r.scale)}x${Math.round(r.height * r.scale)}) vs as they are: ${r.frames} frames, a face in ${both.length} by both; ms/frame median ${quantile(r.scaledMs, 0.5).toFixed(1)} (drawing included) vs ${quantile(r.fullMs, 0.5).toFixed(1)}`);
  const means: number[] = [];
  POSE_PARAMETER_NAMES.forEach((name, k) => {
    const d = both.map(([f, s]) => Math.abs(f[k] - s[k]));
    const range = Math.max(...both.map(([f]) => f[k])) - Math.min(...both.map(([f]) => f[k]));
    if (!(range > 0.1)) return;
    const step = both.slice(1).map(([f], i) => Math.abs(f[k] - both[i][0][k]));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    means.push(mean);
    console.log(`  ${name.padEnd(28)} moved over ${range.toFixed(2)}: |difference| mean ${mean.toFixed(3)}, p95 ${quantile(d, 0.95).toFixed(3)} (frame-to-frame change mean ${(step.reduce((a, b) => a + b, 0) / step.length).toFixed(3)})`);
  });
  console.log(`  mean over those parameters: ${(means.reduce((a, b) => a + b, 0) / Math.max(1, means.length)).toFixed(4)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      delegate: { type: 'string', default: 'auto' },
      'compare-scale': { type: 'string' },
    },
  });
  const compareScale = values['compare-scale'] === undefined ? null : Number(values['compare-scale']);
  const seconds = Number(values.seconds);
  const delegate = values.delegate as 'auto' | 'CPU' | 'GPU';
  if (!(seconds > 0) || !['auto', 'CPU', 'GPU'].includes(delegate)) {
    throw new Error('usage: bench-track [--seconds N] [--delegate auto|CPU|GPU]');
  }

  const video = talkingHeadY4m();
  const browser = await launchWithExtension({ fakeVideo: video });
  try {
    const page = await browser.context.newPage();
    await page.goto(browser.extUrl('src/offscreen/tracker-lab/index.html'));
    await page.waitForFunction(() => 'trackerLab' in window);
    type Lab = { create(o: object): Promise<LabCreateResult>; camera(ms: number): Promise<LabCameraRun>; compareScales(ms: number, s: number): Promise<LabScaleRun> };
    const created = await page.evaluate(
      (d) => (window as unknown as { trackerLab: Lab }).trackerLab.create({ delegate: d }),
      delegate,
    );
    if (!created.ok) throw new Error(`tracker did not start: ${created.error}`);
    console.log(`delegate ${created.choice?.delegate}: ${created.choice?.reason}; start-up ${Math.round(created.createMs ?? 0)} ms`);

    const run = await page.evaluate(
      (ms) => (window as unknown as { trackerLab: Lab }).trackerLab.camera(ms),
      seconds * 1000,
    );
    const fps = run.frames / (run.durationMs / 1000);
    console.log(`camera ${run.width}x${run.height} (talking head, 30 fps), ${(run.durationMs / 1000).toFixed(1)} s, VIDEO mode`);
    console.log(`frames processed ${run.frames} (${fps.toFixed(1)} fps), with a face ${run.faces} (${((100 * run.faces) / Math.max(1, run.frames)).toFixed(1)}%)`);
    console.log(`tracking ms/frame: median ${quantile(run.trackMs, 0.5).toFixed(1)}, p90 ${quantile(run.trackMs, 0.9).toFixed(1)}`);
    console.log(`mapping  ms/frame: median ${quantile(run.mapMs, 0.5).toFixed(3)}, p90 ${quantile(run.mapMs, 0.9).toFixed(3)}`);
    console.log(`face width, share of the frame: median ${quantile(run.faceShares, 0.5).toFixed(3)}, min ${quantile(run.faceShares, 0).toFixed(3)}`);
    if (compareScale !== null) {
      for (const s of [1, compareScale]) {
        const r = await page.evaluate(([ms, sc]) => (window as unknown as { trackerLab: Lab }).trackerLab.compareScales(ms, sc), [seconds * 1000, s] as const);
        printScaleRun(r);
      }
    }
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0), // keep-alive sockets and the browser's pipes would keep Node running
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
