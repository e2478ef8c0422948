/**
 * Renders on the CPU (WASM) off the offscreen document's main thread: a WASM session blocks its
 * thread while it runs, and the main thread must keep sending frames to calls meanwhile. Two
 * instances run, one per role (see render-protocol.ts): 'body' computes the body morpher's fields
 * at its own pace, 'frame' renders each frame from them. Frames come back as straight-alpha sRGB
 * bytes, ready for a canvas.
 */
import { loadCharacter } from '../../core/character';
import { BodyFieldBlend } from '../../render/body-field-blend';
import { ORT_CPU_WASM_FILE } from '../../render/ort-files';
import { configureOrt, dropOrtWasmBytes, useOrtWasmBytes } from '../../render/renderer';
import { createBodyFieldsRenderer, createFieldsFrameRenderer, type BodyFieldsRenderer, type FieldsFrameRenderer } from '../../render/split-renderer';
import { frameToCanvasRgba } from './frame-pixels';
import { HoldGate } from './hold-gate';
import { BODY_HOLD_MAX_MS, type FieldsMessage, type FromRenderWorker, type RenderInit, type ToRenderWorker } from './render-protocol';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToRenderWorker>) => void) | null;
  postMessage(m: FromRenderWorker, transfer?: Transferable[]): void;
};

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- frame role ----
let frameRenderer: FieldsFrameRenderer | null = null;
const blend = new BodyFieldBlend();
let fieldsArrived: () => void = () => undefined;
const firstFields = new Promise<void>((r) => (fieldsArrived = r));

// ---- body role ----
let bodyRenderer: BodyFieldsRenderer | null = null;
let bodyPort: MessagePort | null = null;
let bodyRest = 1;
let latestPose: Float32Array | null = null;
let pumping = false;
/** Held while a face detection runs (the tracker gets the core). */
const bodyGate = new HoldGate(BODY_HOLD_MAX_MS, sleep);

/** Computes fields for the newest pose until no newer one came in, resting between runs. */
async function pumpBody(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    while (bodyRenderer && bodyPort && latestPose) {
      await bodyGate.wait();
      if (!bodyRenderer || !bodyPort || !latestPose) break;
      const pose = latestPose;
      latestPose = null;
      const t0 = performance.now();
      const f = await bodyRenderer.fields(pose);
      const ms = performance.now() - t0;
      const msg: FieldsMessage = { type: 'fields', grid: f.grid, alpha: f.alpha, colorChange: f.colorChange, ms };
      bodyPort.postMessage(msg, [f.grid.buffer, f.alpha.buffer, f.colorChange.buffer]);
      scope.postMessage({ type: 'body', ms });
      // Leave the cores to tracking and the per-frame half for a while (poses arriving meanwhile
      // replace each other in latestPose).
      await sleep(ms * bodyRest);
    }
  } catch (err) {
    scope.postMessage({ type: 'error', message: `body fields failed: ${message(err)}` });
  } finally {
    pumping = false;
  }
}

async function init(msg: RenderInit): Promise<void> {
  configureOrt({ wasmPaths: msg.wasmPaths, numThreads: msg.numThreads });
  // This worker's bundle carries onnxruntime-web's CPU-only build (vite.config.ts).
  await useOrtWasmBytes(msg.wasmPaths, ORT_CPU_WASM_FILE);
  const ch = loadCharacter(new Map(msg.files.map(([k, v]) => [k, new Uint8Array(v)])), msg.name);
  if (msg.role === 'body') {
    bodyRenderer = await createBodyFieldsRenderer(ch, msg.size);
    bodyPort = msg.port;
    bodyRest = msg.bodyRest ?? 1;
    dropOrtWasmBytes();
    scope.postMessage({ type: 'ready', size: bodyRenderer.size });
    void pumpBody();
  } else {
    frameRenderer = await createFieldsFrameRenderer(ch, msg.size);
    msg.port.onmessage = (e: MessageEvent<FieldsMessage>) => {
      const m = e.data;
      blend.push({ grid: m.grid, alpha: m.alpha, colorChange: m.colorChange }, performance.now());
      fieldsArrived();
    };
    dropOrtWasmBytes();
    scope.postMessage({ type: 'ready', size: frameRenderer.size });
  }
}

let queue: Promise<void> = Promise.resolve();

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'pose') {
    // Never queued: only the newest pose matters to the body.
    latestPose = msg.pose;
    void pumpBody();
    return;
  }
  if (msg.type === 'hold') return bodyGate.set(msg.on);
  // One message at a time, in order: a render never overlaps init or another render.
  queue = queue.then(async () => {
    if (msg.type === 'init') {
      try {
        await init(msg);
      } catch (err) {
        scope.postMessage({ type: 'error', message: message(err) });
      }
    } else if (msg.type === 'render') {
      const r = frameRenderer;
      if (!r) return scope.postMessage({ type: 'frame-error', id: msg.id, message: 'renderer not ready' });
      try {
        await firstFields;
        const t0 = performance.now();
        const frame = await r.render(msg.pose, blend.at(t0));
        const rgba = frameToCanvasRgba(frame, r.size);
        scope.postMessage({ type: 'frame', id: msg.id, rgba, ms: performance.now() - t0 }, [rgba.buffer]);
      } catch (err) {
        scope.postMessage({ type: 'frame-error', id: msg.id, message: message(err) });
      }
    } else if (msg.type === 'dispose') {
      await frameRenderer?.dispose();
      await bodyRenderer?.dispose();
      frameRenderer = null;
      bodyRenderer = null;
      bodyPort?.close();
    }
  });
};
