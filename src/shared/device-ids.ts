/**
 * AnimeCam's deviceId and groupId per origin, like Chrome's own device ids: an HMAC-SHA-256 of
 * the origin under a random secret kept in extension storage, so an id is stable for an origin,
 * differs between origins, and no page can compute another origin's id (or ours) by itself.
 */
const SECRET_KEY = 'deviceIdSecret';

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The ids for `origin` under `secret` (pure; the secret never leaves the service worker). */
export async function deriveDeviceIds(secret: Uint8Array, origin: string | null): Promise<{ deviceId: string; groupId: string }> {
  const key = await crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sign = (label: string) => crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${label}\n${origin ?? 'null'}`));
  const [d, g] = await Promise.all([sign('animecam-device'), sign('animecam-group')]);
  return { deviceId: hex(d), groupId: hex(g) };
}

let secret: Promise<Uint8Array> | null = null;

function loadSecret(): Promise<Uint8Array> {
  secret ??= (async () => {
    const got = (await chrome.storage.local.get(SECRET_KEY))[SECRET_KEY];
    if (typeof got === 'string' && /^[0-9a-f]{64}$/.test(got)) return Uint8Array.from(got.match(/../g)!, (h) => parseInt(h, 16));
    const fresh = crypto.getRandomValues(new Uint8Array(32));
    await chrome.storage.local.set({ [SECRET_KEY]: hex(fresh.buffer) });
    return fresh;
  })().catch((e) => {
    secret = null; // try again next time rather than remember a storage failure
    throw e;
  });
  return secret;
}

export async function deviceIdsFor(origin: string | null): Promise<{ deviceId: string; groupId: string }> {
  return deriveDeviceIds(await loadSecret(), origin);
}
