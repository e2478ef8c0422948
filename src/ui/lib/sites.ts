/** Site origins, their permission match patterns, and the optional host permission prompt. */
import browser from 'webextension-polyfill';
import { originOf } from '../../shared/settings';

/** Match patterns ignore ports: "http://127.0.0.1:8123" -> "http://127.0.0.1/*". */
export function originPattern(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}

/** Accepts "meet.example.com" or a full URL; null when it is not an http(s) site. */
export function parseSiteInput(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  return originOf(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`);
}

export async function hasSitePermission(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}

/** Asks for the site's host permission (must run inside a user gesture); true when granted. */
export async function requestSitePermission(origin: string): Promise<boolean> {
  // Called first thing in the click handler: any await before it could lose the user gesture.
  return browser.permissions.request({ origins: [originPattern(origin)] });
}
