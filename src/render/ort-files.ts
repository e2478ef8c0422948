/** onnxruntime-web's files the extension packages under `ort/` (scripts/lib/bundle-assets.ts): the JSEP build, wasm and WebGPU. */
export const ORT_GLUE_FILE = 'ort-wasm-simd-threaded.jsep.mjs';
export const ORT_WASM_FILE = 'ort-wasm-simd-threaded.jsep.wasm';
