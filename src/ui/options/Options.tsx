/** The options page: first run, camera, characters, expression tuning, look, sites, shortcuts. */
import { useState } from 'preact/hooks';
import { Alert } from '../components/Alert';
import { useLibrary } from '../lib/use-library';
import { useSettings } from '../lib/use-settings';
import { AppearanceSection } from './AppearanceSection';
import { CameraFreeSection } from './CameraFreeSection';
import { ExpressionsSection } from './ExpressionsSection';
import { CameraSection } from './CameraSection';
import { FirstRunSection } from './FirstRunSection';
import { LibrarySection } from './LibrarySection';
import { ShortcutsSection } from './ShortcutsSection';
import { SitesSection } from './SitesSection';
import { TuningSection } from './TuningSection';

export function Options() {
  const { settings, update, error } = useSettings();
  const { entries, refresh, error: libraryError } = useLibrary();
  // Camera labels become readable once access is allowed: list the cameras again then.
  const [cameraKey, setCameraKey] = useState(0);

  return (
    <main class="options">
      <header>
        <h1>AnimeCam</h1>
        <nav aria-label="Sections" class="row">
          <a href="#camera">Camera</a>
          <a href="#library">Characters</a>
          <a href="#tuning">Expressions</a>
          <a href="#appearance">Background</a>
          <a href="#sites">Sites</a>
          <a href="#shortcuts">Shortcuts</a>
        </nav>
      </header>
      <Alert>{error ?? libraryError}</Alert>
      <FirstRunSection onCameraGranted={() => setCameraKey((k) => k + 1)} />
      {settings && (
        <>
          <CameraSection settings={settings} update={update} refreshKey={cameraKey} />
          {entries && <LibrarySection settings={settings} update={update} entries={entries} refresh={refresh} />}
          <TuningSection settings={settings} update={update} />
          <AppearanceSection settings={settings} update={update} />
          <SitesSection settings={settings} update={update} />
          <CameraFreeSection settings={settings} update={update} />
          <ExpressionsSection settings={settings} update={update} />
          <ShortcutsSection />
        </>
      )}
    </main>
  );
}
