/**
 * Generated malformed and forged messages at every handler table (page channel, bridge, service
 * worker from content scripts, extension pages and the offscreen document, offscreen document,
 * bridge from the worker): nothing throws, no handler runs for a message its schema refuses
 * (handlers are the only way state changes), handlers get plain validated copies, and the
 * rejections are logged rate-limited.
 */
import { describe, expect, it, vi } from 'vitest';
import { ANIMECAM_DEVICE } from '../page/constraints';
import {
  backgroundToContent,
  backgroundToOffscreen,
  bridgeToPage,
  contentToBackground,
  dispatchMessage,
  offscreenToBackground,
  pageToBridge,
  rateLimited,
  TRACK_LIMITS,
  tryParse,
  uiToBackground,
  type HandlerTable,
} from './messages';
import type { Schema } from './validate';
import { seededRandom as rng } from '../core/seeded-random';


const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n';
/** One well-formed message of every type, per table (the seeds the mutations start from). */
const TABLES: { name: string; schema: Schema<{ type: string }>; valid: Record<string, unknown>[] }[] = [
  {
    name: 'page → bridge',
    schema: pageToBridge,
    valid: [
      { type: 'page/hello', topFrame: true },
      { type: 'page/ping', id: 1 },
      { type: 'page/gum-called', video: true, audio: false },
      { type: 'page/open-track', requestId: 1, width: 1280, height: 720, frameRate: 30 },
      { type: 'page/track-answer', requestId: 1, sdp },
      { type: 'page/track-constraints', requestId: 1, width: 640, height: 360, frameRate: 15 },
      { type: 'page/track-ended', requestId: 1 },
      { type: 'page/track-lost', requestId: 1 },
    ],
  },
  {
    name: 'bridge → page (page channel)',
    schema: bridgeToPage,
    valid: [
      { type: 'bridge/pong', id: 1, path: ['bridge'], ok: true },
      { type: 'bridge/state', enabled: true, replaceCamera: false, deviceId: 'd', groupId: 'g' },
      { type: 'bridge/track-offer', requestId: 1, sdp },
      { type: 'bridge/track-error', requestId: 1, name: 'NotAllowedError', message: 'no' },
      { type: 'bridge/track-closed', requestId: 1, reason: 'off' },
    ],
  },
  {
    name: 'content → service worker',
    schema: contentToBackground,
    valid: [
      { type: 'content/ping', target: 'background', id: 1 },
      { type: 'content/gum-called', target: 'background', video: true, audio: true },
      { type: 'content/get-state', target: 'background' },
      { type: 'content/open-track', target: 'background', requestId: 1, width: 1920, height: 1080, frameRate: 30 },
      { type: 'content/track-answer', target: 'background', requestId: 1, sdp },
      { type: 'content/track-constraints', target: 'background', requestId: 1, width: 160, height: 120, frameRate: 1 },
      { type: 'content/track-ended', target: 'background', requestId: 1 },
      { type: 'content/track-lost', target: 'background', requestId: 1 },
    ],
  },
  {
    name: 'service worker → bridge',
    schema: backgroundToContent,
    valid: [
      { type: 'background/site-state', target: 'content', enabled: false, replaceCamera: false },
      { type: 'background/track-closed', target: 'content', requestId: 1, reason: 'expired' },
      { type: 'background/track-offer', target: 'content', requestId: 1, sdp },
    ],
  },
  {
    name: 'service worker → offscreen',
    schema: backgroundToOffscreen,
    valid: [
      { type: 'background/ping', target: 'offscreen', id: 1 },
      { type: 'background/open-camera', target: 'offscreen', deviceId: 'abc' },
      { type: 'background/close-camera', target: 'offscreen' },
      { type: 'background/open-consumer', target: 'offscreen', consumerId: '1:0:1', width: 640, height: 480, frameRate: 30 },
      { type: 'background/consumer-answer', target: 'offscreen', consumerId: '1:0:1', sdp },
      { type: 'background/close-consumer', target: 'offscreen', consumerId: '1:0:1' },
      { type: 'background/settings', target: 'offscreen', settings: { renderSize: 'auto' } },
      { type: 'background/calibrate', target: 'offscreen' },
    ],
  },
  {
    name: 'offscreen → service worker',
    schema: offscreenToBackground,
    valid: [
      { type: 'offscreen/ready', target: 'background', crossOriginIsolated: true },
      { type: 'offscreen/log', target: 'background', level: 'warn', text: 'x' },
      { type: 'offscreen/consumer-closed', target: 'background', consumerId: '1:0:1', reason: 'gone' },
      { type: 'offscreen/camera-error', target: 'background', kind: 'denied', name: 'NotAllowedError', message: 'no' },
    ],
  },
  {
    name: 'extension pages (UI) → service worker',
    schema: uiToBackground,
    valid: [
      { type: 'ui/status', target: 'background' },
      { type: 'ui/calibrate', target: 'background' },
      { type: 'ui/open-preview', target: 'background', previewId: 'p', width: 256, height: 192, frameRate: 30 },
      { type: 'ui/preview-answer', target: 'background', previewId: 'p', sdp },
      { type: 'ui/close-preview', target: 'background', previewId: 'p' },
      { type: 'ui/library-changed', target: 'background' },
    ],
  },
];

