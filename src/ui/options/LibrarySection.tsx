/** Character library: import (folder or .zip; picker or drag-and-drop), samples, rename, delete, choose. */
import { useEffect, useState } from 'preact/hooks';
import { SAMPLE_CHARACTERS, SAMPLE_IDS, type SampleId } from '../../core/character';
import { deleteCharacter, putCharacter, renameCharacter, type CharacterUpload } from '../../shared/character-store';
import { installSample } from '../../shared/sample-install';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { effectiveCharacterId } from '../components/CharacterPicker';
import { defaultSampleBaseUrl, loadSampleBaseUrl, saveSampleBaseUrl } from '../lib/ui-prefs';
import type { LibraryEntry } from '../lib/use-library';
import type { UpdateSettings } from '../lib/use-settings';
import { libraryErrorText } from './error-text';
import { uploadFromDrop, uploadFromFiles } from './read-upload';

interface Props {
  settings: Settings;
  update: UpdateSettings;
  entries: LibraryEntry[];
  refresh: () => Promise<void>;
}

interface Busy {
  label: string;
  /** 0..1, or null while the step has no measurable progress. */
  fraction: number | null;
}

/** Folder picking; the attribute is not in preact's JSX types. */
const DIRECTORY_PICKER: Record<string, boolean> = { webkitdirectory: true };

/** Lets the progress bar paint before the synchronous validation starts. */
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

