import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('./offscreen-lifecycle', () => ({ addUser: vi.fn(), removeUser: vi.fn(async () => undefined) }));
const c = await import('./consumers');

afterEach(async () => {
  for (const tab of [1, 2, 3, -1, -2]) for (const x of c.consumersOfTab(tab)) await c.dropConsumer(x.id);
  vi.useRealTimers();
});

function add(tabId: number, requestId: number): string | null {
  const id = c.consumerKey(tabId, 0, requestId);
  const refusal = c.capRefusal(id, tabId);
  if (!refusal) c.addConsumer({ id, tabId, frameId: 0, requestId });
  return refusal;
}

describe('track caps', () => {
  it(`allows ${c.MAX_TRACKS_PER_TAB} per tab and ${c.MAX_TRACKS_TOTAL} in all, and no id twice`, () => {
    for (let i = 0; i < c.MAX_TRACKS_PER_TAB; i++) expect(add(1, i)).toBeNull();
    expect(add(1, 99)).toContain('per tab');
    expect(add(1, 0)).toContain('already open');
    for (let i = 0; i < c.MAX_TRACKS_PER_TAB; i++) expect(add(2, i)).toBeNull();
    expect(add(3, 0)).toContain(`at most ${c.MAX_TRACKS_TOTAL} tracks at once`);
    expect(c.consumerCount()).toBe(c.MAX_TRACKS_TOTAL);
  });
});

describe('offer expiry', () => {
  it('drops an unanswered track after the time given, and keeps an answered one', async () => {
    vi.useFakeTimers();
    add(1, 1);
    add(1, 2);
    const expired: string[] = [];
    c.armOfferExpiry('1:0:1', 1000, (x) => void expired.push(x.id));
    c.armOfferExpiry('1:0:2', 1000, (x) => void expired.push(x.id));
    c.markAnswered('1:0:2');
    await vi.advanceTimersByTimeAsync(999);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(expired).toEqual(['1:0:1']);
    expect(c.getConsumer('1:0:1')).toBeUndefined();
    expect(c.getConsumer('1:0:2')).toBeDefined();
  });
});
