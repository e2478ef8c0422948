import { describe, expect, it, vi } from 'vitest';
import { contentToBackground, tryParse, type BridgeToPage, type ContentToBackground, type SiteState } from '../shared/messages';
import { createBridge, MAX_PENDING_OPENS } from './bridge-core';
import type { CameraPermission } from './camera-permission';

const ON: SiteState = { enabled: true, replaceCamera: false, deviceId: '', groupId: '' };
const OFF: SiteState = { enabled: false, replaceCamera: false, deviceId: '', groupId: '' };

function setup(state: SiteState, permission: CameraPermission = { ok: true }, offer = true) {
  const toPage: BridgeToPage[] = [];
  const toBackground: ContentToBackground[] = [];
  const rejected: string[] = [];
  const cameraPermission = vi.fn(async () => permission);
  const bridge = createBridge({
    toPage: (m) => void toPage.push(m),
    toBackground: async (m) => {
      toBackground.push(m);
      if (m.type === 'content/open-track') return offer ? { ok: true, sdp: 'v=0' } : { ok: false, error: { name: 'NotReadableError', message: 'cap' } };
      if (m.type === 'content/ping') return { ok: true, path: ['background', 'offscreen'] };
      return { ok: true };
    },
    cameraPermission,
    state: async () => state,
    reject: (r) => void rejected.push(r),
  });
  return { bridge, toPage, toBackground, rejected, cameraPermission };
}

const open = (requestId: number) => ({ type: 'page/open-track', requestId, width: 640, height: 480, frameRate: 30 });
const EVERY_TYPE = [
  { type: 'page/hello', topFrame: true },
  { type: 'page/ping', id: 1 },
  { type: 'page/gum-called', video: true, audio: false },
  open(1),
  { type: 'page/track-answer', requestId: 1, sdp: 'v=0' },
  { type: 'page/track-constraints', requestId: 1, width: 320, height: 240, frameRate: 15 },
  { type: 'page/track-ended', requestId: 1 },
  { type: 'page/track-lost', requestId: 1 },
];