const ALL_TYPES = TABLES.flatMap((t) => t.valid.map((v) => v.type as string));

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 22);
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return r() < 0.5;
    case 3: return Math.floor(r() * 2 ** 31) * (r() < 0.5 ? -1 : 1);
    case 4: return [NaN, Infinity, -Infinity, -0, 1e308, 5e-324, 2 ** 53 + 1][Math.floor(r() * 7)];
    case 5: return r() * 10_000;
    case 6: return 'x'.repeat(Math.floor(r() * 3) === 0 ? 70_000 : Math.floor(r() * 40));
    case 7: return ALL_TYPES[Math.floor(r() * ALL_TYPES.length)];
    case 8: return ['__proto__', 'constructor', 'toString', 'hasOwnProperty', ''][Math.floor(r() * 5)];
    case 9: return depth < 3 ? Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1)) : [];
    case 10: return depth < 3 ? { a: randomValue(r, depth + 1), type: randomValue(r, depth + 1) } : {};
    case 11: return Object.create(null);
    case 12: return new Date(0);
    case 13: return 10n;
    case 14: return Symbol('s');
    case 15: return () => 1;
    case 16: {
      const o: Record<string, unknown> = { type: 'page/ping' };
      o.self = o; // cyclic
      return o;
    }
    case 17: return Object.defineProperty({}, 'type', { get() { throw new Error('getter'); }, enumerable: true });
    case 18: return new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    case 19: return { toString() { throw new Error('no'); }, valueOf() { throw new Error('no'); } };
    case 20: return [TRACK_LIMITS.width.max + 2, 4096, 0, 1, -1, 1.5][Math.floor(r() * 6)];
    default: return { ...(ALL_TYPES.length ? {} : {}) };
  }
}

/** A mutation of a valid message: one field replaced, removed or added, or the type swapped. */
function mutate(r: () => number, valid: Record<string, unknown>): unknown {
  const m: Record<string, unknown> = { ...valid };
  const keys = Object.keys(m);
  const k = keys[Math.floor(r() * keys.length)];
  switch (Math.floor(r() * 6)) {
    case 0: m[k] = randomValue(r); break;
    case 1: delete m[k]; break;
    case 2: m[['extra', '__proto__', 'constructor', 'then'][Math.floor(r() * 4)]] = randomValue(r); break;
    case 3: m.type = randomValue(r); break;
    case 4: return Object.setPrototypeOf(m, { inherited: true });
    default: return randomValue(r);
  }
  return m;
}

function isPlain(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return typeof v !== 'function' && typeof v !== 'symbol' && typeof v !== 'bigint';
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v)) return v.every(isPlain);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.entries(v as object).every(([, x]) => isPlain(x)) && Object.getOwnPropertyDescriptors(v) && Object.values(Object.getOwnPropertyDescriptors(v)).every((d) => 'value' in d);
}

