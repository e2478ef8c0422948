/**
 * Wraps the page's camera entry points, using the originals captured when this script started
 * (before any page script could replace them). Requests for AnimeCam (or for any camera while
 * "replace my camera" is on) get the character's track; audio in the same call is the real
 * microphone; everything else passes straight through.
 */
import type { SiteState } from '../shared/messages';
import type { TrackSettingsPlan } from './camera-model';
import { decideVideo } from './constraints';
import { documentGroupId, makeDeviceInfo, type DeviceIds } from './virtual-device';
import { noteMicrophones } from './mic-share';

export interface MediaHooks {
  onGetUserMedia(constraints: MediaStreamConstraints | undefined): void;
  state(): Promise<SiteState>;
  openTrack(settings: TrackSettingsPlan, constraints: MediaTrackConstraints | true, ids: DeviceIds): Promise<MediaStreamTrack>;
  /** Registers a callback for site-state changes (AnimeCam switched on/off). */
  onStateChange(cb: (now: SiteState, before: SiteState) => void): void;
  /** Called when AnimeCam is switched off while tracks are live. */
  endAll(reason: string): void;
}

type LegacyGum = (
  constraints: MediaStreamConstraints,
  success: (stream: MediaStream) => void,
  failure: (error: unknown) => void,
) => void;

interface LegacyNavigator {
  getUserMedia?: LegacyGum;
  webkitGetUserMedia?: LegacyGum;
}

export function installMediaWrappers(nav: Navigator, hooks: MediaHooks, Stream: typeof MediaStream = globalThis.MediaStream): boolean {
  const md = nav.mediaDevices;
  // Insecure origins have no mediaDevices: nothing to wrap, and nothing to break.
  if (!md || typeof md.getUserMedia !== 'function') return false;

  const originalGum = noteMicrophones(md.getUserMedia.bind(md)); // the voice mouth may reuse the call's microphone
  const originalEnumerate = md.enumerateDevices.bind(md);
  const dispatch = EventTarget.prototype.dispatchEvent;
  // Chromium gives every document new groupIds (deviceIds stay per origin): so does AnimeCam.
  const groupId = documentGroupId();
  const idsOf = (state: SiteState): DeviceIds => ({ deviceId: state.deviceId, groupId: state.deviceId ? groupId : '' });

  const getUserMedia = async function getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    try {
      hooks.onGetUserMedia(constraints);
    } catch {
      // Reporting must never break the page's call.
    }
    if (!constraints || typeof constraints !== 'object') return originalGum(constraints);
    const state = await hooks.state();
    const decision = decideVideo(constraints.video, state);
    if (decision.kind === 'none' || decision.kind === 'passthrough') return originalGum(constraints);
    if (decision.kind === 'error') {
      throw typeof OverconstrainedError === 'function'
        ? new OverconstrainedError(decision.constraint, decision.message)
        : new DOMException(decision.message, 'OverconstrainedError');
    }
    // Camera permission is checked by the content bridge, where page script cannot patch it.
    const audio = constraints.audio ? (await originalGum({ audio: constraints.audio })).getAudioTracks() : [];
    try {
      const video = await hooks.openTrack(decision.settings, constraints.video === true ? true : (constraints.video as MediaTrackConstraints), idsOf(state));
      return new Stream([video, ...audio]);
    } catch (e) {
      audio.forEach((t) => t.stop());
      throw e;
    }
  };

  const enumerateDevices = async function enumerateDevices(): Promise<MediaDeviceInfo[]> {
    const [devices, state] = await Promise.all([originalEnumerate(), hooks.state()]);
    if (!state.enabled) return devices;
    const kinds = devices.map((d) => d.kind);
    const lastVideo = kinds.lastIndexOf('videoinput');
    // Without camera permission the browser lists at most one camera, with empty label and ids:
    // list AnimeCam that way only where no camera is listed, so a page cannot tell it is there.
    const permitted = devices.some((d) => d.kind === 'videoinput' && d.deviceId !== '');
    if (!permitted && lastVideo >= 0) return devices;
    const out = devices.slice();
    // After the real cameras, like a second webcam would be listed (before the microphones and
    // speakers when there is no camera, where the browser lists cameras).
    const at = lastVideo >= 0 ? lastVideo + 1 : kinds.lastIndexOf('audioinput') + 1;
    out.splice(at, 0, makeDeviceInfo(permitted ? idsOf(state) : null));
    return out;
  };

  define(md, 'getUserMedia', getUserMedia);
  define(md, 'enumerateDevices', enumerateDevices);

  const legacy = function (constraints: MediaStreamConstraints, success: (s: MediaStream) => void, failure: (e: unknown) => void): void {
    getUserMedia(constraints).then(success, failure);
  };
  const ln = nav as unknown as LegacyNavigator;
  if (typeof ln.getUserMedia === 'function') define(ln, 'getUserMedia', legacy);
  if (typeof ln.webkitGetUserMedia === 'function') define(ln, 'webkitGetUserMedia', legacy);

  hooks.onStateChange((now, before) => {
    if (before.enabled && !now.enabled) hooks.endAll('AnimeCam was switched off for this site');
    if (now.enabled !== before.enabled) dispatch.call(md, new Event('devicechange'));
  });
  return true;
}

/** Replaces a method, keeping it non-enumerable like the native one. */
function define(target: object, name: string, fn: unknown): void {
  Object.defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
