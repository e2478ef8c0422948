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

/** The stored secret, or null when there is none yet (or it is not one of ours). */
function parseSecret(v: unknown): Uint8Array | null {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? Uint8Array.from(v.match(/../g)!, (h) => parseInt(h, 16)) : null;
}

async function readSecret(): Promise<Uint8Array | null> {
  return parseSecret((await chrome.storage.local.get(SECRET_KEY))[SECRET_KEY]);
}

/** Resolves with the secret once another context has stored it. */
function storedSecret(timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const done = (v: Uint8Array | null) => {
      if (!v) return;
      clearTimeout(timer);
      chrome.storage.onChanged.removeListener(onChanged);
      resolve(v);
    };
    const onChanged = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      if (area === 'local' && SECRET_KEY in changes) done(parseSecret(changes[SECRET_KEY].newValue));
    };
    const timer = setTimeout(() => {
      chrome.storage.onChanged.removeListener(onChanged);
      reject(new Error('no device id secret was stored'));
    }, timeoutMs);
    chrome.storage.onChanged.addListener(onChanged);
    // Read after listening, so a write in between is not missed.
    readSecret().then(done, () => undefined);
  });
}

let secret: Promise<Uint8Array> | null = null;

/**
 * Only the service worker creates the secret (at its start): two contexts creating it at once
 * (a page's bridge and the worker, on first use) would each keep their own, and the page's ids
 * would not be the ones the worker accepts. Other contexts wait for it to be stored.
 */
function loadSecret(create: boolean): Promise<Uint8Array> {
  secret ??= (async () => {
    const got = await readSecret();
    if (got) return got;
    if (!create) return storedSecret(10_000);
    const fresh = crypto.getRandomValues(new Uint8Array(32));
    await chrome.storage.local.set({ [SECRET_KEY]: hex(fresh.buffer) });
    return fresh;
  })().catch((e) => {
    secret = null; // try again next time rather than remember a failure
    throw e;
  });
  return secret;
}

/** The ids for `origin`. `create`: only the service worker passes true (see loadSecret). */
export async function deviceIdsFor(origin: string | null, opts: { create: boolean }): Promise<{ deviceId: string; groupId: string }> {
  return deriveDeviceIds(await loadSecret(opts.create), origin);
}
