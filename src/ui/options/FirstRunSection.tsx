/** First run: what AnimeCam does, and the camera permission (asked from this extension page). */
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../components/Alert';
import { CAMERA_SETTINGS_URL, cameraErrorKind, cameraErrorMessage } from '../lib/camera-errors';
import { isFirstRunDone, markFirstRunDone } from '../lib/ui-prefs';

export function FirstRunSection({ onCameraGranted }: { onCameraGranted: () => void }) {
  const [done, setDone] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [granted, setGranted] = useState(false);

  useEffect(() => {
    isFirstRunDone().then(setDone, () => setDone(false));
  }, []);

  const askCamera = async () => {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      for (const t of stream.getTracks()) t.stop();
      setGranted(true);
      onCameraGranted();
      await markFirstRunDone();
      setDone(true);
    } catch (e) {
      setError(cameraErrorMessage(cameraErrorKind(e), e instanceof Error ? e.message : String(e)));
    }
  };

  if (done === null) return null;
  if (done && !error) {
    return (
      <details class="panel" id="first-run" open={granted}>
        <summary>About AnimeCam and the camera permission</summary>
        <About />
        <button type="button" onClick={() => void askCamera()}>
          Check camera access
        </button>
        {granted && <p role="status">Camera access is allowed.</p>}
      </details>
    );
  }
  return (
    <section aria-labelledby="first-run-h" class="panel" id="first-run">
      <h2 id="first-run-h">Welcome to AnimeCam</h2>
      <About />
      <div class="row">
        <button type="button" class="primary" id="allow-camera" onClick={() => void askCamera()}>
          Allow camera access
        </button>
        <button type="button" onClick={() => void markFirstRunDone().then(() => setDone(true))}>
          Not now
        </button>
      </div>
      <Alert id="camera-permission-error">{error}</Alert>
    </section>
  );
}

function About() {
  return (
    <>
      <p>
        AnimeCam puts you into video calls as an animated anime character. It watches your face with your camera and moves the
        character with you. Everything runs on this computer: no picture leaves it except the character the call shows.
      </p>
      <p>
        To follow your face it needs your camera. If you deny the permission, calls can still use your real camera but AnimeCam
        cannot animate the character. You can allow it later at <code>{CAMERA_SETTINGS_URL}</code> (AnimeCam is listed there as an
        extension), then reload this page.
      </p>
    </>
  );
}
