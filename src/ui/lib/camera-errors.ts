/** Plain-language messages for camera failures, shared by the first-run page and the status line. */
import type { CameraErrorKind } from '../../shared/messages';
import { cameraFailure } from '../../shared/camera-errors';

export const CAMERA_SETTINGS_URL = 'chrome://settings/content/camera';

/** The kind of a getUserMedia failure (the same map the offscreen camera source uses). */
export function cameraErrorKind(e: unknown): CameraErrorKind {
  return cameraFailure(e).kind;
}

export function cameraErrorMessage(kind: CameraErrorKind, detail?: string): string {
  switch (kind) {
    case 'denied':
      return `Camera permission was denied, so AnimeCam cannot see your face. Allow the camera for AnimeCam in ${CAMERA_SETTINGS_URL}, then try again.`;
    case 'missing':
      return 'No camera was found. Connect a camera (or check that it is enabled), then try again.';
    case 'busy':
      return 'The camera is in use by another program or could not be started. Close other apps using it and try again.';
    case 'overconstrained':
      return 'The chosen camera cannot provide a suitable picture. Choose another camera below.';
    default:
      return `The camera could not be opened${detail ? `: ${detail}` : '.'}`;
  }
}
