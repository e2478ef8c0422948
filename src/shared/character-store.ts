/**
 * The character library: IndexedDB database 'animecam', store 'characters', shared by the
 * extension's pages and the offscreen document (same origin). Every character is validated with
 * the character reader before it is stored, so whatever is in the library loads.
 */
import browser from 'webextension-polyfill';
import type { SampleId } from '../core/character';
import { validateFolder, validateZip, type ValidatedCharacter } from './character-files';
import type { UiToBackground } from './messages';
import { makeThumbnail } from './thumbnail';

const DB_NAME = 'animecam';
// 2: adds the 'backgrounds' store (background images for the call picture).
const DB_VERSION = 2;
const BACKGROUNDS = 'backgrounds';
const STORE = 'characters';
const MAX_NAME = 120;

export interface CharacterRecord {
  id: string;
  name: string;
  createdAt: number;
  source: 'import' | 'sample';
  sampleId?: SampleId;
  /** Shown with the character; empty for the user's own imports. */
  license: string;
  attribution: string;
  /** PNG, about 96 px square. */
  thumbnail: Blob;
  /** character_model.yaml and the files it names, relative to the character folder. */
  files: Record<string, ArrayBuffer>;
}

export type CharacterSummary = Omit<CharacterRecord, 'files'>;

/** A library entry as listed: the summary and the stored size of its files. */
export interface CharacterListing extends CharacterSummary {
  bytes: number;
}

export type CharacterUpload =
  | { kind: 'folder'; files: Map<string, Uint8Array> }
  | { kind: 'zip'; bytes: Uint8Array; fileName: string };

export interface NewCharacter {
  upload: CharacterUpload;
  /** Defaults to the folder or zip name. */
  name?: string;
  source: 'import' | 'sample';
  sampleId?: SampleId;
  license?: string;
  attribution?: string;
}

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' });
      if (!req.result.objectStoreNames.contains(BACKGROUNDS)) req.result.createObjectStore(BACKGROUNDS, { keyPath: 'id' });
    };
    req.onsuccess = () => {
      // Another context upgrading the schema must not be blocked by this connection.
      req.result.onversionchange = () => {
        req.result.close();
        dbPromise = null;
      };
      resolve(req.result);
    };
    req.onerror = () => {
      dbPromise = null;
      reject(req.error ?? new Error('could not open the character library'));
    };
  });
  return dbPromise;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('character library request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('character library write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('character library write aborted'));
  });
}

function notifyChanged(): void {
  const msg: UiToBackground = { type: 'ui/library-changed', target: 'background' };
  // Not awaited: the library is already consistent, and a worker that is restarting (or a
  // listener that never answers) must not hold up the page.
  void Promise.resolve()
    .then(() => browser.runtime.sendMessage(msg))
    .catch(() => undefined);
}

const cleanName = (name: string): string => name.trim().slice(0, MAX_NAME) || 'character';

/** Every character without its files, oldest first. */
export async function listCharacters(): Promise<CharacterListing[]> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readonly');
  const out: CharacterListing[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = tx.objectStore(STORE).openCursor();
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return resolve();
      const { files, ...summary } = cursor.value as CharacterRecord;
      out.push({ ...summary, bytes: Object.values(files).reduce((n, b) => n + b.byteLength, 0) });
      cursor.continue();
    };
    req.onerror = () => reject(req.error ?? new Error('could not read the character library'));
  });
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

export async function getCharacter(id: string): Promise<CharacterRecord | null> {
  const db = await openDb();
  const rec = (await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(id))) as CharacterRecord | undefined;
  return rec ?? null;
}

/** The reader's verdict on an upload; throws CharacterFormatError naming the bad file. */
export function validateUpload(upload: CharacterUpload, name?: string): ValidatedCharacter {
  return upload.kind === 'zip' ? validateZip(upload.bytes, upload.fileName) : validateFolder(upload.files, name);
}

/** Validates, then stores; a failure stores nothing. Returns the stored summary. */
export async function putCharacter(input: NewCharacter): Promise<CharacterSummary> {
  const { character, files } = validateUpload(input.upload, input.name);
  const record: CharacterRecord = {
    id: crypto.randomUUID(),
    name: cleanName(input.name ?? character.name),
    createdAt: Date.now(),
    source: input.source,
    ...(input.sampleId ? { sampleId: input.sampleId } : {}),
    license: input.license ?? '',
    attribution: input.attribution ?? '',
    thumbnail: await makeThumbnail(character.image),
    // Own copies: the upload's buffers may be views into larger ones (zip entries).
    files: Object.fromEntries([...files].map(([k, v]) => [k, v.slice().buffer])),
  };
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).put(record);
  await committed(tx);
  notifyChanged();
  const { files: _files, ...summary } = record;
  return summary;
}

export async function renameCharacter(id: string, name: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  const store = tx.objectStore(STORE);
  const rec = (await done(store.get(id))) as CharacterRecord | undefined;
  if (!rec) throw new Error('That character is no longer in the library.');
  store.put({ ...rec, name: cleanName(name) });
  await committed(tx);
  notifyChanged();
}

export async function deleteCharacter(id: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).delete(id);
  await committed(tx);
  notifyChanged();
}

/** Puts a record read with getCharacter back unchanged (undoing a delete). */
export async function restoreCharacter(record: CharacterRecord): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).put(record);
  await committed(tx);
  notifyChanged();
}

/** The files as the character reader takes them. */
export function recordFiles(rec: CharacterRecord): Map<string, Uint8Array> {
  return new Map(Object.entries(rec.files).map(([k, v]) => [k, new Uint8Array(v)]));
}

/** Background images larger than this are refused (a photo is a few MB at most). */
export const MAX_BACKGROUND_BYTES = 16 * 1024 * 1024;

/** Stores a background image (checked to decode as an image) and returns its id. */
export async function putBackground(image: Blob): Promise<string> {
  if (image.size === 0 || image.size > MAX_BACKGROUND_BYTES) throw new Error(`The background image must be between 1 byte and ${MAX_BACKGROUND_BYTES >> 20} MB`);
  const bitmap = await createImageBitmap(image).catch(() => null);
  if (!bitmap) throw new Error('The background file is not an image this browser can read (use PNG, JPEG or WebP)');
  bitmap.close();
  const id = crypto.randomUUID();
  const db = await openDb();
  const tx = db.transaction(BACKGROUNDS, 'readwrite');
  tx.objectStore(BACKGROUNDS).clear(); // one background at a time
  tx.objectStore(BACKGROUNDS).put({ id, image });
  await committed(tx);
  return id;
}

export async function getBackground(id: string): Promise<Blob | null> {
  const db = await openDb();
  const rec = (await done(db.transaction(BACKGROUNDS).objectStore(BACKGROUNDS).get(id))) as { image: Blob } | undefined;
  return rec?.image ?? null;
}
