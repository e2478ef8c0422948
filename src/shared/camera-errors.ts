/**
 * The one map from getUserMedia's failures to what we tell the user, used by the offscreen
 * document's camera source and by the UI pages (which open the camera for the first-run check).
 */
import type { CameraErrorKind } from './messages';

/** Maps getUserMedia's DOMException names to a kind of camera failure. */
export function cameraErrorKind(name: string): CameraErrorKind {
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'overconstrained';
    default:
      return 'unknown';
  }
}

export interface CameraFailure {
  kind: CameraErrorKind;
  name: string;
  message: string;
}

/** Any thrown value (DOMException, Error, string) as a typed, length-capped camera failure. */
export function cameraFailure(e: unknown): CameraFailure {
  const name = (typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : 'Error').slice(0, 128);
  const message = (e instanceof Error || (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
    ? (e as { message: string }).message
    : String(e)
  ).slice(0, 2048);
  return { kind: cameraErrorKind(name), name, message };
}
