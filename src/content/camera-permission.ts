/**
 * "Does this frame hold camera permission?", asked in the content script's isolated world. Page
 * script cannot reach this world: patching Permissions.prototype.query or MediaDevices.prototype
 * in the page changes the page's copies, not these. The answer is the browser's for the frame's
 * real origin, including its Permissions-Policy (a frame served with `camera=()` is denied).
 */
export type CameraPermission = { ok: true } | { ok: false; name: string; message: string };

export async function frameCameraPermission(nav: Navigator): Promise<CameraPermission> {
  const md = nav.mediaDevices;
  // Insecure origins have no mediaDevices: the page could not have a camera either.
  if (!md || typeof md.getUserMedia !== 'function') return { ok: false, name: 'NotAllowedError', message: 'No camera access in this context' };
  let state: string | undefined;
  try {
    state = (await nav.permissions.query({ name: 'camera' as PermissionName })).state;
  } catch {
    state = undefined; // cannot query 'camera' here: ask the real way below
  }
  if (state === 'granted') return { ok: true };
  if (state === 'denied') return { ok: false, name: 'NotAllowedError', message: 'Permission denied' };
  // Not decided yet: the browser's own prompt for this frame decides, exactly as for a camera.
  try {
    const probe = await md.getUserMedia({ video: true });
    probe.getTracks().forEach((t) => t.stop());
    return { ok: true };
  } catch (e) {
    const name = e instanceof Error || e instanceof DOMException ? e.name : 'NotAllowedError';
    return { ok: false, name: name.slice(0, 64), message: 'Permission denied' };
  }
}
