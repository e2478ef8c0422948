import { describe, expect, it, vi } from 'vitest';
import { deriveDeviceIds } from './device-ids';

describe('deriveDeviceIds', () => {
  const secret = new Uint8Array(32).fill(7);
  it('is stable for an origin and differs between origins and secrets', async () => {
    const a = await deriveDeviceIds(secret, 'https://meet.google.com');
    expect(a.deviceId).toMatch(/^[0-9a-f]{64}$/);
    expect(a.groupId).toMatch(/^[0-9a-f]{64}$/);
    expect(a.groupId).not.toBe(a.deviceId);
    expect(await deriveDeviceIds(secret, 'https://meet.google.com')).toEqual(a);
    expect((await deriveDeviceIds(secret, 'https://teams.microsoft.com')).deviceId).not.toBe(a.deviceId);
    expect((await deriveDeviceIds(new Uint8Array(32).fill(8), 'https://meet.google.com')).deviceId).not.toBe(a.deviceId);
  });
});

describe('deviceIdsFor across contexts', () => {
  /** A shared chrome.storage.local with onChanged, as every extension context sees it. */
  function fakeStorage() {
    const data: Record<string, unknown> = {};
    const listeners = new Set<(c: Record<string, { newValue?: unknown }>, area: string) => void>();
    return {
      local: {
        get: async (k: string) => (k in data ? { [k]: data[k] } : {}),
        set: async (o: Record<string, unknown>) => {
          await new Promise((r) => setTimeout(r, 5)); // storage writes are not instant
          Object.assign(data, o);
          const changes = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { newValue: v }]));
          for (const l of [...listeners]) l(changes, 'local');
        },
      },
      onChanged: { addListener: (l: never) => listeners.add(l), removeListener: (l: never) => listeners.delete(l) },
    };
  }

  it('gives a page context (which waits) and the worker (which creates) the same ids on first use', async () => {
    (globalThis as { chrome?: unknown }).chrome = { storage: fakeStorage() };
    vi.resetModules();
    const bridge = await import('./device-ids');
    vi.resetModules();
    const worker = await import('./device-ids');
    expect(bridge).not.toBe(worker); // two contexts, two module instances
    const [a, b] = await Promise.all([bridge.deviceIdsFor('https://meet.google.com', { create: false }), worker.deviceIdsFor('https://meet.google.com', { create: true })]);
    expect(a).toEqual(b);
    delete (globalThis as { chrome?: unknown }).chrome;
  });
});
