/**
 * The shipped build (dist/) carries no test surfaces: no content scripts or host permissions for
 * local test hosts, no debug API on globalThis, no lab pages, no MediaPipe usage logger, and
 * extension pages may connect only to themselves and the sample host. The test build
 * (dist-test/) is checked to have what dist/ must not, so the checks can fail.
 * Reads the built files only (npm run build first); no browser.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/shared-path';
import { ORT_CPU_GLUE_FILE, ORT_CPU_WASM_FILE, ORT_GLUE_FILE, ORT_WASM_FILE } from '../../src/render/ort-files';

const DIST = join(repoRoot, 'dist');
const DIST_TEST = join(repoRoot, 'dist-test');

interface Manifest {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches?: string[] }[];
  content_security_policy?: { extension_pages?: string };
  web_accessible_resources?: { matches?: string[] }[];
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The text of every script, page and manifest in a build (not the model and wasm binaries). */
function code(dir: string): { path: string; text: string }[] {
  return files(dir)
    .filter((p) => /\.(js|mjs|html|json|css)$/.test(p))
    .map((p) => ({ path: relative(dir, p), text: readFileSync(p, 'utf8') }));
}

const LOCAL = /localhost|127\.0\.0\.1|\[::1\]/;

/** Debug and test surfaces: each name below exists only in the test build's code. */
const TEST_SURFACES = ['globalThis.animecam=', 'globalThis.animecamPipeline=', 'setOfferTtl'];

describe('production build', () => {
  it('has no local test hosts in its content scripts or permissions', () => {
    const m = manifest(DIST);
    const patterns = [...(m.host_permissions ?? []), ...(m.optional_host_permissions ?? []).filter((p) => LOCAL.test(p)), ...(m.content_scripts ?? []).flatMap((c) => c.matches ?? []), ...(m.web_accessible_resources ?? []).flatMap((w) => w.matches ?? [])];
    expect(patterns.filter((p) => LOCAL.test(p))).toEqual([]);
    expect(m.host_permissions).toEqual(['https://meet.google.com/*', 'https://*.zoom.us/*', 'https://teams.microsoft.com/*', 'https://teams.live.com/*']);
    // Each permission is justified in README; a new one needs a reason there and here.
    expect([...(m.permissions ?? [])].sort()).toEqual(['activeTab', 'offscreen', 'scripting', 'storage', 'unlimitedStorage']);
    // The test build is the one that has them (so this check can see them when they are there).
    expect(manifest(DIST_TEST).content_scripts?.[0].matches).toContain('http://127.0.0.1/*');
  });

  it('lets extension pages connect only to themselves and the sample host', () => {
    const csp = manifest(DIST).content_security_policy?.extension_pages ?? '';
    const connect = /connect-src ([^;]*)/.exec(csp)?.[1].trim().split(/\s+/);
    expect(connect).toEqual(["'self'", 'https://raw.githubusercontent.com']);
  });

  it('ships no debug API, no lab page, no local hosts and no MediaPipe usage logger in its code', () => {
    const shipped = code(DIST);
    expect(shipped.length).toBeGreaterThan(5);
    expect(files(DIST).map((p) => relative(DIST, p)).filter((p) => p.includes('tracker-lab'))).toEqual([]);
    const hits = shipped.flatMap(({ path, text }) => [...TEST_SURFACES, 'odml.pa.googleapis.com'].filter((s) => text.includes(s)).map((s) => `${path}: ${s}`));
    expect(hits).toEqual([]);
    expect(shipped.filter(({ text }) => LOCAL.test(text)).map((f) => f.path)).toEqual([]);
    const testBuild = code(DIST_TEST).map((f) => f.text).join('\n');
    for (const s of TEST_SURFACES) expect(testBuild, s).toContain(s);
    expect(files(DIST_TEST).some((p) => p.includes('tracker-lab'))).toBe(true);
  });

  it('gives the render workers onnxruntime-web’s CPU-only build and the offscreen document the JSEP one, and packages both', () => {
    const scripts = code(DIST).filter((f) => f.path.startsWith('assets/'));
    const loads = (pattern: RegExp) => scripts.filter((f) => pattern.test(f.path)).map((f) => [...new Set(f.text.match(/ort-wasm-simd-threaded[a-z.]*\.(?:mjs|wasm)/g) ?? [])].sort());
    expect(loads(/^assets\/render\.worker-/)).toEqual([[ORT_CPU_GLUE_FILE, ORT_CPU_WASM_FILE].sort()]);
    expect(loads(/^assets\/offscreen-/)).toEqual([[ORT_GLUE_FILE]]);
    for (const f of [ORT_GLUE_FILE, ORT_WASM_FILE, ORT_CPU_GLUE_FILE, ORT_CPU_WASM_FILE]) expect(statSync(join(DIST, 'ort', f)).size, f).toBeGreaterThan(10_000);
  });
});
