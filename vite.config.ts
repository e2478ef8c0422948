import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultClientConditions, defineConfig } from 'vite';
import { bundleRuntimeAssets } from './scripts/lib/bundle-assets';
import { resolveFaceModel } from './scripts/lib/face-model';
import { manifestFor, type ManifestShape } from './scripts/lib/manifest-for';
import { mediapipeNoUsageLog } from './scripts/lib/mediapipe-no-usage-log';
import { ortCpuBuild } from './scripts/lib/ort-cpu-build';

const baseManifest = JSON.parse(readFileSync(resolve(__dirname, 'manifest.json'), 'utf8')) as ManifestShape;

// `vite build` makes the shipped extension in dist/: no test hosts, no debug API, no lab pages.
// `vite build --mode test` makes the test build in dist-test/ (tests, benchmarks and `npm start`):
//   content scripts and host permissions for http://127.0.0.1 and http://localhost, the service
//   worker's `globalThis.animecam` debug API and the tracker-lab page.
// `vite build --mode demo` makes the demo call page (served by `npm start` and the tests) in dist-demo/.
export default defineConfig(({ mode }) => {
  if (mode === 'demo') {
    return {
      root: resolve(__dirname, 'src/demo'),
      base: './',
      build: { outDir: resolve(__dirname, 'dist-demo'), emptyOutDir: true, target: 'es2022' },
    };
  }
  const testBuild = mode === 'test';
  return {
    plugins: [
      // MediaPipe's usage logger would send data off the machine: switched off in the bundle.
      mediapipeNoUsageLog(),
      // The manifest is plain JSON checked by crx at build time; the cast only names its type.
      crx({ manifest: manifestFor(baseManifest, testBuild) as unknown as ManifestV3Export }),
      // The face model ships inside the extension: verified (and downloaded if needed) at build time.
      bundleRuntimeAssets(async () => [
        { fileName: 'models/face_landmarker.task', source: await resolveFaceModel({ log: (l) => console.log(l) }) },
      ]),
    ],
    resolve: {
      // onnxruntime-web's default browser build inlines its wasm glue, and then starts its wasm
      // threads from the bundle chunk itself, which in an extension re-runs the whole offscreen
      // document in each worker and never finishes. Its "extern wasm" build loads the small glue
      // module (copied into ort/ by bundleRuntimeAssets) as the thread entry instead.
      conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
    },
    worker: {
      // Worker bundles get only these plugins (not the ones above), and the face-tracking worker
      // bundles MediaPipe: its usage logger must be switched off there too. Workers stay iife
      // (vite's default) so the tracking worker can run as a classic worker (importScripts).
      // The render workers get onnxruntime-web's CPU-only build (ort-cpu-build.ts).
      format: 'iife',
      plugins: () => [mediapipeNoUsageLog(), ortCpuBuild()],
    },
    build: {
      outDir: testBuild ? 'dist-test' : 'dist',
      emptyOutDir: true,
      target: 'es2022',
      // Model and wasm files are large by nature; the warning adds nothing.
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        input: {
          offscreen: resolve(__dirname, 'src/offscreen/index.html'),
          // Test page that runs the face tracker on given images and the camera (test build only).
          ...(testBuild ? { 'tracker-lab': resolve(__dirname, 'src/offscreen/tracker-lab/index.html') } : {}),
        },
      },
    },
    server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  };
});
