/**
 * Renders one frame of a THA4 student character.
 *
 *   npm run --silent render -- --character <folder or zip> --pose <json: array of 45 numbers>
 *     --out <file.f32> [--png <file.png>] [--backend wasm|webgpu] [--size N]
 *
 * --out gets the frame as little-endian float32, 4 x N x N channel-major (the goldens' encoding);
 * --png gets THA4's own output conversion. wasm runs onnxruntime-web here in Node; webgpu runs
 * our WGSL kernels (src/render/webgpu) in headless Chromium (test/support/render-harness), which on
 * machines without a GPU means SwiftShader.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { encode } from 'fast-png';
import { loadCharacter, loadCharacterZip, type LoadedCharacter } from '../src/core/character/load-character';
import { IMAGE_SIZE } from '../src/core/model-graph/frame-model';
import { frameToTha4Rgba } from '../src/render/frame-image';
import { createRenderer } from '../src/render/renderer';

/** All files under a folder, keyed by '/'-separated path relative to it. */
function readFolder(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p).split('\\').join('/'), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}

/** Loads a character from a distiller folder or a zip of it. */
export function loadCharacterFromPath(path: string): LoadedCharacter {
  const p = resolve(path);
  if (statSync(p).isDirectory()) return loadCharacter(readFolder(p), basename(p));
  return loadCharacterZip(readFileSync(p), p);
}

export function readPoseFile(path: string): Float32Array {
  const pose: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(pose) || pose.length !== 45 || pose.some((v) => typeof v !== 'number')) {
    throw new Error(`${path}: expected a JSON array of 45 numbers`);
  }
  return Float32Array.from(pose as number[]);
}

/** Little-endian float32 bytes (every platform we run on is little-endian, so a view suffices). */
export function float32Bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function usage(): never {
  console.error(
    'usage: npm run --silent render -- --character <folder|zip> --pose <pose.json> --out <frame.f32> [--png <frame.png>] [--backend wasm|webgpu] [--size N]',
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      character: { type: 'string' },
      pose: { type: 'string' },
      out: { type: 'string' },
      png: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      size: { type: 'string', default: String(IMAGE_SIZE) },
    },
  });
  if (!values.character || !values.pose || !values.out) usage();
  const backend = values.backend;
  if (backend !== 'wasm' && backend !== 'webgpu') usage();
  const size = Number(values.size);
  const character = loadCharacterFromPath(values.character);
  const pose = readPoseFile(values.pose);

  let frame: Float32Array;
  if (backend === 'wasm') {
    const renderer = await createRenderer({ character, size, backend: 'wasm' });
    frame = await renderer.render(pose);
    await renderer.dispose();
  } else {
    // Loaded lazily: vite and Playwright are only needed for this path.
    const { startChromiumHarness } = await import('../test/support/render-harness/run-in-chromium');
    const harness = await startChromiumHarness();
    try {
      const result = await harness.renderWgsl(character, pose, size);
      console.error(`webgpu: ${result.reason}; ${result.firstMs.toFixed(0)} ms`);
      frame = result.frame;
    } finally {
      await harness.close();
    }
  }
  writeFileSync(values.out, float32Bytes(frame));
  if (values.png) {
    writeFileSync(values.png, encode({ width: size, height: size, data: frameToTha4Rgba(frame, size), channels: 4, depth: 8 }));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
