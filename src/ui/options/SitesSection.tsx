/** Sites where AnimeCam is switched on or off, with the host permission asked when a site is added. */
import { useState } from 'preact/hooks';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { parseSiteInput, requestSitePermission } from '../lib/sites';
import type { UpdateSettings } from '../lib/use-settings';

export function SitesSection({ settings, update }: { settings: Settings; update: UpdateSettings }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const sites = Object.entries(settings.sites).sort(([a], [b]) => a.localeCompare(b));

  const add = (e: Event) => {
    e.preventDefault();
    setError(null);
    const origin = parseSiteInput(text);
    if (!origin) return setError(`“${text}” is not a web address. Enter a site like meet.example.com or https://meet.example.com.`);
    // Asked inside the submit gesture; granted at once for the built-in call sites.
    void requestSitePermission(origin)
      .catch(() => false)
      .then(async (granted) => {
        if (!granted) return setError(`Permission for ${origin} was not given, so AnimeCam cannot run there. The site was not added.`);
        await update((s) => ({ ...s, sites: { ...s.sites, [origin]: { enabled: true, replaceCamera: s.defaultSite.replaceCamera } } }));
        setText('');
      });
  };

  const setSite = (origin: string, patch: Partial<Settings['defaultSite']>) =>
    void update((s) => ({ ...s, sites: { ...s.sites, [origin]: { ...s.sites[origin], ...patch } } }));

  const remove = (origin: string) =>
    void update((s) => {
      const { [origin]: _gone, ...rest } = s.sites;
      return { ...s, sites: rest };
    });

  return (
    <section aria-labelledby="sites-h" class="panel" id="sites">
      <h2 id="sites-h">Sites</h2>
      <p class="muted">
        AnimeCam is built in for Google Meet, Zoom and Teams. Other sites need your permission when you add them here.
      </p>
      <label class="switch">
        <input
          type="checkbox"
          id="default-enabled"
          checked={settings.defaultSite.enabled}
          onChange={(e) => {
            const enabled = e.currentTarget.checked;
            void update((s) => ({ ...s, defaultSite: { ...s.defaultSite, enabled } }));
          }}
        />
        On for sites not listed below
      </label>
      <table class="sites-table">
        <caption class="visually-hidden">Sites with their own setting</caption>
        <thead>
          <tr>
            <th scope="col">Site</th>
            <th scope="col">On</th>
            <th scope="col">Replace camera</th>
            <th scope="col"><span class="visually-hidden">Remove</span></th>
          </tr>
        </thead>
        <tbody>
          {sites.length === 0 && (
            <tr>
              <td colSpan={4} class="muted">No sites with their own setting yet.</td>
            </tr>
          )}
          {sites.map(([origin, site]) => (
            <tr key={origin}>
              <th scope="row">{origin}</th>
              <td>
                <input type="checkbox" aria-label={`AnimeCam on for ${origin}`} checked={site.enabled} onChange={(e) => setSite(origin, { enabled: e.currentTarget.checked })} />
              </td>
              <td>
                <input type="checkbox" aria-label={`Replace camera on ${origin}`} checked={site.replaceCamera} onChange={(e) => setSite(origin, { replaceCamera: e.currentTarget.checked })} />
              </td>
              <td>
                <button type="button" onClick={() => remove(origin)} aria-label={`Remove ${origin}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row" onSubmit={add}>
        <label for="site-add">Add a site</label>
        <input type="text" id="site-add" placeholder="meet.example.com" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit">Add</button>
      </form>
      <Alert id="sites-error">{error}</Alert>
    </section>
  );
}
