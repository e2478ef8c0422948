/**
 * The toolbar popup: the current character with a live thumbnail, on/off for this site in words,
 * calibration, and one clear line (with its fix) when something is wrong.
 */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { siteSettings, type Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { CameraFreeSwitch } from '../components/CameraFreeSwitch';
import { CharacterPicker, effectiveCharacterId } from '../components/CharacterPicker';
import { ExpressionButtons } from '../components/ExpressionButtons';
import { PreviewVideo } from '../components/PreviewVideo';
import { StatusSummary } from '../components/StatusSummary';
import { activeSite, type ActiveSite } from '../lib/active-site';
import { calibrateAndTell } from '../lib/background';
import { CAMERA_SETTINGS_URL } from '../lib/camera-errors';
import { diagnose, NO_PROBLEM, settleProblem, type FixAction } from '../lib/diagnosis';
import { requestSitePermission } from '../lib/sites';
import { useLibrary } from '../lib/use-library';
import { useSettings } from '../lib/use-settings';
import { useStatus } from '../lib/use-status';

/** Opens the options page at a section (a new tab; the popup closes). */
function openOptionsAt(section: string): void {
  const page = browser.runtime.getManifest().options_page ?? 'src/ui/options/index.html';
  void browser.tabs.create({ url: `${browser.runtime.getURL(page)}#${section}` });
}

export function Popup() {
  const { settings, update, error: settingsError } = useSettings();
  const { entries, error: libraryError } = useLibrary();
  const { status, loaded } = useStatus();
  const [site, setSite] = useState<ActiveSite | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [previewKey, setPreviewKey] = useState(0);

  useEffect(() => {
    activeSite().then(setSite, (e: unknown) => setError(`Could not read the current tab: ${String(e)}`));
  }, []);

  const origin = site?.origin ?? null;
  const current = settings ? siteSettings(settings, origin) : null;
  const characterId = entries && settings ? effectiveCharacterId(entries, settings.characterId) : null;
  const character = entries?.find((e) => e.id === characterId) ?? null;
  const [settled, setSettled] = useState(NO_PROBLEM);
  const characterCount = entries ? entries.length : null;
  useEffect(() => setSettled((prev) => settleProblem(prev, diagnose(status, characterCount))), [status, characterCount]);
  const problem = settled.shown;

  const setSiteSwitch = (key: 'enabled' | 'replaceCamera', value: boolean) => {
    if (!origin) return;
    setError(null);
    const write = (v: boolean) =>
      update((s: Settings) => ({ ...s, sites: { ...s.sites, [origin]: { ...siteSettings(s, origin), [key]: v } } }));
    if (!(key === 'enabled' && value)) return void write(value);
    // Turning AnimeCam on needs the site's host permission (already held for built-in sites).
    // Ask within this click, and save first: a real popup may close while the prompt is up.
    const asked = requestSitePermission(origin).catch(() => false);
    void write(true)
      .then(() => asked)
      .then(async (granted) => {
        if (granted) return;
        await write(false);
        setError(`AnimeCam needs permission to run on ${origin}. It stays off there until you allow it.`);
      });
  };

  const onCalibrate = () => calibrateAndTell(setMessage, setError);

  const fix = (action: FixAction) => {
    if (action === 'camera-settings') void browser.tabs.create({ url: CAMERA_SETTINGS_URL });
    else if (action === 'choose-camera') openOptionsAt('camera');
    else if (action === 'choose-character') openOptionsAt('library');
    else if (action === 'retry') setPreviewKey((k) => k + 1);
    else browser.runtime.reload();
  };

  return (
    <main class="popup">
      <header class="row popup-head">
        <h1>AnimeCam</h1>
        <button type="button" class="link-button" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>

      <Alert>{settingsError ?? libraryError ?? error}</Alert>

      <section aria-labelledby="now-h" class="now">
        <h2 id="now-h" class="visually-hidden">
          What the call sees
        </h2>
        {/* Laid over the picture, so it appearing never moves the controls under the pointer. */}
        <div class="problem-slot" role="alert">
          {problem && (
            <div class="problem" id="problem" data-kind={problem.kind}>
              <p>{problem.text}</p>
              {problem.action && (
                <button type="button" class="primary" id="problem-fix" onClick={() => fix(problem.action!.id)}>
                  {problem.action.label}
                </button>
              )}
            </div>
          )}
        </div>
        {/* No character, nothing to show: the pipeline (and the camera) stay off. */}
        {entries && entries.length > 0 ? (
          <PreviewVideo key={previewKey} width={256} height={192} />
        ) : (
          <div class="preview-off">
            <p>Your character appears here.</p>
          </div>
        )}
        {character && (
          <p class="now-name" data-testid="current-character">
            <img src={character.thumbnailUrl} alt="" width={28} height={28} />
            <span>{character.name}</span>
            {character.license && <small class="hint">{character.license}</small>}
          </p>
        )}
      </section>

      <section aria-labelledby="site-h" class="panel">
        <h2 id="site-h">This site</h2>
        {site && !origin && <p class="muted">AnimeCam works on web pages; this tab is not one.</p>}
        {origin && current && (
          <>
            <p class="site-origin" data-testid="site-origin">{origin}</p>
            <label class="switch">
              <input type="checkbox" role="switch" id="site-enabled" checked={current.enabled} onChange={(e) => setSiteSwitch('enabled', e.currentTarget.checked)} />
              AnimeCam on for this site
            </label>
            <p class="site-state" id="site-state" aria-live="polite">
              {!current.enabled
                ? 'Off: this site sees only your real camera.'
                : current.replaceCamera
                  ? 'On: this site gets AnimeCam whenever it asks for a camera.'
                  : 'On: pick “AnimeCam” in this site’s camera menu.'}
            </p>
            <label class="switch">
              <input
                type="checkbox"
                id="site-replace"
                checked={current.replaceCamera}
                disabled={!current.enabled}
                onChange={(e) => setSiteSwitch('replaceCamera', e.currentTarget.checked)}
              />
              Replace my camera (for sites without a camera menu)
            </label>
            {settings && <CameraFreeSwitch origin={origin} settings={settings} update={update} />}
          </>
        )}
      </section>

      <section aria-labelledby="char-h" class="panel">
        <h2 id="char-h" class="visually-hidden">Character</h2>
        {entries && entries.length > 0 && settings ? (
          <CharacterPicker
            name="popup-character"
            entries={entries}
            selectedId={settings.characterId}
            onSelect={(id) => void update((s) => ({ ...s, characterId: id }))}
          />
        ) : (
          entries && (
            <p>
              No character yet.{' '}
              <a href="#" onClick={(e) => (e.preventDefault(), openOptionsAt('library'))}>
                Add one in the options
              </a>
              .
            </p>
          )
        )}
      </section>

      {settings && <ExpressionButtons expressions={settings.expressions} />}
      <div class="row">
        <button type="button" id="calibrate" onClick={() => void onCalibrate()}>
          Calibrate
        </button>
        <span class="hint">Look straight ahead with a relaxed face, then press.</span>
      </div>
      {message && <p role="status">{message}</p>}

      <details class="popup-details">
        <summary>Details</summary>
        <StatusSummary status={status} loaded={loaded} alerts={false} />
      </details>
    </main>
  );
}
