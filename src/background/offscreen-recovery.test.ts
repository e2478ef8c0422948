/** Rebuilding the open tracks when the offscreen document is gone, once, whoever notices first. */
import { describe, expect, it, vi } from 'vitest';
import type { Consumer } from './consumers';
import { createRecovery, createWatch, REOFFER_GRACE_MS } from './offscreen-recovery';

function setup(open: Consumer[], docExists = false) {
  let exists = docExists;
  let now = 0;
  const reopened: string[] = [];
  const closed: string[] = [];
  const waiting: (() => void)[] = [];
  let slow = false;
  const r = createRecovery({
    exists: async () => exists,
    consumers: () => open,
    reopen: async (c) => {
      if (slow) await new Promise<void>((ok) => waiting.push(ok));
      exists = true; // opening a consumer makes the document
      c.answered = false;
      reopened.push(c.id);
    },
    close: async (c) => {
      closed.push(c.id);
      open = open.filter((x) => x !== c);
    },
    log: () => undefined,
    now: () => now,
  });
  return {
    r,
    reopened,
    closed,
    setExists: (v: boolean) => (exists = v),
    advance: (ms: number) => (now += ms),
    slowReopen: () => (slow = true),
    /** Lets the reopens waiting so far finish. */
    release: async () => {
      for (let i = 0; i < 20; i++) {
        waiting.splice(0).forEach((f) => f());
        await new Promise((ok) => setTimeout(ok, 0));
      }
    },
  };
}

const track = (id: string, extra: Partial<Consumer> = {}): Consumer => ({ id, tabId: 1, frameId: 0, requestId: Number(id.split(':')[2]), answered: true, ...extra });

describe('offscreen recovery', () => {
  it('does nothing when the document still exists or no track is open', async () => {
    expect(await setup([track('1:0:1')], true).r.documentMayBeGone('port')).toBe(false);
    const none = setup([]);
    expect(await none.r.documentMayBeGone('port')).toBe(false);
    expect(none.reopened).toEqual([]);
  });

  it('offers every call track again and closes previews when the document is gone', async () => {
    const s = setup([track('1:0:1'), track('2:0:7'), track('-1:0:0', { tabId: -1, previewId: 'p' })]);
    expect(await s.r.documentMayBeGone('port')).toBe(true);
    expect(s.reopened).toEqual(['1:0:1', '2:0:7']);
    expect(s.closed).toEqual(['-1:0:0']);
  });

  it('rebuilds once when the port and a page notice together', async () => {
    const s = setup([track('1:0:1'), track('1:0:2')]);
    s.slowReopen();
    const byPort = s.r.documentMayBeGone('port');
    await Promise.resolve();
    const byPage = s.r.trackLost('1:0:1');
    await s.release();
    await byPort;
    expect(['rebuilt', 'pending']).toContain(await byPage); // the same rebuild, or its offer already on its way
    expect(s.reopened).toEqual(['1:0:1', '1:0:2']);
  });

  it('a page losing its track rebuilds the document when it is gone (the worker slept through it)', async () => {
    const s = setup([track('1:0:1')]);
    expect(await s.r.trackLost('1:0:1')).toBe('rebuilt');
    expect(s.reopened).toEqual(['1:0:1']);
    expect(await s.r.trackLost('9:0:9')).toBe('unknown');
  });

  it('offers one track again when the document lives but that connection stopped, not while an offer is fresh', async () => {
    const c = track('1:0:1');
    const s = setup([c], true);
    expect(await s.r.trackLost('1:0:1')).toBe('reoffered');
    c.answered = true; // the page answered the new offer...
    expect(await s.r.trackLost('1:0:1')).toBe('pending'); // ...and a report sent before that arrives late
    s.advance(REOFFER_GRACE_MS);
    expect(await s.r.trackLost('1:0:1')).toBe('reoffered');
    expect(s.reopened).toEqual(['1:0:1', '1:0:1']);
  });
});

describe('watch port', () => {
  it('connects once while open and reports a drop (then connects again when asked)', () => {
    const drops: (() => void)[] = [];
    const connect = vi.fn(() => ({ onDisconnect: { addListener: (f: () => void) => void drops.push(f) } }));
    const onDrop = vi.fn();
    const watch = createWatch(connect, onDrop);
    watch();
    watch();
    expect(connect).toHaveBeenCalledTimes(1);
    drops[0]();
    expect(onDrop).toHaveBeenCalledTimes(1);
    watch();
    expect(connect).toHaveBeenCalledTimes(2);
  });
});
