import { describe, expect, it, vi } from 'vitest';
import { frameCameraPermission } from './camera-permission';

function nav(state: string | Error, probe: 'ok' | 'fail' = 'ok') {
  const stop = vi.fn();
  const getUserMedia = vi.fn(async () => {
    if (probe === 'fail') throw Object.assign(new Error('denied by policy'), { name: 'NotAllowedError' });
    return { getTracks: () => [{ stop }] };
  });
  const query = vi.fn(async () => {
    if (state instanceof Error) throw state;
    return { state };
  });
  return { n: { mediaDevices: { getUserMedia }, permissions: { query } } as unknown as Navigator, getUserMedia, stop };
}

describe('frameCameraPermission', () => {
  it('allows a frame that holds the permission without opening the camera', async () => {
    const { n, getUserMedia } = nav('granted');
    expect(await frameCameraPermission(n)).toEqual({ ok: true });
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('refuses a denied frame (a Permissions-Policy of camera=() reads as denied) without a prompt', async () => {
    const { n, getUserMedia } = nav('denied');
    expect(await frameCameraPermission(n)).toMatchObject({ ok: false, name: 'NotAllowedError' });
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('asks the browser the real way when undecided, and releases the probe', async () => {
    const ok = nav('prompt');
    expect(await frameCameraPermission(ok.n)).toEqual({ ok: true });
    expect(ok.stop).toHaveBeenCalled();
    const refused = nav(new TypeError('camera is not a permission name here'), 'fail');
    expect(await frameCameraPermission(refused.n)).toMatchObject({ ok: false, name: 'NotAllowedError' });
  });

  it('refuses where there is no mediaDevices (insecure context)', async () => {
    expect(await frameCameraPermission({} as Navigator)).toMatchObject({ ok: false });
  });
});
