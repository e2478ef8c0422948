/** The character library as preact state, with thumbnails as object URLs (revoked on change). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { listCharacters, type CharacterListing } from '../../shared/character-store';

export interface LibraryEntry extends CharacterListing {
  thumbnailUrl: string;
}

export function useLibrary(): { entries: LibraryEntry[] | null; refresh: () => Promise<void>; error: string | null } {
  const [entries, setEntries] = useState<LibraryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      const list = await listCharacters();
      setEntries((old) => {
        for (const e of old ?? []) URL.revokeObjectURL(e.thumbnailUrl);
        return list.map((c) => ({ ...c, thumbnailUrl: URL.createObjectURL(c.thumbnail) }));
      });
      setError(null);
    } catch (e) {
      setError(`Could not open the character library: ${String(e)}`);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { entries, refresh, error };
}