export function LibrarySection({ settings, update, entries, refresh }: Props) {
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [baseUrl, setBaseUrl] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    loadSampleBaseUrl().then(setBaseUrl, () => setBaseUrl(defaultSampleBaseUrl()));
  }, []);

  const run = async (action: string, task: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await task());
    } catch (e) {
      setError(libraryErrorText(e, action));
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  const importUpload = (read: () => Promise<CharacterUpload & { label: string }>) =>
    run('import the chosen files', async () => {
      setBusy({ label: 'Reading files…', fraction: 0 });
      const upload = await read();
      setBusy({ label: `Checking ${upload.label}…`, fraction: null });
      await nextFrame();
      const added = await putCharacter({ upload, source: 'import' });
      return `Added “${added.name}” to the library.`;
    });

  const onRead = (done: number, total: number) => setBusy({ label: 'Reading files…', fraction: total ? done / total : null });

  const onFiles = (input: HTMLInputElement) => {
    const files = input.files ? Array.from(input.files) : [];
    input.value = ''; // picking the same folder again must fire change again
    if (files.length) void importUpload(() => uploadFromFiles(files, onRead));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!e.dataTransfer || busy) return;
    const pending = uploadFromDrop(e.dataTransfer, onRead);
    void importUpload(() => pending);
  };

  const download = (id: SampleId) =>
    run(`download sample ${id}`, async () => {
      const sample = SAMPLE_CHARACTERS[id];
      setBusy({ label: `Downloading ${id}…`, fraction: 0 });
      const added = await installSample(id, {
        baseUrl: baseUrl ?? defaultSampleBaseUrl(),
        onProgress: (p) => setBusy({ label: `Downloading ${id}: ${p.file}`, fraction: p.bytesTotal ? p.bytesDone / p.bytesTotal : null }),
        onDownloaded: async () => {
          setBusy({ label: `Checking ${id}…`, fraction: null });
          await nextFrame();
        },
      });
      return `Downloaded “${added.name}” (${sample.license}).`;
    });

  const saveBase = async (text: string) => {
    try {
      setBaseUrl(await saveSampleBaseUrl(text));
      setError(null);
    } catch (e) {
      setError(`The sample source is not a valid address: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const selected = effectiveCharacterId(entries, settings.characterId);

  return (
    <section aria-labelledby="library-h" class="panel" id="library">
      <h2 id="library-h">Characters</h2>

      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          Import a THA4 character: its folder (with <code>character_model.yaml</code>, the image and the two <code>.pt</code>{' '}
          files) or a <code>.zip</code> of it. Drop it here or choose:
        </p>
        <div class="row">
          <label class="file-button">
            Choose a folder…
            <input
              type="file"
              id="import-folder"
              {...DIRECTORY_PICKER}
              multiple
              disabled={!!busy}
              onChange={(e) => onFiles(e.currentTarget)}
            />
          </label>
          <label class="file-button">
            Choose a .zip…
            <input type="file" id="import-zip" accept=".zip,application/zip" disabled={!!busy} onChange={(e) => onFiles(e.currentTarget)} />
          </label>
        </div>
      </div>

      {busy && (
        <div class="busy" role="status" aria-live="polite">
          <label for="library-progress">{busy.label}</label>
          <progress id="library-progress" max={1} value={busy.fraction ?? undefined} />
        </div>
      )}
      <Alert id="library-error">{error}</Alert>
      {notice && (
        <p role="status" id="library-notice">
          {notice}
        </p>
      )}

      <h3>Your characters</h3>
      {entries.length === 0 && <p class="muted">The library is empty. Import a character or download a sample below.</p>}
      <ul class="library" aria-label="Character library">
        {entries.map((c) => (
          <LibraryItem
            key={c.id}
            entry={c}
            selected={c.id === selected}
            onSelect={() => void update((s) => ({ ...s, characterId: c.id }))}
            onRename={(name) => run(`rename ${c.name}`, async () => (await renameCharacter(c.id, name), `Renamed to “${name.trim()}”.`))}
            onDelete={() =>
              run(`delete ${c.name}`, async () => {
                await deleteCharacter(c.id);
                if (settings.characterId === c.id) await update((s) => ({ ...s, characterId: null }));
                return `Deleted “${c.name}”.`;
              })
            }
          />
        ))}
      </ul>

      <h3>Sample characters</h3>
      <ul class="samples">
        {SAMPLE_IDS.map((id) => {
          const s = SAMPLE_CHARACTERS[id];
          const have = entries.some((e) => e.sampleId === id);
          return (
            <li key={id} class="sample">
              <div class="row">
                <strong>{id}</strong>
                <span>
                  License: <a href={s.licenseUrl} target="_blank" rel="noopener">{s.license}</a>
                </span>
                <button type="button" id={`download-${id}`} disabled={!!busy} onClick={() => void download(id)} aria-describedby={`attr-${id}`}>
                  {have ? `Download ${id} again` : `Download ${id}`}
                </button>
              </div>
              <small id={`attr-${id}`} class="hint">
                {s.attribution}
              </small>
            </li>
          );
        })}
      </ul>
      <details class="advanced">
        <summary>Advanced: sample source</summary>
        {baseUrl !== null && (
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              const input = e.currentTarget.elements.namedItem('sample-base') as HTMLInputElement;
              void saveBase(input.value);
            }}
          >
            <label for="sample-base">Download samples from</label>
            <input type="url" id="sample-base" name="sample-base" size={50} defaultValue={baseUrl} />
            <button type="submit" id="sample-base-save">
              Save
            </button>
          </form>
        )}
        <small class="hint">A folder holding lambda_00/ and lambda_01/. Files are checked against their published SHA-256 either way.</small>
      </details>
    </section>
  );
}

interface ItemProps {
  entry: LibraryEntry;
  selected: boolean;
  onSelect: () => void;
  onRename: (name: string) => Promise<void>;
  onDelete: () => Promise<void>;
}

function LibraryItem({ entry, selected, onSelect, onRename, onDelete }: ItemProps) {
  const [name, setName] = useState(entry.name);
  useEffect(() => setName(entry.name), [entry.name]);
  const nameId = `name-${entry.id}`;
  return (
    <li class={`library-item${selected ? ' selected' : ''}`} data-character-id={entry.id}>
      <img src={entry.thumbnailUrl} alt={`${entry.name}`} width={72} height={72} />
      <div class="library-body">
        <label class="switch">
          <input type="radio" name="library-character" checked={selected} onChange={onSelect} />
          Use {entry.name}
        </label>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim() && name.trim() !== entry.name) void onRename(name);
          }}
        >
          <label for={nameId} class="visually-hidden">
            Name of {entry.name}
          </label>
          <input type="text" id={nameId} value={name} maxLength={120} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit">Rename</button>
          <button
            type="button"
            class="danger"
            onClick={() => {
              if (confirm(`Delete “${entry.name}” from the library?`)) void onDelete();
            }}
          >
            Delete
          </button>
        </form>
        {entry.attribution && (
          <small class="hint">
            {entry.license ? `${entry.license}. ` : ''}
            {entry.attribution}
          </small>
        )}
      </div>
    </li>
  );
}
