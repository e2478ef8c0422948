import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium unless CHROME_PATH says otherwise. */
export function chromePath(): string {
  const p = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(p)) {
    throw new Error(`Chromium not found at ${p}: install Debian's chromium package or set CHROME_PATH.`);
  }
  return p;
}

export interface LaunchOptions {
  /** Unpacked extension folder to load (absolute or relative to cwd). */
  extension?: string;
  /** A .y4m or .mjpeg file the fake camera plays in a loop; default is Chromium's test pattern. */
  fakeVideo?: string;
  /** Give no fake camera at all (for "missing camera" tests). */
  noCamera?: boolean;
  /** Deny camera/microphone prompts instead of accepting them. */
  denyMedia?: boolean;
  extraArgs?: string[];
  /** Reuse this profile folder (and keep it on close), e.g. to test a browser restart. */
  userDataDir?: string;
}

export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium with WebGPU on the software adapter, a fake camera and (optionally) the
 * built extension. Flags measured on our CI machines: see test/README.md.
 */
export async function launchChromium(opts: LaunchOptions = {}): Promise<LaunchedChromium> {
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'animecam-udd-'));
  withDeveloperMode(userDataDir);
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (!opts.noCamera) {
    args.push('--use-fake-device-for-media-stream');
    if (opts.fakeVideo) args.push(`--use-file-for-fake-video-capture=${resolve(opts.fakeVideo)}`);
  }
  if (!opts.denyMedia) args.push('--use-fake-ui-for-media-stream');
  else args.push('--deny-permission-prompts');
  if (opts.extension) {
    const ext = resolve(opts.extension);
    args.push(`--disable-extensions-except=${ext}`, `--load-extension=${ext}`);
  }
  args.push(...(opts.extraArgs ?? []));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromePath(),
    headless: false, // --headless=new is passed above; Playwright's own headless mode drops extensions
    ignoreDefaultArgs: ['--disable-extensions', '--mute-audio'],
    args,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A new profile starts with developer mode on, as for anyone who loads an unpacked extension:
 * without it Chromium disables an unpacked extension that reloads itself (`runtime.reload()`,
 * disable reason "unsupported developer extension") instead of loading it again.
 */
function withDeveloperMode(userDataDir: string): void {
  const prefs = join(userDataDir, 'Default', 'Preferences');
  if (existsSync(prefs)) return; // an existing profile keeps its own preferences
  mkdirSync(join(userDataDir, 'Default'), { recursive: true });
  writeFileSync(prefs, JSON.stringify({ extensions: { ui: { developer_mode: true } } }));
}
