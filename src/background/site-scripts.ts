/**
 * Content scripts for sites the user added beyond the manifest's built-in hosts: registered at
 * runtime for every enabled site whose host permission was granted, with the same files and
 * options as the manifest's content scripts (read from the built manifest, so names match).
 */
import type { Settings } from '../shared/settings';

const ID_PREFIX = 'animecam-site-';

function sitePattern(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}

/** True when a pattern from the manifest already covers this site's pattern. */
function coveredByManifest(pattern: string, manifestPatterns: string[]): boolean {
  const host = new URL(pattern.replace('/*', '/')).hostname;
  const scheme = pattern.split(':')[0];
  return manifestPatterns.some((m) => {
    const [mScheme, rest] = m.split('://');
    if (mScheme !== '*' && mScheme !== scheme) return false;
    const mHost = rest.split('/')[0];
    return mHost === host || mHost === '*' || (mHost.startsWith('*.') && (host === mHost.slice(2) || host.endsWith(mHost.slice(1))));
  });
}

export async function syncRegisteredSites(settings: Settings): Promise<void> {
  const manifestScripts = chrome.runtime.getManifest().content_scripts ?? [];
  const builtIn = manifestScripts.flatMap((c) => c.matches ?? []);
  const wanted: string[] = [];
  for (const [origin, site] of Object.entries(settings.sites)) {
    if (!site.enabled) continue;
    const pattern = sitePattern(origin);
    if (coveredByManifest(pattern, builtIn) || wanted.includes(pattern)) continue;
    if (await chrome.permissions.contains({ origins: [pattern] })) wanted.push(pattern);
  }

  const existing = (await chrome.scripting.getRegisteredContentScripts()).filter((s) => s.id.startsWith(ID_PREFIX));
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (wanted.length === 0) return;

  await chrome.scripting.registerContentScripts(
    manifestScripts.map((c, i) => ({
      id: `${ID_PREFIX}${i}`,
      matches: wanted,
      js: c.js ?? [],
      runAt: c.run_at as chrome.extensionTypes.RunAt | undefined,
      allFrames: c.all_frames,
      matchOriginAsFallback: c.match_about_blank,
      // The manifest typing predates `world`; it is set on the page-world script.
      world: (c as { world?: chrome.scripting.ExecutionWorld }).world,
      persistAcrossSessions: true,
    })),
  );
}
