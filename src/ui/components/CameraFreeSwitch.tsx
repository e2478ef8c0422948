/** The per-site camera-free switch: AnimeCam never opens the real camera for this site. */
import { cameraFreeFor } from '../../shared/character-life-settings';
import type { Settings } from '../../shared/settings';
import type { UpdateSettings } from '../lib/use-settings';

interface Props {
  origin: string;
  settings: Settings;
  update: UpdateSettings;
}

export function CameraFreeSwitch({ origin, settings, update }: Props) {
  return (
    <label class="switch">
      <input
        type="checkbox"
        id="site-camera-free"
        checked={cameraFreeFor(settings.cameraFree, origin)}
        onChange={(e) => {
          const on = e.currentTarget.checked;
          void update((s) => ({ ...s, cameraFree: { ...s.cameraFree, sites: { ...s.cameraFree.sites, [origin]: on } } }));
        }}
      />
      Camera-free here (never opens your camera; the character idles and talks with your voice)
    </label>
  );
}
