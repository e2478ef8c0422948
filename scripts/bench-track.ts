/**
 * Face tracking + pose mapping speed on the talking-head clip played as the fake camera
 * (640x480, 30 fps) in headless Chromium, through the built extension's tracker-lab page.
 * Expects dist-test/ (npm run build); builds nothing itself.
 *
 *   npm run --silent bench:track -- [--seconds 10] [--delegate auto|CPU|GPU]
 */
import { parseArgs } from 'node:util';
import type { LabCameraRun, LabCreateResult } from '../src/offscreen/tracker-lab/index';
import { launchWithExtension } from '../test/support/extension';
import { talkingHeadY4m } from '../test/support/media';

function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      delegate: { type: 'string', default: 'auto' },
    },
  });
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
    type Lab = { create(o: object): Promise<LabCreateResult>; camera(ms: number): Promise<LabCameraRun> };
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
