/** AnimeCam's switches for this site, as last told by the bridge. */
import type { SiteState } from '../shared/messages';

const OFF: SiteState = { enabled: false, replaceCamera: false, deviceId: '', groupId: '' };
let current: SiteState | null = null;
let waiters: ((s: SiteState) => void)[] = [];
const listeners: ((now: SiteState, before: SiteState) => void)[] = [];

export function setSiteState(s: SiteState): void {
  const before = current ?? OFF;
  current = s;
  waiters.forEach((w) => w(s));
  waiters = [];
  if (before.enabled !== s.enabled || before.replaceCamera !== s.replaceCamera) listeners.forEach((l) => l(s, before));
}

/** The state, waiting briefly for the bridge's first word; without one the extension is away: off. */
export function siteState(timeoutMs = 2000): Promise<SiteState> {
  if (current) return Promise.resolve(current);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(current ?? OFF), timeoutMs);
    waiters.push((s) => {
      clearTimeout(timer);
      resolve(s);
    });
  });
}

export function onSiteStateChange(l: (now: SiteState, before: SiteState) => void): void {
  listeners.push(l);
}
