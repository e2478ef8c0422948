import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionMap } from './session-state';

function fakeSession(initial: Record<string, unknown> = {}) {
  const data: Record<string, unknown> = { ...initial };
  vi.stubGlobal('chrome', {
    storage: {
      session: {
        get: async (key: string) => (key in data ? { [key]: data[key] } : {}),
        set: async (items: Record<string, unknown>) => void Object.assign(data, JSON.parse(JSON.stringify(items))),
      },
    },
  });
  return data;
}

describe('sessionMap', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a restarted worker gets back what the stopped one saved', async () => {
    const data = fakeSession();
    const before = sessionMap<{ tabId: number }>('consumers');
    await before.restored;
    before.map.set('7:0:1', { tabId: 7 });
    before.save();
    await vi.waitFor(() => expect(data.consumers).toEqual([['7:0:1', { tabId: 7 }]]));
    const after = sessionMap<{ tabId: number }>('consumers');
    await after.restored;
    expect([...after.map]).toEqual([['7:0:1', { tabId: 7 }]]);
  });

  it('entries added before the restore finishes win; junk is ignored', async () => {
    fakeSession({ users: [['1', 'old'], 'junk', [2, 'bad key']] });
    const m = sessionMap<string>('users');
    m.map.set('1', 'new');
    await m.restored;
    expect([...m.map]).toEqual([['1', 'new']]);
  });
});
