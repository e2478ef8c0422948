import { describe, expect, it } from 'vitest';
import { bridgeToPage, contentToBackground, ENVELOPE_TAG, makeEnvelope, openEnvelope, pageToBridge, tryParse } from './messages';
import { arr, int, obj, str } from './validate';

describe('message schemas', () => {
  it('accept well-formed messages and return plain copies', () => {
    expect(tryParse(pageToBridge, { type: 'page/ping', id: 3 })).toEqual({ ok: true, value: { type: 'page/ping', id: 3 } });
    expect(tryParse(contentToBackground, { type: 'content/gum-called', target: 'background', video: true, audio: false }).ok).toBe(true);
  });

  it.each([
    [{ type: 'page/ping', id: '3' }, 'msg.id: expected a finite number'],
    [{ type: 'page/ping', id: 1.5 }, 'msg.id: expected an integer'],
    [{ type: 'page/ping', id: -1 }, 'msg.id: number outside'],
    [{ type: 'page/ping', id: 1, extra: true }, 'msg.extra: unexpected key'],
    [{ type: 'page/nope' }, 'unknown message type "page/nope"'],
    [{ type: 'toString' }, 'unknown message type "toString"'],
    [{ type: '__proto__' }, 'unknown message type "__proto__"'],
    [null, 'expected a message object'],
    ['page/ping', 'expected a message object'],
  ])('reject %j', (raw, reason) => {
    const r = tryParse(pageToBridge, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('refuses objects that are not plain (getters, class instances)', () => {
    class Ping { type = 'page/ping'; id = 1; }
    expect(tryParse(pageToBridge, new Ping()).ok).toBe(false);
  });

  it('bounds strings and arrays', () => {
    expect(() => str(3)('abcd', 'x')).toThrow('longer than 3');
    expect(() => arr(int(), 2)([1, 2, 3], 'x')).toThrow('longer than 2');
    expect(obj({ a: int() })({ a: 1 }, 'x')).toEqual({ a: 1 });
  });

  it('ignores window messages that are not ours, and throws on ours when malformed', () => {
    expect(openEnvelope({ hello: 1 }, 'to-page', bridgeToPage)).toBeNull();
    expect(openEnvelope(makeEnvelope('to-bridge', { type: 'page/ping', id: 1 }), 'to-page', bridgeToPage)).toBeNull();
    expect(() => openEnvelope({ tag: ENVELOPE_TAG, dir: 'to-page', msg: { type: 'bridge/pong' } }, 'to-page', bridgeToPage)).toThrow();
  });
});
