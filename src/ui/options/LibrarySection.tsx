/**
 * The character gallery: large cards with name, licence and size; import by drop or picker;
 * samples with their licences; rename, delete with undo, choose.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { SAMPLE_CHARACTERS, SAMPLE_IDS, type SampleId } from '../../core/character';
import { deleteCharacter, getCharacter, putCharacter, renameCharacter, restoreCharacter, type CharacterRecord, type CharacterUpload } from '../../shared/character-store';
import { installSample } from '../../shared/sample-install';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { effectiveCharacterId } from '../components/CharacterPicker';
import { formatBytes } from '../lib/format';
import { defaultSampleBaseUrl, loadSampleBaseUrl, saveSampleBaseUrl } from '../lib/ui-prefs';
import type { LibraryEntry } from '../lib/use-library';
import type { UpdateSettings } from '../lib/use-settings';
import { libraryErrorText } from './error-text';
import { uploadFromDrop, uploadFromFiles } from './read-upload';

interface Props {
  /** Shown inside the guided setup: no heading level 2, no advanced source. */
  inSetup?: boolean;
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

export function LibrarySection({ inSetup = false, settings, update, entries, refresh }: Props) {
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [baseUrl, setBaseUrl] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  /** The last deleted character, kept in memory so the delete can be undone. */
  const [undo, setUndo] = useState<{ record: CharacterRecord; wasSelected: boolean } | null>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  // The deleted card took the focus with it: hand it to Undo, the likeliest next key press.
  useEffect(() => {
    if (undo) undoButton.current?.focus();
  }, [undo]);

  useEffect(() => {
    loadSampleBaseUrl().then(setBaseUrl, () => setBaseUrl(defaultSampleBaseUrl()));
  }, []);

  const run = async (action: string, task: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    setUndo(null);
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

  const remove = (c: LibraryEntry) =>
    run(`delete ${c.name}`, async () => {
      const record = await getCharacter(c.id);
      const wasSelected = settings.characterId === c.id;
      await deleteCharacter(c.id);
      if (settings.characterId === c.id) await update((s) => ({ ...s, characterId: null }));
      if (record) setUndo({ record, wasSelected });
      return `Deleted “${c.name}”.`;
    });

  const undoDelete = () => {
    const last = undo;
    if (!last) return;
    void run(`restore ${last.record.name}`, async () => {
      await restoreCharacter(last.record);
      if (last.wasSelected) await update((s) => ({ ...s, characterId: last.record.id }));
      return `Restored “${last.record.name}”.`;
    });
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
  const H = inSetup ? 'h3' : 'h2';

  return (
    <section
      aria-labelledby="library-h"
      class={`${inSetup ? '' : 'panel '}library-section${dragging ? ' dragging' : ''}`}
      id="library"
      onDragOver={(e) => (e.preventDefault(), setDragging(true))}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <H id="library-h">{inSetup ? 'Your characters' : 'Characters'}</H>

      <ul class="gallery" aria-label="Character library">
        {entries.map((c) => (
          <LibraryItem
            key={c.id}
            entry={c}
            selected={c.id === selected}
            onSelect={() => void update((s) => ({ ...s, characterId: c.id }))}
            onRename={(name) => run(`rename ${c.name}`, async () => (await renameCharacter(c.id, name), `Renamed to “${name.trim()}”.`))}
            onDelete={() => remove(c)}
          />
        ))}
        <li class="card import-card dropzone">
          <p class="import-title">Import a character</p>
          <p class="hint">
            Drop a THA4 character folder or <code>.zip</code> anywhere here, or choose one:
          </p>
          <label class="file-button">
            <span>Choose a folder…</span>
            <input type="file" id="import-folder" {...DIRECTORY_PICKER} multiple disabled={!!busy} onChange={(e) => onFiles(e.currentTarget)} />
          </label>
          <label class="file-button">
            <span>Choose a .zip…</span>
            <input type="file" id="import-zip" accept=".zip,application/zip" disabled={!!busy} onChange={(e) => onFiles(e.currentTarget)} />
          </label>
          <small class="hint">
            The folder holds <code>character_model.yaml</code>, the image and the two <code>.pt</code> files.
          </small>
        </li>
      </ul>
      {entries.length === 0 && <p class="muted">No characters yet. Import one, or download a sample below.</p>}

      {busy && (
        <div class="busy" role="status" aria-live="polite">
          <label for="library-progress">{busy.label}</label>
          <progress id="library-progress" max={1} value={busy.fraction ?? undefined} />
        </div>
      )}
      <Alert id="library-error">{error}</Alert>
      <div role="status" class="notice-line">
        {notice && <span id="library-notice">{notice}</span>}
        {undo && (
          <button type="button" id="library-undo" ref={undoButton} onClick={undoDelete}>
            Undo
          </button>
        )}
      </div>

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
                  Licence: <a href={s.licenseUrl} target="_blank" rel="noopener">{s.license}</a>
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
      {!inSetup && (
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
      )}
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
  const metaId = `meta-${entry.id}`;
  return (
    <li class={`card library-item${selected ? ' selected' : ''}`} data-character-id={entry.id}>
      <label class="card-pick">
        <img src={entry.thumbnailUrl} alt="" width={128} height={128} />
        <span class="card-use">
          <input type="radio" name="library-character" checked={selected} onChange={onSelect} aria-describedby={metaId} />
          <span>
            Use {entry.name}
            {selected && <span class="badge"> · in use</span>}
          </span>
        </span>
      </label>
      <p class="card-meta hint" id={metaId}>
        {entry.license || 'Your import'} · {formatBytes(entry.bytes)}
      </p>
      <form
        class="card-rename"
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
      </form>
      <button type="button" class="danger" aria-label={`Delete ${entry.name}`} onClick={() => void onDelete()}>
        Delete
      </button>
      {entry.attribution && (
        <details class="card-credit">
          <summary>Credits</summary>
          <small class="hint">{entry.attribution}</small>
        </details>
      )}
    </li>
  );
}
