import { describe, expect, it } from 'vitest';
import type { PipelineStatus } from '../../shared/messages';
import { diagnose, NO_PROBLEM, pipelineLatencyMs, settleProblem, type Problem } from './diagnosis';

const ok: PipelineStatus = {
  running: true,
  camera: 'on',
  faceFound: true,
  backend: 'webgpu',
  renderSize: 512,
  renderFps: 30,
  outputFps: 30,
  character: { id: 'a', name: 'A' },
  consumers: 1,
};

describe('diagnose', () => {
  it('says nothing when all is well or the pipeline is idle', () => {
    expect(diagnose(ok, 1)).toBeNull();
    expect(diagnose(null, 1)).toBeNull();
    expect(diagnose(null, null)).toBeNull();
  });

  it('names each problem with the action that fixes it', () => {
    const cases: [PipelineStatus, string, string | null][] = [
      [{ ...ok, camera: 'error', cameraError: { kind: 'denied', message: '' } }, 'camera-denied', 'camera-settings'],
      [{ ...ok, camera: 'error', cameraError: { kind: 'missing', message: '' } }, 'no-camera', 'choose-camera'],
      [{ ...ok, camera: 'error', cameraError: { kind: 'busy', message: '' } }, 'camera-busy', 'retry'],
      [{ ...ok, camera: 'error' }, 'camera-error', 'choose-camera'],
      [{ ...ok, characterError: 'bad file' }, 'character-error', 'choose-character'],
      [{ ...ok, backend: 'wasm', backendNote: 'The GPU device was lost: using the CPU (WASM) renderer until AnimeCam restarts' }, 'gpu-lost', 'restart'],
      [{ ...ok, faceFound: false }, 'face-lost', null],
    ];
    for (const [status, kind, action] of cases) {
      const p = diagnose(status, 2);
      expect(p?.kind).toBe(kind);
      expect(p?.action?.id ?? null).toBe(action);
      expect(p?.text.length).toBeGreaterThan(10);
    }
  });

  it('puts a missing character first, and does not call plain WASM a lost GPU', () => {
    expect(diagnose({ ...ok, camera: 'error' }, 0)?.kind).toBe('no-character');
    expect(diagnose({ ...ok, backend: 'wasm', backendNote: 'No WebGPU adapter' }, 1)).toBeNull();
  });

  it('does not report a lost face while the camera is still starting', () => {
    expect(diagnose({ ...ok, camera: 'starting', faceFound: false }, 1)).toBeNull();
  });
});

describe('pipelineLatencyMs', () => {
  it('adds the medians of the frame stages and ignores the rest', () => {
    const stages = [
      { name: 'tracking', median: 40, p95: 60, count: 10 },
      { name: 'render', median: 20, p95: 30, count: 10 },
      { name: 'composite', median: 1, p95: 2, count: 10 },
      { name: 'other', median: 500, p95: 900, count: 10 },
    ];
    expect(pipelineLatencyMs({ ...ok, stages })).toBe(61);
    expect(pipelineLatencyMs({ ...ok, stages: [] })).toBeNull();
    expect(pipelineLatencyMs(null)).toBeNull();
  });
});

describe('settleProblem', () => {
  const faceLost: Problem = { kind: 'face-lost', text: 'face', action: null };
  const noCamera: Problem = { kind: 'no-camera', text: 'cam', action: { id: 'choose-camera', label: 'Choose a camera' } };

  it('shows a problem only after it held for two updates, and clears it the same way', () => {
    let s = settleProblem(NO_PROBLEM, faceLost);
    expect(s.shown).toBeNull();
    s = settleProblem(s, faceLost);
    expect(s.shown?.kind).toBe('face-lost');
    s = settleProblem(s, null);
    expect(s.shown?.kind).toBe('face-lost');
    s = settleProblem(s, null);
    expect(s.shown).toBeNull();
  });

  it('ignores a one-update flicker, and restarts the count when the diagnosis changes', () => {
    let s = settleProblem(NO_PROBLEM, faceLost);
    s = settleProblem(s, null);
    expect(s).toEqual(NO_PROBLEM);
    s = settleProblem(s, faceLost);
    s = settleProblem(s, noCamera);
    expect(s.shown).toBeNull();
    s = settleProblem(s, noCamera);
    expect(s.shown?.kind).toBe('no-camera');
  });
});
