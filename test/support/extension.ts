import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Worker } from 'playwright-core';
import { repoRoot } from '../../scripts/lib/shared-path';
import { launchChromium, type LaunchedChromium, type LaunchOptions } from './chromium';

/** The test build (`vite build --mode test`): the shipped dist/ has no test hosts or debug API. */
export const DIST = join(repoRoot, 'dist-test');
export const DIST_DEMO = join(repoRoot, 'dist-demo');

export interface ExtensionBrowser extends LaunchedChromium {
  sw: Worker;
  extensionId: string;
  extUrl(path: string): string;
}

/** Chromium with the built extension (npm run build first; `npm test` does it). */
export async function launchWithExtension(opts: Omit<LaunchOptions, 'extension'> = {}): Promise<ExtensionBrowser> {
  if (!existsSync(join(DIST, 'manifest.json'))) throw new Error('dist-test/ is missing: run `npm run build` first');
  const launched = await launchChromium({ ...opts, extension: DIST });
  const sw = await serviceWorker(launched.context);
  const extensionId = new URL(sw.url()).host;
  return { ...launched, sw, extensionId, extUrl: (p) => `chrome-extension://${extensionId}/${p.replace(/^\//, '')}` };
}

async function serviceWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
}

/** The service worker's log (see src/background/log.ts). */
export interface SwLogEntry {
  level: string;
  event: string;
  detail?: unknown;
}
export async function swLog(sw: Worker): Promise<SwLogEntry[]> {
  return sw.evaluate(() => (globalThis as unknown as { animecam: { log(): SwLogEntry[] } }).animecam.log());
}

/** Polls until check() returns a truthy value, or throws with the message after timeoutMs. */
export async function waitFor<T>(check: () => Promise<T> | T, message: string, timeoutMs = 30_000, intervalMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out: ${message}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The extension's service worker that runs now: Chrome may have stopped the one seen at launch and
 * started another (the newest with the debug API answering is the live one).
 */
export function runningServiceWorker(context: BrowserContext, message = 'a running service worker', intervalMs = 250): Promise<Worker> {
  return waitFor(
    async () => {
      for (const w of context.serviceWorkers().reverse()) if (await w.evaluate(() => Boolean((globalThis as any).animecam)).catch(() => false)) return w;
      return null;
    },
    message,
    30_000,
    intervalMs,
  );
}
