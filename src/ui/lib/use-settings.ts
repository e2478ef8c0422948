/** Settings as preact state: loaded once, kept in sync with storage, changed through updateSettings. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Settings } from '../../shared/settings';
import { loadSettings, onSettingsChanged, updateSettings } from '../../shared/settings-store';

export type UpdateSettings = (change: (s: Settings) => Settings) => Promise<void>;

export function useSettings(): { settings: Settings | null; update: UpdateSettings; error: string | null } {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadSettings().then(setSettings, (e: unknown) => setError(`Could not read the settings: ${String(e)}`));
    return onSettingsChanged(setSettings);
  }, []);
  const update = useCallback<UpdateSettings>(async (change) => {
    try {
      setSettings(await updateSettings(change));
      setError(null);
    } catch (e) {
      setError(`Could not save the settings: ${String(e)}`);
    }
  }, []);
  return { settings, update, error };
}
