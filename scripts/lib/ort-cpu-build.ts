/**
 * Workers get onnxruntime-web's CPU-only build: the render workers run its wasm backend only, and
 * the JSEP build's wasm (WebGPU included) costs V8 over three times the optimizing-compiler time
 * at the start of every call (src/render/ort-files.ts). Used in vite.config.ts's worker plugins;
 * the offscreen document keeps the JSEP build for onnxruntime-web's WebGPU fallback.
 */
import type { Plugin } from 'vite';

export function ortCpuBuild(): Plugin {
  return {
    name: 'animecam-ort-cpu-build',
    enforce: 'pre',
    resolveId(id, importer) {
      return id === 'onnxruntime-web' ? this.resolve('onnxruntime-web/wasm', importer, { skipSelf: true }) : null;
    },
  };
}
