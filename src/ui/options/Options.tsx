/**
 * The options page. On first run it is the guided setup; afterwards: the character gallery, Look
 * and Expressions beside a live preview, Performance, camera, sites and shortcuts.
 */
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../components/Alert';
import { isFirstRunDone, restartSetup } from '../lib/ui-prefs';
import { useLibrary } from '../lib/use-library';
import { useSettings } from '../lib/use-settings';
import { useStatus } from '../lib/use-status';
import { CameraFreeSection } from './CameraFreeSection';
import { ExpressionKeysSection } from './ExpressionKeysSection';
import { CameraSection } from './CameraSection';
import { ExpressionsSection } from './ExpressionsSection';
import { LibrarySection } from './LibrarySection';
import { LivePanel } from './LivePanel';
import { LookSection } from './LookSection';
import { PerformanceSection } from './PerformanceSection';
import { SetupGuide } from './SetupGuide';
import { ShortcutsSection } from './ShortcutsSection';
import { SitesSection } from './SitesSection';

const SECTIONS: [string, string][] = [
  ['library', 'Characters'],
  ['appearance', 'Look'],
  ['tuning', 'Expressions'],
  ['performance', 'Performance'],
  ['camera', 'Camera'],
  ['camera-free', 'Camera-free'],
  ['expression-keys', 'Expression keys'],
  ['sites', 'Sites'],
  ['shortcuts', 'Shortcuts'],
];

export function Options() {
  const { settings, update, error } = useSettings();
  const { entries, refresh, error: libraryError } = useLibrary();
  const { status, loaded } = useStatus();
  // Camera labels become readable once access is allowed: list the cameras again then.
  const [cameraKey, setCameraKey] = useState(0);
  const [setupDone, setSetupDone] = useState<boolean | null>(null);

  useEffect(() => {
    isFirstRunDone().then(setSetupDone, () => setSetupDone(false));
  }, []);

  if (setupDone === null || !settings || !entries) {
    return (
      <main class="options">
        <Alert>{error ?? libraryError}</Alert>
      </main>
    );
  }

  if (!setupDone) {
    return (
      <main class="options">
        <Alert>{error ?? libraryError}</Alert>
        <SetupGuide
          settings={settings}
          update={update}
          entries={entries}
          refresh={refresh}
          onCameraGranted={() => setCameraKey((k) => k + 1)}
          onDone={() => setSetupDone(true)}
        />
      </main>
    );
  }

  return (
    <main class="options">
      <header class="options-head">
        <div class="row head-row">
          <h1>AnimeCam</h1>
          <button type="button" id="setup-restart" class="link-button" onClick={() => void restartSetup().then(() => setSetupDone(false))}>
            Run the guided setup again
          </button>
        </div>
        <nav aria-label="Sections">
          <ul class="row nav-list">
            {SECTIONS.map(([id, name]) => (
              <li key={id}>
                <a href={`#${id}`}>{name}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <Alert>{error ?? libraryError}</Alert>
      <LibrarySection settings={settings} update={update} entries={entries} refresh={refresh} />
      <div class="studio">
        <div class="studio-controls">
          <LookSection settings={settings} update={update} />
          <ExpressionsSection settings={settings} update={update} />
        </div>
        <LivePanel status={status} characterCount={entries.length} />
      </div>
      <PerformanceSection settings={settings} update={update} status={status} loaded={loaded} />
      <CameraSection settings={settings} update={update} refreshKey={cameraKey} />
      <CameraFreeSection settings={settings} update={update} />
      <ExpressionKeysSection settings={settings} update={update} />
      <SitesSection settings={settings} update={update} />
      <ShortcutsSection />
    </main>
  );
}
