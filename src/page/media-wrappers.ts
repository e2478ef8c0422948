/**
 * Wraps the page's camera entry points. For now every call passes straight through to the
 * originals captured when this script started (before any page script could replace them);
 * the wrapper reports the call to the bridge so the extension knows a call may be starting.
 */
export interface MediaHooks {
  onGetUserMedia(constraints: MediaStreamConstraints | undefined): void;
}

type LegacyGum = (
  constraints: MediaStreamConstraints,
  success: (stream: MediaStream) => void,
  failure: (error: unknown) => void,
) => void;

interface LegacyNavigator extends Navigator {
  webkitGetUserMedia?: LegacyGum;
}

export function installMediaWrappers(nav: Navigator, hooks: MediaHooks): boolean {
  const md = nav.mediaDevices;
  // Insecure origins have no mediaDevices: nothing to wrap, and nothing to break.
  if (!md || typeof md.getUserMedia !== 'function') return false;

  const originalGum = md.getUserMedia.bind(md);
  const originalEnumerate = md.enumerateDevices.bind(md);

  const getUserMedia = function getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    try {
      hooks.onGetUserMedia(constraints);
    } catch {
      // Reporting must never break the page's call.
    }
    return originalGum(constraints);
  };
  const enumerateDevices = function enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return originalEnumerate();
  };
  define(md, 'getUserMedia', getUserMedia);
  define(md, 'enumerateDevices', enumerateDevices);

  const legacy = function (this: unknown, constraints: MediaStreamConstraints, success: (s: MediaStream) => void, failure: (e: unknown) => void): void {
    getUserMedia(constraints).then(success, failure);
  };
  const ln = nav as LegacyNavigator;
  if (typeof ln.getUserMedia === 'function') define(ln, 'getUserMedia', legacy);
  if (typeof ln.webkitGetUserMedia === 'function') define(ln, 'webkitGetUserMedia', legacy);
  return true;
}

/** Replaces a method, keeping it non-enumerable like the native one. */
function define(target: object, name: string, fn: unknown): void {
  Object.defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
