/**
 * What the popup says when something stops AnimeCam from working, and the one action that fixes
 * it. Pure: it reads the pipeline status and the library, so every case is unit-tested.
 */
import type { PipelineStatus } from '../../shared/messages';

export type FixAction =
  /** Opens Chrome's camera permission page. */
  | 'camera-settings'
  /** Opens the options page at the camera choice. */
  | 'choose-camera'
  /** Opens the options page at the character gallery. */
  | 'choose-character'
  /** Asks the pipeline again (the preview reconnects). */
  | 'retry'
  /** Reloads the extension: the only way back to the GPU after a lost device. */
  | 'restart';

export interface Problem {
  kind: 'no-character' | 'camera-denied' | 'no-camera' | 'camera-busy' | 'camera-error' | 'character-error' | 'gpu-lost' | 'face-lost';
  text: string;
  /** null when the fix is something the person does (look at the camera), not a button. */
  action: { id: FixAction; label: string } | null;
}

/** The renderer's note after a lost GPU device (see the offscreen character renderer). */
const GPU_LOST = /GPU device was lost/i;

export function diagnose(status: PipelineStatus | null, characterCount: number | null): Problem | null {
  if (characterCount === 0) {
    return { kind: 'no-character', text: 'No character yet: calls would see a placeholder.', action: { id: 'choose-character', label: 'Add a character' } };
  }
  if (!status) return null;
  if (status.camera === 'error') {
    switch (status.cameraError?.kind) {
      case 'denied':
        return { kind: 'camera-denied', text: 'AnimeCam may not use the camera, so the character cannot follow you.', action: { id: 'camera-settings', label: 'Allow the camera' } };
      case 'missing':
        return { kind: 'no-camera', text: 'No camera found.', action: { id: 'choose-camera', label: 'Choose a camera' } };
      case 'busy':
        return { kind: 'camera-busy', text: 'The camera is in use by another app. Close it, then try again.', action: { id: 'retry', label: 'Try again' } };
      default:
        return { kind: 'camera-error', text: 'The camera could not be opened.', action: { id: 'choose-camera', label: 'Choose a camera' } };
    }
  }
  if (status.characterError) {
    return { kind: 'character-error', text: 'The chosen character could not be loaded.', action: { id: 'choose-character', label: 'Choose another character' } };
  }
  if (status.backend === 'wasm' && status.backendNote && GPU_LOST.test(status.backendNote)) {
    return { kind: 'gpu-lost', text: 'The graphics card stopped responding: AnimeCam draws on the processor for now (slower).', action: { id: 'restart', label: 'Restart AnimeCam' } };
  }
  if (status.running && status.camera === 'on' && !status.faceFound) {
    return { kind: 'face-lost', text: 'Your face is not in view: look at the camera, with light on your face.', action: null };
  }
  return null;
}

/** Pipeline stages that lie between reading a camera frame and handing the picture on. */
const FRAME_STAGES = ['tracking', 'pose', 'render', 'composite', 'transport-send'];

/**
 * Time from a camera frame to the picture leaving the pipeline (sum of the stages' medians), in
 * ms; null before any frame was measured. It leaves out the call's own encode and decode.
 */
export function pipelineLatencyMs(status: PipelineStatus | null): number | null {
  const stages = status?.stages?.filter((s) => FRAME_STAGES.includes(s.name) && s.count > 0);
  if (!stages?.length) return null;
  return stages.reduce((sum, s) => sum + s.median, 0);
}

/** What the popup shows, and the diagnosis that is waiting to replace it. */
export interface SettledProblem {
  shown: Problem | null;
  pending: Problem | null;
  /** How many status updates in a row gave `pending`. */
  count: number;
}

export const NO_PROBLEM: SettledProblem = { shown: null, pending: null, count: 0 };

/**
 * Changes the shown problem only once a new diagnosis held for `updates` status updates in a row,
 * so a face lost for a moment or a camera still starting does not flash a line on and off.
 */
export function settleProblem(prev: SettledProblem, next: Problem | null, updates = 2): SettledProblem {
  if ((next?.kind ?? null) === (prev.shown?.kind ?? null)) return { shown: next, pending: null, count: 0 };
  const count = (next?.kind ?? null) === (prev.pending?.kind ?? null) && prev.count > 0 ? prev.count + 1 : 1;
  return count >= updates ? { shown: next, pending: null, count: 0 } : { shown: prev.shown, pending: next, count };
}
