/** Which real camera drives the character (labels appear once camera access is allowed). */
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import type { UpdateSettings } from '../lib/use-settings';

export function CameraSection({ settings, update, refreshKey }: { settings: Settings; update: UpdateSettings; refreshKey: number }) {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      navigator.mediaDevices.enumerateDevices().then(
        (all) => setDevices(all.filter((d) => d.kind === 'videoinput')),
        (e: unknown) => setError(`Could not list cameras: ${String(e)}`),
      );
    void load();
    navigator.mediaDevices.addEventListener('devicechange', load);
    return () => navigator.mediaDevices.removeEventListener('devicechange', load);
  }, [refreshKey]);

  const chosenMissing = settings.cameraId !== null && devices !== null && devices.length > 0 && devices.every((d) => d.deviceId !== settings.cameraId);
  return (
    <section aria-labelledby="camera-h" class="panel" id="camera">
      <h2 id="camera-h">Camera</h2>
      {devices && devices.length === 0 && <Alert>No camera was found. Connect a camera, and AnimeCam will list it here.</Alert>}
      <div class="field row">
        <label for="camera-select">Camera that drives the character</label>
        <select
          id="camera-select"
          value={settings.cameraId ?? ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            void update((s) => ({ ...s, cameraId: v || null }));
          }}
        >
          <option value="">System default</option>
          {devices
            ?.filter((d) => d.deviceId)
            .map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || `Camera ${i + 1}`}
              </option>
            ))}
        </select>
      </div>
      {devices?.some((d) => !d.label) && <p class="hint">Camera names show once camera access is allowed.</p>}
      {chosenMissing && <Alert>The chosen camera is not connected; AnimeCam uses the system default until it is back.</Alert>}
      <Alert>{error}</Alert>
    </section>
  );
}
