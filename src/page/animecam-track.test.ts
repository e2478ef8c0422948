/**
 * The page-side wait for an offer: when it gives up, it withdraws the request (track-ended)
 * before the caller sees the error, so an offer arriving late cannot leave the camera on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('openAnimeCamTrack', () => {
  it('sends track-ended before throwing when no offer comes in time', async () => {
    vi.useFakeTimers();
    const posted: { type: string; requestId?: number }[] = [];
    const order: string[] = [];
    class FakePC extends EventTarget {}
    vi.stubGlobal('window', {
      RTCPeerConnection: FakePC,
      OverconstrainedError: Error,
      postMessage: (env: { msg: { type: string; requestId?: number } }) => {
        posted.push(env.msg);
        order.push(`posted ${env.msg.type}`);
      },
      addEventListener: () => undefined,
    });
    vi.stubGlobal('location', { origin: 'https://meet.example' });
    vi.stubGlobal('MediaStreamTrack', class {
      stop() {}
      clone() {}
      get muted() {
        return false;
      }
      get readyState() {
        return 'live';
      }
    });
    class FakeStream {
      getTracks() {
        return [];
      }
      clone() {}
    }
    vi.stubGlobal('MediaStream', FakeStream);
    const { openAnimeCamTrack } = await import('./animecam-track');
    const result = openAnimeCamTrack({ width: 640, height: 480, frameRate: 30, resizeMode: 'none', native: { width: 640, height: 480, frameRate: 30 } }, true, { deviceId: 'd', groupId: 'g' }).catch((e: DOMException) => {
      order.push(`threw ${e.name}`);
    });
    await vi.advanceTimersByTimeAsync(20_001);
    await result;
    const id = posted.find((m) => m.type === 'page/open-track')!.requestId;
    expect(posted.map((m) => m.type)).toEqual(['page/open-track', 'page/track-ended']);
    expect(posted[1].requestId).toBe(id);
    expect(order).toEqual(['posted page/open-track', 'posted page/track-ended', 'threw NotReadableError']);
  });
});