describe('generated malformed and forged messages at every handler table', () => {
  for (const table of TABLES) {
    it(`${table.name}: never throws, runs handlers only for valid messages, with plain copies`, async () => {
      const r = rng(0x13b + table.name.length);
      const calls: unknown[] = [];
      const handlers = Object.fromEntries(table.valid.map((v) => [v.type, (m: unknown) => void calls.push(m)])) as HandlerTable<{ type: string }>;
      let rejected = 0;
      let accepted = 0;
      for (let i = 0; i < 2000; i++) {
        const raw = i % 4 === 0 ? randomValue(r) : mutate(r, table.valid[Math.floor(r() * table.valid.length)]);
        let verdict: ReturnType<typeof tryParse>;
        expect(() => (verdict = tryParse(table.schema, raw))).not.toThrow();
        const before = calls.length;
        const res = dispatchMessage(table.schema, handlers, raw, undefined, () => void rejected++);
        if (res.handled) await res.result;
        if (verdict!.ok) {
          accepted++;
          expect(calls.length).toBe(before + 1);
          const got = calls[calls.length - 1];
          expect(isPlain(got)).toBe(true);
          expect(got).not.toBe(raw); // a copy, never the sender's object
          expect(tryParse(table.schema, got).ok).toBe(true);
        } else {
          expect(calls.length).toBe(before); // refused: no handler, so no state change
        }
      }
      expect(rejected).toBe(2000 - accepted);
      expect(rejected).toBeGreaterThan(1500); // the generator mostly makes garbage, as meant
      for (const v of table.valid) expect(tryParse(table.schema, v).ok, JSON.stringify(v)).toBe(true);
    });
  }

  it('a handler that throws or rejects is reported, never thrown to the sender', async () => {
    const reasons: string[] = [];
    const handlers = {
      'page/ping': () => {
        throw new Error('boom');
      },
      'page/hello': async () => Promise.reject(new Error('later')),
    } as unknown as HandlerTable<{ type: string }>;
    for (const raw of [{ type: 'page/ping', id: 1 }, { type: 'page/hello', topFrame: true }]) {
      const res = dispatchMessage(pageToBridge as Schema<{ type: string }>, handlers, raw, undefined, (x) => void reasons.push(x));
      expect(res.handled).toBe(true);
      if (res.handled) await expect(res.result).resolves.toBeUndefined();
    }
    expect(reasons).toEqual([expect.stringContaining('boom'), expect.stringContaining('later')]);
  });

  it('bounds track sizes to what the page side offers (1920x1080 at 30 fps)', () => {
    const f = ANIMECAM_DEVICE.formats;
    expect(TRACK_LIMITS).toEqual({
      width: { min: ANIMECAM_DEVICE.minWidth, max: Math.max(...f.map((x) => x.width)) },
      height: { min: ANIMECAM_DEVICE.minHeight, max: Math.max(...f.map((x) => x.height)) },
      frameRate: { min: 1, max: Math.max(...f.map((x) => x.frameRate)) },
    });
    const open = (w: number, h: number, f: number) => tryParse(pageToBridge, { type: 'page/open-track', requestId: 1, width: w, height: h, frameRate: f }).ok;
    expect(open(1920, 1080, 30)).toBe(true);
    expect(open(1920, 1080, 60)).toBe(false);
    expect(open(160, 120, 1)).toBe(true);
    expect(open(4096, 4096, 120)).toBe(false);
    expect(open(1922, 1080, 60)).toBe(false);
    expect(open(1920, 1080, 61)).toBe(false);
    expect(tryParse(uiToBackground, { type: 'ui/open-preview', target: 'background', previewId: 'p', width: 8000, height: 8000, frameRate: 500 }).ok).toBe(false);
  });
});

describe('rateLimited', () => {
  it('writes at most N lines per window, then one summary of what it held back', () => {
    let t = 0;
    const out: string[] = [];
    const log = rateLimited((l) => out.push(l), { lines: 3, windowMs: 1000 }, () => t);
    for (let i = 0; i < 100; i++) log(`m${i}`);
    expect(out).toEqual(['m0', 'm1', 'm2']);
    t = 1500;
    log('next');
    expect(out).toEqual(['m0', 'm1', 'm2', '97 more rejected message(s) not logged in the last 1 s', 'next']);
  });

  it('keeps the log bounded under a flood through dispatchMessage', () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const out: string[] = [];
    const reject = rateLimited((l) => out.push(l));
    for (let i = 0; i < 10_000; i++) dispatchMessage(pageToBridge as Schema<{ type: string }>, {} as HandlerTable<{ type: string }>, { type: 'nope', i }, undefined, reject);
    expect(out.length).toBe(10);
    spy.mockRestore();
  });
});
