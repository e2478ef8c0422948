/** The pipeline's state as the popup, options page and tests see it (lengths capped for the message schema). */
import type { PipelineStatus } from '../../shared/messages';
import type { CameraState } from './camera-source';
import type { StageTimer } from './stage-timer';

export interface StatusInput {
  running: boolean;
  camera: CameraState;
  faceFound: boolean;
  renderer: { backend: 'webgpu' | 'wasm'; backendNote: string; size: number; characterId: string; characterName: string } | null;
  characterError: string | undefined;
  consumers: number;
  pose: Float32Array;
  timer: StageTimer;
}

export function buildStatus(i: StatusInput): PipelineStatus {
  const r = i.renderer;
  return {
    running: i.running,
    camera: i.camera.state,
    ...(i.camera.error ? { cameraError: i.camera.error } : {}),
    ...(i.camera.label ? { cameraLabel: i.camera.label.slice(0, 512) } : {}),
    faceFound: i.faceFound,
    backend: r?.backend ?? null,
    ...(r ? { backendNote: r.backendNote.slice(0, 2048) } : {}),
    renderSize: r?.size ?? null,
    renderFps: round(i.timer.rate('render')),
    // Ticks that sent a new picture (or a keep-alive): the page repeats them up to the track's rate.
    outputFps: round(i.timer.rate('sent')),
    character: r ? { id: r.characterId.slice(0, 128), name: r.characterName.slice(0, 256) } : null,
    ...(i.characterError ? { characterError: i.characterError.slice(0, 2048) } : {}),
    consumers: i.consumers,
    pose: Array.from(i.pose, (v) => (Number.isFinite(v) ? Math.max(-10, Math.min(10, v)) : 0)),
    stages: Object.entries(i.timer.summary()).map(([name, s]) => ({ name, ...s })),
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
