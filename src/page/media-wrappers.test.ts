import { describe, expect, it, vi } from 'vitest';
import type { SiteState } from '../shared/messages';
import { installMediaWrappers, type MediaHooks } from './media-wrappers';

const ANIMECAM_DEVICE_ID = 'c'.repeat(64);
const GROUP = 'd'.repeat(64);
const state = (enabled: boolean, replaceCamera: boolean): SiteState => ({ enabled, replaceCamera, deviceId: ANIMECAM_DEVICE_ID, groupId: GROUP });

class FakeStream {
  constructor(readonly tracks: unknown[]) {}
}

function setup(state: SiteState, devices: Partial<MediaDeviceInfo>[] = [{ kind: 'videoinput', deviceId: 'real' }, { kind: 'audioinput', deviceId: 'mic' }]) {
  const realStream = { getAudioTracks: () => ['mic'], getTracks: () => [] } as unknown as MediaStream;
  const gum = vi.fn(async (_c?: MediaStreamConstraints) => realStream);
  const md = Object.assign(new EventTarget(), {
    getUserMedia: gum,
    enumerateDevices: vi.fn(async () => devices as MediaDeviceInfo[]),
  });
  const permissions = { query: vi.fn(async () => ({ state: 'granted' })) };
  const nav = { mediaDevices: md, permissions, webkitGetUserMedia: () => undefined } as unknown as Navigator;
  let change: ((n: SiteState, b: SiteState) => void) | null = null;
  const hooks: MediaHooks = {
    onGetUserMedia: vi.fn(),
    state: async () => state,
    openTrack: vi.fn(async () => 'animecam-track' as unknown as MediaStreamTrack),
    onStateChange: (cb) => (change = cb),
    endAll: vi.fn(),
  };
  installMediaWrappers(nav, hooks, FakeStream as unknown as typeof MediaStream);
  return { nav, md, gum, hooks, fire: (n: SiteState, b: SiteState) => change!(n, b) };
}

describe('installMediaWrappers', () => {
  it('installs nothing and throws nothing where there is no mediaDevices (insecure origin)', () => {
    const nav = {} as Navigator;
    const hooks = { onGetUserMedia: vi.fn(), state: vi.fn(), openTrack: vi.fn(), onStateChange: vi.fn(), endAll: vi.fn() };
    expect(installMediaWrappers(nav, hooks)).toBe(false);
    expect(nav).toEqual({});
    expect(hooks.onStateChange).not.toHaveBeenCalled();
  });

  it('passes real-camera and audio-only calls through; a failing hook does not break the call', async () => {
    const { nav, gum, hooks } = setup(state(true, false));
    (hooks.onGetUserMedia as ReturnType<typeof vi.fn>).mockImplementation(() => { throw new Error('hook broke'); });
    await nav.mediaDevices.getUserMedia({ video: true });
    await nav.mediaDevices.getUserMedia({ audio: true });
    expect(gum.mock.calls.map((c) => c[0])).toEqual([{ video: true }, { audio: true }]);
    const legacy = await new Promise((ok, fail) => (nav as unknown as { webkitGetUserMedia: Function }).webkitGetUserMedia({ video: true }, ok, fail));
    expect(legacy).toBeDefined();
  });

  it('serves AnimeCam with the real microphone when AnimeCam is picked', async () => {
    const { nav, gum, hooks } = setup(state(true, false));
    const s = (await nav.mediaDevices.getUserMedia({ video: { deviceId: { exact: ANIMECAM_DEVICE_ID } }, audio: true })) as unknown as FakeStream;
    expect(s.tracks).toEqual(['animecam-track', 'mic']);
    expect(gum.mock.calls.map((c) => c[0])).toEqual([{ audio: true }]);
    expect(hooks.openTrack).toHaveBeenCalledWith(expect.objectContaining({ width: 640, height: 480, frameRate: 30 }), { deviceId: { exact: ANIMECAM_DEVICE_ID } }, { deviceId: ANIMECAM_DEVICE_ID, groupId: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('rejects impossible constraints with OverconstrainedError', async () => {
    const { nav } = setup(state(true, true));
    await expect(nav.mediaDevices.getUserMedia({ video: { width: { min: 8000 } } })).rejects.toMatchObject({ name: 'OverconstrainedError' });
  });

  it('lists AnimeCam after the real cameras only when enabled, and fires devicechange on a switch', async () => {
    const { nav, md, hooks, fire } = setup(state(true, false));
    const list = await nav.mediaDevices.enumerateDevices();
    expect(list.map((d) => d.deviceId)).toEqual(['real', ANIMECAM_DEVICE_ID, 'mic']);
    expect(list[1].label).toBe('AnimeCam');
    const changes: string[] = [];
    md.addEventListener('devicechange', () => changes.push('change'));
    fire(state(false, false), state(true, false));
    expect(changes).toEqual(['change']);
    expect(hooks.endAll).toHaveBeenCalled();
  });

  it('shows AnimeCam without permission only the way the browser shows a camera then', async () => {
    // No permission and a real camera: the browser lists one blank camera; adding a second would give us away.
    const blank = [{ kind: 'audioinput', deviceId: '' }, { kind: 'videoinput', deviceId: '' }] as Partial<MediaDeviceInfo>[];
    expect((await setup(state(true, false), blank).nav.mediaDevices.enumerateDevices()).map((d) => d.deviceId)).toEqual(['', '']);
    // No permission and no camera: AnimeCam is that one blank camera.
    const list = await setup(state(true, false), [{ kind: 'audioinput', deviceId: '' }]).nav.mediaDevices.enumerateDevices();
    expect(list.map((d) => [d.kind, d.deviceId, d.label, d.groupId])).toEqual([['audioinput', '', undefined, undefined], ['videoinput', '', '', '']]);
    expect((list[1] as InputDeviceInfo).getCapabilities()).toEqual({});
  });

  it('gives AnimeCam a groupId of its own per document (the same in the list and the track), like the browser', async () => {
    const first = setup(state(true, false));
    const a = (await first.nav.mediaDevices.enumerateDevices()).find((d) => d.label === 'AnimeCam')!;
    const again = (await first.nav.mediaDevices.enumerateDevices()).find((d) => d.label === 'AnimeCam')!;
    const b = (await setup(state(true, false)).nav.mediaDevices.enumerateDevices()).find((d) => d.label === 'AnimeCam')!;
    expect(a.groupId).toMatch(/^[0-9a-f]{64}$/);
    expect(again.groupId).toBe(a.groupId);
    expect(b.groupId).not.toBe(a.groupId); // another document
    expect(b.deviceId).toBe(a.deviceId); // the deviceId stays the origin's
    await first.nav.mediaDevices.getUserMedia({ video: { deviceId: { exact: ANIMECAM_DEVICE_ID } } });
    expect(first.hooks.openTrack).toHaveBeenCalledWith(expect.anything(), expect.anything(), { deviceId: ANIMECAM_DEVICE_ID, groupId: a.groupId });
  });
});