describe('content bridge decisions', () => {
  it('sends nothing to the service worker from a site where AnimeCam is off', async () => {
    const s = setup(OFF);
    for (const m of EVERY_TYPE) await s.bridge.fromPage(m);
    expect(s.toBackground).toEqual([]);
    expect(s.cameraPermission).not.toHaveBeenCalled();
    expect(s.toPage).toEqual([
      { type: 'bridge/state', enabled: false, replaceCamera: false, deviceId: '', groupId: '' },
      { type: 'bridge/track-error', requestId: 1, name: 'NotFoundError', message: 'AnimeCam is switched off for this site' },
    ]);
  });

  it('asks for a track only with the frame’s camera permission', async () => {
    const s = setup(ON, { ok: false, name: 'NotAllowedError', message: 'Permission denied' });
    await s.bridge.fromPage(open(5));
    expect(s.toBackground).toEqual([]);
    expect(s.toPage).toEqual([{ type: 'bridge/track-error', requestId: 5, name: 'NotAllowedError', message: 'Permission denied' }]);
    expect(s.rejected[0]).toContain('no camera permission');
  });

  it('relays answers, constraints and ends only for tracks this frame was given', async () => {
    const s = setup(ON);
    await s.bridge.fromPage({ type: 'page/track-answer', requestId: 7, sdp: 'v=0' });
    await s.bridge.fromPage({ type: 'page/track-ended', requestId: 7 });
    expect(s.toBackground).toEqual([]);
    await s.bridge.fromPage(open(7));
    await s.bridge.fromPage({ type: 'page/track-answer', requestId: 7, sdp: 'v=0' });
    await s.bridge.fromPage({ type: 'page/track-ended', requestId: 7 });
    await s.bridge.fromPage({ type: 'page/track-ended', requestId: 7 });
    expect(s.toBackground.map((m) => m.type)).toEqual(['content/open-track', 'content/track-answer', 'content/track-ended']);
    // A refused track is not this frame's either.
    const refused = setup(ON, { ok: true }, false);
    await refused.bridge.fromPage(open(8));
    await refused.bridge.fromPage({ type: 'page/track-answer', requestId: 8, sdp: 'v=0' });
    expect(refused.toBackground.map((m) => m.type)).toEqual(['content/open-track']);
  });

  it(`keeps at most ${MAX_PENDING_OPENS} requests in flight and refuses a repeated id`, async () => {
    const s = setup(ON);
    await Promise.all([1, 2, 3, 4, 5, 6].map((id) => s.bridge.fromPage(open(id))));
    expect(s.toBackground.filter((m) => m.type === 'content/open-track').length).toBe(MAX_PENDING_OPENS);
    expect(s.toPage.filter((m) => m.type === 'bridge/track-error').length).toBe(2);
    await s.bridge.fromPage(open(1));
    expect(s.toPage.at(-1)).toMatchObject({ type: 'bridge/track-error', requestId: 1, name: 'InvalidStateError' });
  });

  it('passes on only well-formed messages under a flood of generated ones, and never throws', async () => {
    const s = setup(ON);
    let seed = 13;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = [null, 1, 'x', -1, 1e9 + 1, 4096, 1920, 60, 61, NaN, {}, [], true, 'v=0', 'x'.repeat(70_000)];
    for (let i = 0; i < 3000; i++) {
      const base = { ...EVERY_TYPE[Math.floor(r() * EVERY_TYPE.length)] } as Record<string, unknown>;
      const keys = Object.keys(base);
      base[keys[Math.floor(r() * keys.length)]] = values[Math.floor(r() * values.length)];
      if (r() < 0.1) base.extra = 1;
      await expect(s.bridge.fromPage(base)).resolves.toBeUndefined();
    }
    expect(s.toBackground.length).toBeGreaterThan(0);
    for (const m of s.toBackground) expect(tryParse(contentToBackground, m).ok).toBe(true);
    expect(s.rejected.length).toBeGreaterThan(1000);
  });

  it('relays a lost track and passes on a new offer only for tracks this frame holds', async () => {
    const s = setup(ON);
    await s.bridge.fromPage({ type: 'page/track-lost', requestId: 3 });
    s.bridge.trackOffer(3, 'v=0 new');
    expect(s.toBackground).toEqual([]);
    expect(s.toPage).toEqual([]);
    await s.bridge.fromPage(open(3));
    await s.bridge.fromPage({ type: 'page/track-lost', requestId: 3 });
    s.bridge.trackOffer(3, 'v=0 new');
    expect(s.toBackground.map((m) => m.type)).toEqual(['content/open-track', 'content/track-lost']);
    expect(s.toPage.at(-1)).toEqual({ type: 'bridge/track-offer', requestId: 3, sdp: 'v=0 new' });
  });

  it('ends every track and switches the page off when the extension goes away, then relays nothing', async () => {
    const s = setup(ON);
    await s.bridge.fromPage(open(1));
    await s.bridge.fromPage(open(2));
    expect(s.bridge.openTracks()).toBe(2);
    s.toPage.length = 0;
    s.toBackground.length = 0;
    s.bridge.extensionGone();
    s.bridge.extensionGone(); // said once
    expect(s.toPage).toEqual([
      { type: 'bridge/track-closed', requestId: 1, reason: 'AnimeCam was reloaded, updated or removed' },
      { type: 'bridge/track-closed', requestId: 2, reason: 'AnimeCam was reloaded, updated or removed' },
      { type: 'bridge/state', ...OFF },
    ]);
    expect(s.bridge.openTracks()).toBe(0);
    await s.bridge.fromPage(open(3));
    await s.bridge.fromPage({ type: 'page/track-ended', requestId: 1 });
    expect(s.toBackground).toEqual([]);
    expect(s.toPage.at(-1)).toMatchObject({ type: 'bridge/track-error', requestId: 3, name: 'NotFoundError' });
  });
});
