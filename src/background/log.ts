/** A short in-memory log of what the service worker saw, for the popup's status and for tests. */
export interface LogEntry {
  t: number;
  level: 'info' | 'warn' | 'error';
  event: string;
  detail?: unknown;
}

const MAX = 500;
const entries: LogEntry[] = [];

export function log(level: LogEntry['level'], event: string, detail?: unknown): void {
  entries.push({ t: Date.now(), level, event, detail });
  if (entries.length > MAX) entries.splice(0, entries.length - MAX);
  const line = `[AnimeCam:background] ${event}`;
  if (level === 'error') console.error(line, detail ?? '');
  else if (level === 'warn') console.warn(line, detail ?? '');
  else console.info(line, detail ?? '');
}

export function logEntries(): readonly LogEntry[] {
  return entries;
}
