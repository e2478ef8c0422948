import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultClientConditions, defineConfig } from 'vite';
import { bundleRuntimeAssets } from './scripts/lib/bundle-assets';
import { resolveFaceModel } from './scripts/lib/face-model';

const manifest = JSON.parse(readFileSync(resolve(__dirname, 'manifest.json'), 'utf8')) as ManifestV3Export;

// `vite build` makes the unpacked extension in dist/.
// `vite build --mode demo` makes the demo call page (served by `npm start` and the tests) in dist-demo/.
export default defineConfig(({ mode }) => {
  if (mode === 'demo') {
    return {
      root: resolve(__dirname, 'src/demo'),
      base: './',
      build: { outDir: resolve(__dirname, 'dist-demo'), emptyOutDir: true, target: 'es2022' },
    };
  }
  return {
    plugins: [
      crx({ manifest }),
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
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      // Model and wasm files are large by nature; the warning adds nothing.
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        input: {
          offscreen: resolve(__dirname, 'src/offscreen/index.html'),
          // Test page that runs the face tracker on given images and the camera.
          'tracker-lab': resolve(__dirname, 'src/offscreen/tracker-lab/index.html'),
        },
      },
    },
    server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  };
});
