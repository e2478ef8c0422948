/** The toolbar popup: this site's switches, the character, a live preview and the status. */
import browser from 'webextension-polyfill';
import { useEffect, useState } from 'preact/hooks';
import { siteSettings, type Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { CameraFreeSwitch } from '../components/CameraFreeSwitch';
import { CharacterPicker } from '../components/CharacterPicker';
import { ExpressionButtons } from '../components/ExpressionButtons';
import { PreviewVideo } from '../components/PreviewVideo';
import { StatusSummary } from '../components/StatusSummary';
import { activeSite, type ActiveSite } from '../lib/active-site';
import { calibrate } from '../lib/background';
import { requestSitePermission } from '../lib/sites';
import { useLibrary } from '../lib/use-library';
import { useSettings } from '../lib/use-settings';
import { useStatus } from '../lib/use-status';

export function Popup() {
  const { settings, update, error: settingsError } = useSettings();
  const { entries, error: libraryError } = useLibrary();
  const { status, loaded } = useStatus();
  const [site, setSite] = useState<ActiveSite | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    activeSite().then(setSite, (e: unknown) => setError(`Could not read the current tab: ${String(e)}`));
  }, []);

  const origin = site?.origin ?? null;
  const current = settings ? siteSettings(settings, origin) : null;

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

  const onCalibrate = async () => {
    setMessage(null);
    const res = await calibrate();
    if (res.ok) setMessage('Calibrated: your current face is now the neutral pose.');
    else setError(`Calibration failed: ${res.error ?? 'no face was seen. Look at the camera and try again.'}`);
  };

  return (
    <main class="popup">
      <header class="row popup-head">
        <h1>AnimeCam</h1>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>

      <Alert>{settingsError ?? libraryError ?? error}</Alert>

      <section aria-labelledby="site-h" class="panel">
        <h2 id="site-h">This site</h2>
        {site && !origin && <p class="muted">AnimeCam works on web pages; this tab is not one.</p>}
        {origin && current && (
          <>
            <p class="site-origin" data-testid="site-origin">{origin}</p>
            <label class="switch">
              <input type="checkbox" id="site-enabled" checked={current.enabled} onChange={(e) => setSiteSwitch('enabled', e.currentTarget.checked)} />
              AnimeCam on for this site
            </label>
            <label class="switch">
              <input
                type="checkbox"
                id="site-replace"
                checked={current.replaceCamera}
                disabled={!current.enabled}
                onChange={(e) => setSiteSwitch('replaceCamera', e.currentTarget.checked)}
              />
              Replace my camera (the site gets AnimeCam even when it asks for the real camera)
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
              <a href="#" onClick={(e) => (e.preventDefault(), void browser.runtime.openOptionsPage())}>
                Add one in the options
              </a>
              .
            </p>
          )
        )}
      </section>

      <section aria-labelledby="prev-h" class="panel">
        <h2 id="prev-h">What the call sees</h2>
        <PreviewVideo width={256} height={192} />
        <StatusSummary status={status} loaded={loaded} />
        {settings && <ExpressionButtons expressions={settings.expressions} />}
        <div class="row">
          <button type="button" onClick={() => void onCalibrate()}>
            Calibrate (look straight ahead, neutral face)
          </button>
        </div>
        {message && <p role="status">{message}</p>}
      </section>
    </main>
  );
}
