/**
 * `npm start`: build the extension and the demo call page, serve the demo (and the sample
 * characters) on 127.0.0.1, and open Chromium with the extension loaded on the demo page. The
 * build is told where the local sample catalog is, and installs one sample on first run, so the
 * demo shows a character straight away.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findChrome } from './lib/find-chrome';
import { repoRoot, sharedDir } from './lib/shared-path';
import { startStaticServer } from './lib/static-server';

const chrome = findChrome();
if (!chrome) {
  console.error('No Chrome or Chromium found: install Chromium or set CHROME_PATH to the browser executable.');
  process.exit(1);
}

const shared = sharedDir();
const mounts: Record<string, string> = { '/': join(repoRoot, 'dist-demo') };
if (shared) mounts['/characters/'] = join(shared, 'tha4');
const server = await startStaticServer({ mounts, port: Number(process.env.PORT ?? 8123) });

// The test build (demo hosts on 127.0.0.1, debug API); ANIMECAM_OUT_DIR lets a test build elsewhere.
const outDir = resolve(process.env.ANIMECAM_OUT_DIR ?? join(repoRoot, 'dist-test'));
const env = {
  ...process.env,
  ...(shared ? { VITE_SAMPLE_BASE_URL: `${server.origin}/characters/`, VITE_AUTOINSTALL_SAMPLE: 'lambda_00' } : {}),
};
for (const args of [['vite', 'build', '--mode', 'test', '--outDir', outDir], ['vite', 'build', '--mode', 'demo']]) {
  const r = spawnSync('npx', args, { cwd: repoRoot, stdio: 'inherit', env });
  if (r.status !== 0) {
    await server.close();
    process.exit(r.status ?? 1);
  }
}

const demoUrl = `${server.origin}/index.html`;
console.log(`Demo call page: ${demoUrl}`);
if (shared) console.log(`Sample characters served from ${server.origin}/characters/ (lambda_00 is installed on first run)`);
else console.log('No ../shared folder (set ANIMECAM_SHARED): add a character in AnimeCam’s options.');

const profile = mkdtempSync(join(tmpdir(), 'animecam-profile-'));
const args = [
  `--user-data-dir=${profile}`,
  `--disable-extensions-except=${outDir}`,
  `--load-extension=${outDir}`,
  '--no-first-run',
  '--no-default-browser-check',
  '--enable-unsafe-webgpu',
  ...(process.env.ANIMECAM_START_ARGS ? process.env.ANIMECAM_START_ARGS.split(' ').filter(Boolean) : []),
  demoUrl,
];
console.log(`Opening ${chrome} with the extension from ${outDir} …`);
const browser = spawn(chrome, args, { stdio: 'inherit' });
const quit = () => browser.kill('SIGTERM');
browser.on('exit', (code) => {
  void server.close().then(() => process.exit(code ?? 0));
});
process.on('SIGINT', quit);
process.on('SIGTERM', quit);
