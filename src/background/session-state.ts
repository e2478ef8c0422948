/**
 * Service-worker state that must outlive the worker: Chrome stops an idle worker (after about
 * 30 s) while a call goes on in the offscreen document. Kept in storage.session (memory only,
 * cleared when the browser or the extension restarts), restored before any message is handled.
 */
export interface SessionMap<V> {
  readonly map: Map<string, V>;
  /** Settles once the stored entries are back in `map`. */
  readonly restored: Promise<void>;
  /** Writes the map back (call after every change). */
  save(): void;
}

function area(): chrome.storage.StorageArea | undefined {
  return (globalThis as { chrome?: typeof chrome }).chrome?.storage?.session;
}

export function sessionMap<V>(key: string): SessionMap<V> {
  const map = new Map<string, V>();
  const store = area();
  const restored = store
    ? store
        .get(key)
        .then((got) => {
          const entries = (got as Record<string, unknown>)[key];
          if (!Array.isArray(entries)) return;
          for (const e of entries) {
            // Entries added since the worker started win over stored ones.
            if (Array.isArray(e) && typeof e[0] === 'string' && !map.has(e[0])) map.set(e[0], e[1] as V);
          }
        })
        .catch((e) => console.warn('[AnimeCam:background] could not restore', key, e))
    : Promise.resolve();
  return {
    map,
    restored,
    save() {
      void store?.set({ [key]: [...map] }).catch((e) => console.warn('[AnimeCam:background] could not save', key, e));
    },
  };
}
