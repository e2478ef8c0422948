/**
 * onnxruntime-web's files the extension packages under `ort/` (scripts/lib/bundle-assets.ts).
 * Two builds: the JSEP build (wasm and WebGPU) for the offscreen document, where onnxruntime-web's
 * WebGPU renderer is the fallback of our WGSL one; and the CPU-only build for the render workers
 * (vite.config.ts gives their bundle that build). The CPU-only wasm is half the size, and in a call
 * on 2 cores V8's optimizing compiler spent about 6 s of CPU on it in the first minute against
 * about 20 s on the JSEP one, most of it while the call had started (bench:call, v8.wasm trace).
 */
export const ORT_GLUE_FILE = 'ort-wasm-simd-threaded.jsep.mjs';
export const ORT_WASM_FILE = 'ort-wasm-simd-threaded.jsep.wasm';
export const ORT_CPU_GLUE_FILE = 'ort-wasm-simd-threaded.mjs';
export const ORT_CPU_WASM_FILE = 'ort-wasm-simd-threaded.wasm';
