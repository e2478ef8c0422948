/**
 * The site the popup controls: the active tab's origin. The tab's URL is readable through
 * activeTab (the user opened the popup on it) or a host permission for the site.
 */
import browser from 'webextension-polyfill';
import { originOf } from '../../shared/settings';

export interface ActiveSite {
  tabId: number | null;
  /** null when the tab is not a web page (new tab, chrome:// page) or its URL is not readable. */
  origin: string | null;
}

export async function activeSite(): Promise<ActiveSite> {
  // When the popup page is opened as a tab (pinned, or by the tests), `?tab=<id>` names the tab
  // it controls; web pages cannot open extension pages, so the parameter is not reachable by them.
  const param = new URLSearchParams(location.search).get('tab');
  const tab = param && /^\d+$/.test(param)
    ? await browser.tabs.get(Number(param)).catch(() => undefined)
    : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  return { tabId: tab?.id ?? null, origin: tab?.url ? originOf(tab.url) : null };
}
