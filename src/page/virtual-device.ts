/** The AnimeCam entry of enumerateDevices, shaped like the browser's own InputDeviceInfo. */
import { ANIMECAM_DEVICE_ID, ANIMECAM_GROUP_ID, ANIMECAM_LABEL, CAPS } from './constraints';

export function capabilities(): MediaTrackCapabilities {
  return {
    deviceId: ANIMECAM_DEVICE_ID,
    groupId: ANIMECAM_GROUP_ID,
    width: { ...CAPS.width },
    height: { ...CAPS.height },
    frameRate: { ...CAPS.frameRate },
    aspectRatio: { ...CAPS.aspectRatio },
    facingMode: ['user'],
    resizeMode: ['none', 'crop-and-scale'],
  } as MediaTrackCapabilities;
}

export function makeDeviceInfo(): MediaDeviceInfo {
  const proto =
    typeof InputDeviceInfo === 'function' ? InputDeviceInfo.prototype : typeof MediaDeviceInfo === 'function' ? MediaDeviceInfo.prototype : Object.prototype;
  const info = Object.create(proto) as MediaDeviceInfo;
  const fields = { deviceId: ANIMECAM_DEVICE_ID, groupId: ANIMECAM_GROUP_ID, kind: 'videoinput', label: ANIMECAM_LABEL };
  for (const [k, v] of Object.entries(fields)) Object.defineProperty(info, k, { get: () => v, enumerable: false });
  Object.defineProperty(info, 'toJSON', { value: () => ({ ...fields }) });
  Object.defineProperty(info, 'getCapabilities', { value: capabilities });
  return info;
}
