/**
 * First run: a short guided setup (camera, character, live preview, calibration, joining a call).
 * Skippable at every step; the step is stored, so closing the page and coming back resumes it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { PreviewVideo } from '../components/PreviewVideo';
import { calibrate, calibrationOutcome } from '../lib/background';
import { CAMERA_SETTINGS_URL, cameraErrorKind, cameraErrorMessage } from '../lib/camera-errors';
import { loadSetupStep, markFirstRunDone, saveSetupStep } from '../lib/ui-prefs';
import type { LibraryEntry } from '../lib/use-library';
import type { UpdateSettings } from '../lib/use-settings';
import { LibrarySection } from './LibrarySection';

const STEPS = ['Camera', 'Character', 'Preview', 'Calibrate', 'Join a call'] as const;

/** Call sites AnimeCam runs on without asking (the manifest's host permissions). */
const BUILT_IN_SITES = ['Google Meet (meet.google.com)', 'Zoom on the web (zoom.us)', 'Microsoft Teams (teams.microsoft.com, teams.live.com)'];

interface Props {
  settings: Settings;
  update: UpdateSettings;
  entries: LibraryEntry[];
  refresh: () => Promise<void>;
  onCameraGranted: () => void;
  onDone: () => void;
}

export function SetupGuide({ settings, update, entries, refresh, onCameraGranted, onDone }: Props) {
  const [step, setStep] = useState<number | null>(null);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const [granted, setGranted] = useState(false);
  const [calibration, setCalibration] = useState<{ ok: boolean; text: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    loadSetupStep().then((s) => setStep(Math.min(s, STEPS.length - 1)), () => setStep(0));
  }, []);

  const go = (next: number) => {
    setStep(next);
    void saveSetupStep(next);
    // Move focus to the new step's heading so keyboard and screen reader users land on it.
    requestAnimationFrame(() => heading.current?.focus());
  };
  const finish = () => void markFirstRunDone().then(onDone);

  const askCamera = async () => {
    setCameraError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      for (const t of stream.getTracks()) t.stop();
      setGranted(true);
      onCameraGranted();
      go(1);
    } catch (e) {
      setCameraError(cameraErrorMessage(cameraErrorKind(e), e instanceof Error ? e.message : String(e)));
    }
  };

  const onCalibrate = async () => {
    setCalibration(null);
    const res = await calibrate();
    setCalibration(calibrationOutcome(res));
  };

  if (step === null) return null;
  const userSites = Object.entries(settings.sites).filter(([, s]) => s.enabled).map(([o]) => o);

  return (
    <section aria-labelledby="first-run-h" class="panel setup" id="first-run">
      <div class="setup-head">
        <h1 id="first-run-h">Welcome to AnimeCam</h1>
        <button type="button" id="setup-skip" class="link-button" onClick={finish}>
          Skip setup
        </button>
      </div>
      <ol class="steps" aria-label="Setup steps">
        {STEPS.map((name, i) => (
          <li key={name} class={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
            <span class="step-num" aria-hidden="true">
              {i < step ? '✓' : i + 1}
            </span>
            {name}
          </li>
        ))}
      </ol>

      <div class="setup-body">
        <h2 id="setup-step-h" tabIndex={-1} ref={heading}>
          Step {step + 1} of {STEPS.length}: {STEP_TITLES[step]}
        </h2>

        {step === 0 && (
          <>
            <p>
              AnimeCam puts you into video calls as an animated anime character. It watches your face with your camera and
              moves the character with you. Everything runs on this computer: no picture leaves it except the character the
              call shows.
            </p>
            <p>
              To follow your face it needs your camera. If you deny the permission, calls can still use your real camera but
              AnimeCam cannot animate the character. You can allow it later at <code>{CAMERA_SETTINGS_URL}</code> (AnimeCam is
              listed there as an extension), then reload this page.
            </p>
            <div class="row">
              <button type="button" class="primary" id="allow-camera" onClick={() => void askCamera()}>
                Allow camera access
              </button>
              <button
                type="button"
                id="choose-camera-free"
                onClick={() => void update((st) => ({ ...st, cameraFree: { ...st.cameraFree, everywhere: true } })).then(() => go(1))}
              >
                Go camera-free
              </button>
              <button type="button" onClick={() => go(1)}>
                Not now
              </button>
            </div>
            <p class="hint">
              Camera-free, AnimeCam never opens your camera: the character breathes, blinks and looks around, and its mouth can
              follow your voice. You can change this later under “Camera-free”.
            </p>
            {granted && <p role="status">Camera access is allowed.</p>}
            <Alert id="camera-permission-error">{cameraError}</Alert>
          </>
        )}

        {step === 1 && (
          <>
            <p>Pick the character the call will see: download a sample (each comes with its licence) or import your own THA4 character.</p>
            <LibrarySection inSetup settings={settings} update={update} entries={entries} refresh={refresh} />
          </>
        )}

        {step === 2 && <p>This is what the call will see. Move your head, blink and talk: the character follows you.</p>}
        {step === 3 && (
          <p>Sit as you usually do in a call, look straight at the screen with a relaxed face, then calibrate. AnimeCam takes this as your neutral pose.</p>
        )}
        {/* One preview for both steps: calibrating needs the pipeline running, and a reconnect would restart it. */}
        {(step === 2 || step === 3) && <PreviewVideo width={384} height={288} label="Live preview of your character" />}

        {step === 3 && (
          <>
            <div class="row">
              <button type="button" class="primary" id="setup-calibrate" onClick={() => void onCalibrate()}>
                Calibrate now
              </button>
            </div>
            {calibration && (calibration.ok ? <p role="status" id="setup-calibration">{calibration.text}</p> : <Alert id="setup-calibration">{calibration.text}</Alert>)}
          </>
        )}

        {step === 4 && (
          <>
            <p>
              Join a call, open its camera menu and pick <strong>AnimeCam</strong>. The people in the call see your character.
            </p>
            <h3>Sites where AnimeCam is ready</h3>
            <ul id="setup-sites">
              {BUILT_IN_SITES.map((s) => (
                <li key={s}>{s}</li>
              ))}
              {userSites.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
            <p class="muted">Other sites can be added under Sites in these options. The toolbar button switches AnimeCam on or off for the site you are on.</p>
          </>
        )}
      </div>

      <div class="row setup-nav">
        {step > 0 && (
          <button type="button" id="setup-back" onClick={() => go(step - 1)}>
            Back
          </button>
        )}
        {step > 0 && step < STEPS.length - 1 && (
          <button type="button" class="primary" id="setup-next" onClick={() => go(step + 1)}>
            {step === 1 && entries.length === 0 ? 'Next (choose a character later)' : 'Next'}
          </button>
        )}
        {step === STEPS.length - 1 && (
          <button type="button" class="primary" id="setup-finish" onClick={finish}>
            Finish
          </button>
        )}
      </div>
    </section>
  );
}

const STEP_TITLES = ['Allow the camera', 'Choose a character', 'See yourself move', 'Calibrate your neutral face', 'Join a call and pick AnimeCam'];
