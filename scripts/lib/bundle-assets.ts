import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { ORT_CPU_GLUE_FILE, ORT_CPU_WASM_FILE, ORT_GLUE_FILE, ORT_WASM_FILE } from '../../src/render/ort-files';
import { repoRoot } from './shared-path';

/** One file to ship inside the extension, read from disk at build time. */
export interface PackagedFile {
  /** Path inside dist/. */
  fileName: string;
  /** Absolute path on disk at build time. */
  source: string;
}

// Packages' `exports` maps hide their dist folders from require.resolve, so look them up directly.
function packageDir(name: string): string {
  return join(repoRoot, 'node_modules', name);
}

/**
 * Runtime files that must be bundled (an extension may not load code from a CDN):
 * onnxruntime-web's wasm and its glue module (the JSEP build: wasm + WebGPU execution providers),
 * and MediaPipe's vision wasm.
 */
export function runtimeFiles(): PackagedFile[] {
  const ort = join(packageDir('onnxruntime-web'), 'dist');
  const mp = join(packageDir('@mediapipe/tasks-vision'), 'wasm');
  const files: PackagedFile[] = [];
  for (const f of [ORT_GLUE_FILE, ORT_WASM_FILE, ORT_CPU_GLUE_FILE, ORT_CPU_WASM_FILE]) {
    files.push({ fileName: `ort/${f}`, source: join(ort, f) });
  }
  for (const f of ['vision_wasm_internal.js', 'vision_wasm_internal.wasm']) {
    files.push({ fileName: `mediapipe/${f}`, source: join(mp, f) });
  }
  return files;
}

/** `extra` may be async (e.g. a model that is verified or downloaded first); a rejection fails the build. */
export function bundleRuntimeAssets(extra: () => PackagedFile[] | Promise<PackagedFile[]> = () => []): Plugin {
  let extraFiles: Promise<PackagedFile[]> | undefined;
  return {
    name: 'animecam-bundle-runtime-assets',
    apply: 'build',
    // Resolved at the start so a missing or corrupt file stops the build before any work is done.
    buildStart() {
      extraFiles = Promise.resolve().then(extra);
      return extraFiles.then(() => undefined);
    },
    async generateBundle() {
      for (const f of [...runtimeFiles(), ...(await (extraFiles ?? extra()))]) {
        this.emitFile({ type: 'asset', fileName: f.fileName, source: readFileSync(f.source) });
      }
    },
  };
}
