/** The real camera, opened by the offscreen document with the extension's own permission. */
import type { CameraErrorKind, CameraResult } from '../shared/messages';

let current: MediaStream | null = null;

/** Maps getUserMedia's DOMException names to what we tell the user. */
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
      return 'overconstrained';
    default:
      return 'unknown';
  }
}

export async function openCamera(deviceId?: string): Promise<CameraResult> {
  closeCamera();
  try {
    current = await navigator.mediaDevices.getUserMedia({
      video: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        width: { ideal: 640 },
        height: { ideal: 480 },
        frameRate: { ideal: 30 },
      },
      audio: false,
    });
    const track = current.getVideoTracks()[0];
    const s = track.getSettings();
    return { ok: true, label: track.label.slice(0, 512), width: s.width, height: s.height, frameRate: s.frameRate };
  } catch (e) {
    const name = e instanceof DOMException || e instanceof Error ? e.name : 'Error';
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { kind: cameraErrorKind(name), name: name.slice(0, 128), message: message.slice(0, 2048) } };
  }
}

export function closeCamera(): void {
  current?.getTracks().forEach((t) => t.stop());
  current = null;
}

export function cameraStream(): MediaStream | null {
  return current;
}
