/**
 * Renders on the CPU (WASM) off the offscreen document's main thread: a WASM session blocks its
 * thread for the whole frame, and the main thread must keep sending frames to calls meanwhile.
 * Frames come back as straight-alpha sRGB bytes, ready for a canvas.
 */
import { loadCharacter } from '../../core/character';
import { configureOrt, createRenderer, type Renderer } from '../../render/renderer';
import { frameToCanvasRgba } from './frame-pixels';
import type { FromRenderWorker, ToRenderWorker } from './render-protocol';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToRenderWorker>) => void) | null;
  postMessage(m: FromRenderWorker, transfer?: Transferable[]): void;
};

let renderer: Renderer | null = null;
let queue: Promise<void> = Promise.resolve();

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

scope.onmessage = (e) => {
  const msg = e.data;
  // One message at a time, in order: a render never overlaps init or another render.
  queue = queue.then(async () => {
    if (msg.type === 'init') {
      try {
        configureOrt({ wasmPaths: msg.wasmPaths, numThreads: msg.numThreads });
        const ch = loadCharacter(new Map(msg.files.map(([k, v]) => [k, new Uint8Array(v)])), msg.name);
        renderer = await createRenderer({ character: ch, size: msg.size, backend: 'wasm' });
        scope.postMessage({ type: 'ready', size: renderer.size });
      } catch (err) {
        scope.postMessage({ type: 'error', message: message(err) });
      }
    } else if (msg.type === 'render') {
      if (!renderer) return scope.postMessage({ type: 'frame-error', id: msg.id, message: 'renderer not ready' });
      try {
        const t0 = performance.now();
        const frame = await renderer.render(msg.pose);
        const rgba = frameToCanvasRgba(frame, renderer.size);
        scope.postMessage({ type: 'frame', id: msg.id, rgba, ms: performance.now() - t0 }, [rgba.buffer]);
      } catch (err) {
        scope.postMessage({ type: 'frame-error', id: msg.id, message: message(err) });
      }
    } else if (msg.type === 'dispose') {
      await renderer?.dispose();
      renderer = null;
    }
  });
};
