/** Camera-free mode (everywhere, or per site) and the voice-driven mouth. */
import type { Settings } from '../../shared/settings';
import { RangeField } from '../components/RangeField';
import type { UpdateSettings } from '../lib/use-settings';

interface Props {
  settings: Settings;
  update: UpdateSettings;
}

export function CameraFreeSection({ settings, update }: Props) {
  const cf = settings.cameraFree;
  const voice = settings.voice;
  const sites = Object.entries(cf.sites);
  return (
    <section aria-labelledby="camfree-h" class="panel" id="camera-free">
      <h2 id="camfree-h">Camera-free mode and voice</h2>
      <p class="muted">
        Camera-free, AnimeCam never opens your camera (the browser’s camera light stays off for it): the character breathes, blinks,
        looks around a little and moves its mouth with your voice.
      </p>
      <label class="switch">
        <input type="checkbox" id="camera-free-everywhere" checked={cf.everywhere} onChange={(e) => {
          const on = e.currentTarget.checked;
          void update((s) => ({ ...s, cameraFree: { ...s.cameraFree, everywhere: on } }));
        }} />
        Camera-free on every site
      </label>
      {sites.length > 0 && (
        <ul>
          {sites.map(([origin, on]) => (
            <li key={origin} class="row">
              <span>{origin}: {on ? 'camera-free' : 'uses the camera'}</span>
              <button type="button" onClick={() => void update((s) => {
                const next = { ...s.cameraFree.sites };
                delete next[origin];
                return { ...s, cameraFree: { ...s.cameraFree, sites: next } };
              })}>
                Follow the setting above
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Voice</h3>
      <label class="switch">
        <input type="checkbox" id="voice-enabled" checked={voice.enabled} onChange={(e) => {
          const on = e.currentTarget.checked;
          void update((s) => ({ ...s, voice: { ...s.voice, enabled: on } }));
        }} />
        Move the mouth with my voice when no face is tracked (uses the microphone the call already has; nothing else is recorded)
      </label>
      <RangeField
        id="voice-blend"
        label="Voice share of the mouth while the face is tracked"
        value={voice.blendWithTracking}
        min={0}
        max={1}
        step={0.05}
        hint="0: the tracked mouth only; 1: the voice only."
        onCommit={(v) => void update((s) => ({ ...s, voice: { ...s.voice, blendWithTracking: v } }))}
      />
    </section>
  );
}
