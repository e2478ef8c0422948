import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Slot } from './slot';

interface Part {
  n: number;
  disposed: boolean;
  lost?: Promise<unknown>;
}

function slotOf(create: () => Promise<Part | null>) {
  return new Slot<Part>({ name: 'part', create, dispose: (p) => void (p.disposed = true), watch: (p) => p.lost });
}

describe('Slot', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('keeps the old part serving while the new one loads, then disposes the old one', async () => {
    let n = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slot = slotOf(async () => {
      const p = { n: ++n, disposed: false };
      if (p.n === 2) await gate;
      return p;
    });
    await slot.load();
    const first = slot.current!;
    const loading = slot.load();
    await Promise.resolve();
    expect(slot.current).toBe(first);
    expect(slot.isLoading).toBe(true);
    release();
    await loading;
    expect(slot.current?.n).toBe(2);
    expect(first.disposed).toBe(true);
  });

  it('a failed load leaves no part, says why, and disposes the old one', async () => {
    let fail = false;
    const slot = slotOf(async () => {
      if (fail) throw new Error('no GPU');
      return { n: 1, disposed: false };
    });
    await slot.load();
    const old = slot.current!;
    fail = true;
    await slot.load();
    expect(slot.current).toBeNull();
    expect(slot.error).toBe('no GPU');
    expect(old.disposed).toBe(true);
  });

  it('null means nothing to load (absent), not an error', async () => {
    const slot = slotOf(async () => null);
    await slot.load();
    expect(slot.absent).toBe(true);
    expect(slot.error).toBeUndefined();
  });

  it('replaces a part once however often it fails, and not a part already replaced', async () => {
    const create = vi.fn(async () => ({ n: create.mock.calls.length, disposed: false }));
    const slot = slotOf(create);
    await slot.load();
    const first = slot.current!;
    await Promise.all([slot.replace(first, 'x'), slot.replace(first, 'y'), slot.replace(first, 'z')]);
    expect(create).toHaveBeenCalledTimes(2);
    await slot.replace(first, 'late');
    expect(create).toHaveBeenCalledTimes(2);
  });

  it('replaces a part whose watch promise settles (a lost device)', async () => {
    let lose!: () => void;
    let n = 0;
    const slot = slotOf(async () => ({ n: ++n, disposed: false, lost: n === 1 ? new Promise<void>((r) => (lose = r)) : undefined }));
    await slot.load();
    const first = slot.current!;
    lose();
    await vi.waitFor(() => expect(slot.current?.n).toBe(2));
    expect(first.disposed).toBe(true);
  });

  it('after dispose, a load in flight is disposed on arrival', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const made: Part[] = [];
    let started = false;
    const slot = slotOf(async () => {
      started = true;
      await gate;
      const p = { n: 1, disposed: false };
      made.push(p);
      return p;
    });
    const loading = slot.load();
    await vi.waitFor(() => expect(started).toBe(true));
    const disposing = slot.dispose();
    release();
    await Promise.all([loading, disposing]);
    expect(slot.current).toBeNull();
    expect(made[0].disposed).toBe(true);
  });
});
