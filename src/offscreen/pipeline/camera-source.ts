/**
 * The real camera, and the only place the offscreen document opens it: open with the chosen
 * device, retry while it is missing or busy, notice when it stops delivering (unplugged, taken),
 * follow device changes, and the diagnostics probe (`background/open-camera`).
 */
import { cameraFailure } from '../../shared/camera-errors';
import type { CameraErrorKind, CameraResult, PipelineStatus } from '../../shared/messages';

export interface CameraState {
  state: PipelineStatus['camera'];
  label?: string;
  error?: { kind: CameraErrorKind; message: string };
}

/** What the source needs from the browser (fakes in unit tests). */
export interface CameraDeps {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  /** Subscribes to `devicechange` on navigator.mediaDevices. */
  onDeviceChange(listener: () => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const CAMERA_RETRY_MS = 3000;

export function browserCameraDeps(): CameraDeps {
  return {
    getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c),
    onDeviceChange: (l) => navigator.mediaDevices.addEventListener('devicechange', l),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

/** 640x480 at 30 fps is plenty for face tracking. `exact` fails rather than picking another camera. */
export function cameraConstraints(deviceId: string | null | undefined, match: 'ideal' | 'exact'): MediaStreamConstraints {
  return {
    video: { ...(deviceId ? { deviceId: { [match]: deviceId } } : {}), width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
    audio: false,
  };
}

export class CameraSource {
  private _state: CameraState = { state: 'off' };
  private track: MediaStreamTrack | null = null;
  private opening: Promise<void> | null = null;
  private retryTimer: unknown = null;
  private wanted = false;
  private deviceId: string | null = null;
  private probeStream: MediaStream | null = null;

  /** `onTrack` receives each new camera track, or null while there is none. */
  constructor(private deps: CameraDeps, private onTrack: (track: MediaStreamTrack | null) => void) {
    deps.onDeviceChange(() => {
      // A camera came back (or another appeared): retry if we are running without one.
      if (this.wanted && this._state.state === 'error') void this.open();
    });
  }

  get state(): CameraState {
    return this._state;
  }

  /** Opens the camera (the pipeline has a consumer) and keeps trying while it cannot. */
  start(deviceId: string | null): Promise<void> {
    this.wanted = true;
    this.deviceId = deviceId;
    return this.open();
  }

  /** The user chose another camera. */
  setDevice(deviceId: string | null): void {
    if (deviceId === this.deviceId) return;
    this.deviceId = deviceId;
    if (this.wanted) void this.open();
  }

  /** Releases the camera (no consumer left). */
  stop(): void {
    this.wanted = false;
    this.cancelRetry();
    this.track?.stop();
    this.track = null;
    this._state = { state: 'off' };
  }

  /** The frame reader saw the track end mid-call: hold on without it and retry now and then. */
  lost(): void {
    this.track = null;
    if (!this.wanted) return;
    this._state = { state: 'error', error: { kind: 'missing', message: 'The camera stopped delivering frames (unplugged or taken away)' } };
    console.warn('[AnimeCam:offscreen] camera lost; holding a neutral pose until it returns');
    this.scheduleRetry();
  }

  /** Stops the real camera as if unplugged (diagnostics and tests). */
  drop(): boolean {
    if (!this.track) return false;
    this.track.stop();
    return true;
  }

  private open(): Promise<void> {
    if (this.opening) return this.opening;
    this.opening = (async () => {
      this.cancelRetry();
      this._state = { state: 'starting' };
      this.track?.stop();
      this.track = null;
      try {
        const stream = await this.deps.getUserMedia(cameraConstraints(this.deviceId, 'ideal'));
        if (!this.wanted) {
          stream.getTracks().forEach((t) => t.stop());
          return;
        }
        const track = stream.getVideoTracks()[0];
        this.track = track;
        this._state = { state: 'on', label: track.label };
        this.onTrack(track);
      } catch (e) {
        const f = cameraFailure(e);
        this._state = { state: 'error', error: { kind: f.kind, message: `${f.name}: ${f.message}` } };
        console.error('[AnimeCam:offscreen] camera failed:', f.name, f.message);
        if (this.wanted) {
          this.onTrack(null); // keep the outgoing tracks alive without a camera
          this.scheduleRetry();
        }
      } finally {
        this.opening = null;
      }
    })();
    return this.opening;
  }

  /** While running without a camera, try again now and then (a camera may come back or be freed). */
  private scheduleRetry(): void {
    if (this.retryTimer !== null || !this.wanted) return;
    this.retryTimer = this.deps.setTimeout(() => {
      this.retryTimer = null;
      if (this.wanted && this._state.state === 'error') void this.open();
    }, CAMERA_RETRY_MS);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.deps.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * Diagnostics: can this camera be opened? While the pipeline holds the same camera, reports it
   * without opening it twice; otherwise opens it and keeps it until `closeProbe`.
   */
  async probe(deviceId?: string): Promise<CameraResult> {
    const current = this.track;
    if (current && current.readyState === 'live' && (!deviceId || current.getSettings().deviceId === deviceId)) return describe(current);
    this.closeProbe();
    try {
      this.probeStream = await this.deps.getUserMedia(cameraConstraints(deviceId, 'exact'));
      return describe(this.probeStream.getVideoTracks()[0]);
    } catch (e) {
      return { ok: false, error: cameraFailure(e) };
    }
  }

  closeProbe(): void {
    this.probeStream?.getTracks().forEach((t) => t.stop());
    this.probeStream = null;
  }
}

function describe(track: MediaStreamTrack): CameraResult {
  const s = track.getSettings();
  return { ok: true, label: track.label.slice(0, 512), width: s.width, height: s.height, frameRate: s.frameRate };
}
