/** Downloads a sample character (hashes checked) and stores it in the library with its license. */
import { downloadSample, SAMPLE_CHARACTERS, type SampleId } from '../core/character';
import { putCharacter, type CharacterSummary } from './character-store';

export interface SampleInstallOptions {
  baseUrl?: string;
  onProgress?: (p: { bytesDone: number; bytesTotal: number; file: string }) => void;
  /** Called between download and validation (the UI shows a "checking" step). */
  onDownloaded?: () => void | Promise<void>;
}

export async function installSample(id: SampleId, opts: SampleInstallOptions = {}): Promise<CharacterSummary> {
  const sample = SAMPLE_CHARACTERS[id];
  const files = await downloadSample(id, { ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  await opts.onDownloaded?.();
  return putCharacter({
    upload: { kind: 'folder', files },
    name: id,
    source: 'sample',
    sampleId: id,
    license: sample.license,
    attribution: sample.attribution,
  });
}
