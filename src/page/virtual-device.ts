/** The AnimeCam entry of enumerateDevices and its capabilities, shaped like the browser's own. */
import { ANIMECAM_DEVICE, ANIMECAM_LABEL } from './constraints';

/** AnimeCam's ids on this origin (derived by the extension from the origin and a secret). */
export interface DeviceIds {
  deviceId: string;
  groupId: string;
}

/** A groupId for this document: 64 hex digits, random, like the browser's per-document group ids. */
export function documentGroupId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function capabilities(ids: DeviceIds): MediaTrackCapabilities {
  const { formats, minWidth, minHeight } = ANIMECAM_DEVICE;
  const maxWidth = Math.max(...formats.map((f) => f.width));
  const maxHeight = Math.max(...formats.map((f) => f.height));
  return {
    aspectRatio: { min: minWidth / maxHeight, max: maxWidth / minHeight },
    deviceId: ids.deviceId,
    facingMode: ['user'],
    frameRate: { min: 0, max: Math.max(...formats.map((f) => f.frameRate)) },
    groupId: ids.groupId,
    height: { min: minHeight, max: maxHeight },
    resizeMode: ['none', 'crop-and-scale'],
    width: { min: minWidth, max: maxWidth },
  } as MediaTrackCapabilities;
}

/**
 * An InputDeviceInfo for AnimeCam. Before the page holds camera permission a camera is listed
 * with empty label and ids (and, like the browser's, with empty capabilities).
 */
export function makeDeviceInfo(ids: DeviceIds | null): MediaDeviceInfo {
  const proto =
    typeof InputDeviceInfo === 'function' ? InputDeviceInfo.prototype : typeof MediaDeviceInfo === 'function' ? MediaDeviceInfo.prototype : Object.prototype;
  const info = Object.create(proto) as MediaDeviceInfo;
  const fields = { deviceId: ids?.deviceId ?? '', kind: 'videoinput', label: ids ? ANIMECAM_LABEL : '', groupId: ids?.groupId ?? '' };
  for (const [k, v] of Object.entries(fields)) Object.defineProperty(info, k, { get: () => v, enumerable: false });
  Object.defineProperty(info, 'toJSON', { value: () => ({ ...fields }) });
  Object.defineProperty(info, 'getCapabilities', { value: () => (ids ? capabilities(ids) : {}) });
  return info;
}

/** What ImageCapture.getPhotoCapabilities() answers for AnimeCam: its picture sizes, no flash. */
export function photoCapabilities(): { imageHeight: { max: number; min: number; step: number }; imageWidth: { max: number; min: number; step: number }; redEyeReduction: 'never' } {
  const { formats, minWidth, minHeight } = ANIMECAM_DEVICE;
  return {
    imageHeight: { max: Math.max(...formats.map((f) => f.height)), min: minHeight, step: 1 },
    imageWidth: { max: Math.max(...formats.map((f) => f.width)), min: minWidth, step: 1 },
    redEyeReduction: 'never',
  };
}

