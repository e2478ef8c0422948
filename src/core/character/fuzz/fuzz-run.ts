/**
 * Runs fuzz cases through the import path the extension uses (validate, choose the files to
 * store) and then loads what would be stored and builds the model graph from it. Every case must
 * end as accepted-and-loads or a CharacterFormatError; anything else is a failure to report.
 */
import { buildFrameModel } from '../../model-graph/frame-model';
import { crc32 } from '../crc32';
import { CharacterFormatError } from '../errors';
import { importCharacter, importCharacterZip, loadCharacter, type ImportedCharacter } from '../load-character';
import { makeCase, type FuzzBase, type FuzzInput } from './mutators';

/**
 * Longest any single input may take (import, then load and graph build of what is stored), in
 * CPU time of this process: on a shared machine wall time also counts other processes' turns.
 */
export const FUZZ_TIME_LIMIT_MS = 2000;

/** CPU milliseconds used by this process so far (wall-clock milliseconds where that is unknown). */
export function cpuMs(): number {
  if (typeof process !== 'undefined' && typeof process.cpuUsage === 'function') {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  return performance.now();
}

export type Outcome =
  | { kind: 'accepted' }
  | { kind: 'rejected'; code: string; message: string }
  | { kind: 'failure'; why: string };

export interface CaseResult {
  index: number;
  mutation: string;
  outcome: Outcome;
  /** CPU time of the import and (when accepted) the load check. */
  ms: number;
}

export function importUpload(input: FuzzInput): ImportedCharacter {
  return input.kind === 'zip' ? importCharacterZip(input.bytes, input.fileName) : importCharacter(input.files);
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.slice(0, 300)}`;
  return String(e);
}

/** Stored file sets already proven to load and build; loading is deterministic, so one proof per content. */
export class LoadCache {
  private readonly proven = new Set<string>();
  key(files: Map<string, Uint8Array>): string {
    return [...files]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}:${v.length}:${crc32(v)}`)
      .join('|');
  }
  has(files: Map<string, Uint8Array>): boolean {
    return this.proven.has(this.key(files));
  }
  add(files: Map<string, Uint8Array>): void {
    this.proven.add(this.key(files));
  }
}

/** Import, then (when accepted) load the stored files as the offscreen document would and build the graph. */
export function runInput(input: FuzzInput, cache: LoadCache): Outcome {
  let imported: ImportedCharacter;
  try {
    imported = importUpload(input);
  } catch (e) {
    if (e instanceof CharacterFormatError) {
      if (!e.file || !e.message.startsWith(`${e.file}: `)) return { kind: 'failure', why: `CharacterFormatError without a file name: ${e.message}` };
      return { kind: 'rejected', code: e.code, message: e.message };
    }
    return { kind: 'failure', why: `import threw ${describe(e)}` };
  }
  // What is stored is copied into fresh buffers, as the library does.
  const stored = new Map([...imported.files].map(([k, v]) => [k, v.slice()]));
  if (cache.has(stored)) return { kind: 'accepted' };
  try {
    const loaded = loadCharacter(stored, imported.character.name);
    const model = buildFrameModel({ face: loaded.face, body: loaded.body, imageTensor: loaded.imageTensor, size: 16 });
    if (model.length === 0) return { kind: 'failure', why: 'accepted, but the model graph is empty' };
  } catch (e) {
    return { kind: 'failure', why: `accepted, but the stored files do not load: ${describe(e)}` };
  }
  cache.add(stored);
  return { kind: 'accepted' };
}

export function runCase(base: FuzzBase, seed: number, index: number, cache: LoadCache): CaseResult {
  const c = makeCase(base, seed, index);
  const t0 = cpuMs();
  let outcome = runInput(c.input, cache);
  const ms = cpuMs() - t0;
  if (outcome.kind !== 'failure' && ms > FUZZ_TIME_LIMIT_MS) {
    outcome = { kind: 'failure', why: `took ${ms.toFixed(0)} ms of CPU time (limit ${FUZZ_TIME_LIMIT_MS} ms); outcome was ${outcome.kind}` };
  }
  return { index, mutation: c.mutation, outcome, ms };
}

export interface FuzzSummary {
  seed: number;
  count: number;
  accepted: number;
  rejected: Map<string, number>;
  failures: CaseResult[];
  byMutation: Map<string, { accepted: number; rejected: number; failed: number }>;
  slowest: CaseResult | null;
  totalMs: number;
  peakRssBytes: number;
}

export function runFuzz(base: FuzzBase, seed: number, count: number, start = 0, onResult?: (r: CaseResult) => void): FuzzSummary {
  const cache = new LoadCache();
  const summary: FuzzSummary = {
    seed,
    count,
    accepted: 0,
    rejected: new Map(),
    failures: [],
    byMutation: new Map(),
    slowest: null,
    totalMs: 0,
    peakRssBytes: 0,
  };
  const rss = (): number => (typeof process !== 'undefined' ? process.memoryUsage.rss() : 0);
  for (let i = start; i < start + count; i++) {
    const r = runCase(base, seed, i, cache);
    summary.totalMs += r.ms;
    const m = summary.byMutation.get(r.mutation) ?? { accepted: 0, rejected: 0, failed: 0 };
    if (r.outcome.kind === 'accepted') {
      summary.accepted++;
      m.accepted++;
    } else if (r.outcome.kind === 'rejected') {
      summary.rejected.set(r.outcome.code, (summary.rejected.get(r.outcome.code) ?? 0) + 1);
      m.rejected++;
    } else {
      summary.failures.push(r);
      m.failed++;
    }
    summary.byMutation.set(r.mutation, m);
    if (!summary.slowest || r.ms > summary.slowest.ms) summary.slowest = r;
    summary.peakRssBytes = Math.max(summary.peakRssBytes, rss());
    onResult?.(r);
  }
  return summary;
}
