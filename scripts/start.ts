/**
 * `npm start`: build the extension and the demo call page, serve the demo (and the sample
 * characters) on 127.0.0.1, and open Chromium with the extension loaded on the demo page.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChrome } from './lib/find-chrome';
import { repoRoot, sharedDir } from './lib/shared-path';
import { startStaticServer } from './lib/static-server';

const chrome = findChrome();
if (!chrome) {
  console.error('No Chrome or Chromium found: install Chromium or set CHROME_PATH to the browser executable.');
  process.exit(1);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const shared = sharedDir();
const mounts: Record<string, string> = { '/': join(repoRoot, 'dist-demo') };
if (shared) mounts['/characters/'] = join(shared, 'tha4');
const server = await startStaticServer({ mounts, port: Number(process.env.PORT ?? 8123) });
const demoUrl = `${server.origin}/index.html`;
console.log(`Demo call page: ${demoUrl}`);
if (shared) console.log(`Sample characters served from ${server.origin}/characters/`);

const profile = mkdtempSync(join(tmpdir(), 'animecam-profile-'));
const ext = join(repoRoot, 'dist');
const args = [
  `--user-data-dir=${profile}`,
  `--disable-extensions-except=${ext}`,
  `--load-extension=${ext}`,
  '--no-first-run',
  '--no-default-browser-check',
  '--enable-unsafe-webgpu',
  ...(process.env.ANIMECAM_START_ARGS ? process.env.ANIMECAM_START_ARGS.split(' ') : []),
  demoUrl,
];
console.log(`Opening ${chrome} with the extension from dist/ …`);
const browser = spawn(chrome, args, { stdio: 'inherit' });
browser.on('exit', (code) => {
  void server.close();
  process.exit(code ?? 0);
});
process.on('SIGINT', () => browser.kill('SIGTERM'));
