/**
 * Installs a sample character into the library on request: from the options page's Download
 * button (which runs this in the page), and from `npm start`'s build, which names a local catalog
 * and asks for one sample on first run so the demo shows a character straight away.
 */
import { SAMPLE_CHARACTERS, type SampleId } from '../core/character';
import { listCharacters } from '../shared/character-store';
import { installSample as install } from '../shared/sample-install';
import { log } from './log';

export async function installSample(id: SampleId, baseUrl?: string): Promise<string> {
  const saved = await install(id, baseUrl ? { baseUrl } : {});
  log('info', 'sample character installed', { id, baseUrl });
  return saved.id;
}

/** `npm start` builds with a local catalog and a sample to install when the library is empty. */
export async function installDevSampleIfEmpty(): Promise<void> {
  const id = import.meta.env.VITE_AUTOINSTALL_SAMPLE as SampleId | undefined;
  const base = import.meta.env.VITE_SAMPLE_BASE_URL as string | undefined;
  if (!id || !(id in SAMPLE_CHARACTERS)) return;
  if ((await listCharacters()).length > 0) return;
  try {
    await installSample(id, base);
  } catch (e) {
    log('error', 'could not install the demo character', String(e));
  }
}
