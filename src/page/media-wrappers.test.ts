import { describe, expect, it, vi } from 'vitest';
import { installMediaWrappers } from './media-wrappers';

describe('installMediaWrappers', () => {
  it('installs nothing and throws nothing where there is no mediaDevices (insecure origin)', () => {
    const nav = {} as Navigator;
    expect(installMediaWrappers(nav, { onGetUserMedia: vi.fn() })).toBe(false);
    expect(nav).toEqual({});
  });

  it('passes calls through to the originals and reports them; a failing hook does not break the call', async () => {
    const stream = { id: 's' } as unknown as MediaStream;
    const gum = vi.fn(async () => stream);
    const md = { getUserMedia: gum, enumerateDevices: vi.fn(async () => []) };
    const nav = { mediaDevices: md, webkitGetUserMedia: () => undefined } as unknown as Navigator;
    const seen: unknown[] = [];
    installMediaWrappers(nav, { onGetUserMedia: (c) => { seen.push(c); throw new Error('hook broke'); } });
    expect(md.getUserMedia).not.toBe(gum);
    await expect(nav.mediaDevices.getUserMedia({ video: true })).resolves.toBe(stream);
    expect(seen).toEqual([{ video: true }]);
    const legacy = await new Promise((ok, fail) => (nav as unknown as { webkitGetUserMedia: Function }).webkitGetUserMedia({ video: true }, ok, fail));
    expect(legacy).toBe(stream);
    expect(Object.keys(md)).toEqual([]); // replaced methods stay non-enumerable
  });
});
