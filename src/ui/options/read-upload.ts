/** Turns what the user picked or dropped (folder files, a .zip) into a character upload. */
import type { CharacterUpload } from '../../shared/character-store';

export type ReadProgress = (bytesDone: number, bytesTotal: number) => void;

const isZipName = (name: string): boolean => /\.zip$/i.test(name);

async function readAll(files: { path: string; file: File }[], onProgress: ReadProgress): Promise<Map<string, Uint8Array>> {
  const total = files.reduce((n, f) => n + f.file.size, 0);
  let done = 0;
  const out = new Map<string, Uint8Array>();
  for (const { path, file } of files) {
    out.set(path, new Uint8Array(await file.arrayBuffer()));
    done += file.size;
    onProgress(done, total);
  }
  return out;
}

/** A picked folder (webkitRelativePath keeps the folder name) or a single picked file. */
export async function uploadFromFiles(list: FileList | File[], onProgress: ReadProgress): Promise<CharacterUpload & { label: string }> {
  const files = Array.from(list);
  if (files.length === 0) throw new Error('Nothing was chosen.');
  if (files.length === 1 && isZipName(files[0].name)) {
    const [bytes] = (await readAll([{ path: files[0].name, file: files[0] }], onProgress)).values();
    return { kind: 'zip', bytes, fileName: files[0].name, label: files[0].name };
  }
  const entries = files.map((file) => ({ path: file.webkitRelativePath || file.name, file }));
  const label = entries[0].path.split('/')[0] || 'folder';
  return { kind: 'folder', files: await readAll(entries, onProgress), label };
}

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries returns batches until an empty one.
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

const entryFile = (entry: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

/** Depth-limited walk: a character folder is at most two levels deep. */
async function walk(entry: FileSystemEntry, prefix: string, depth: number, out: { path: string; file: File }[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: prefix + entry.name, file: await entryFile(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory && depth < 3) {
    for (const child of await readEntries(entry as FileSystemDirectoryEntry)) await walk(child, `${prefix}${entry.name}/`, depth + 1, out);
  }
}

/** A dropped folder or .zip. Entries must be taken from the DataTransfer synchronously. */
export async function uploadFromDrop(dt: DataTransfer, onProgress: ReadProgress): Promise<CharacterUpload & { label: string }> {
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return uploadFromFiles(Array.from(dt.files), onProgress);
  const files: { path: string; file: File }[] = [];
  for (const e of entries) await walk(e, '', 0, files);
  if (files.length === 1 && isZipName(files[0].file.name)) return uploadFromFiles([files[0].file], onProgress);
  const label = entries.length === 1 ? entries[0].name : 'dropped files';
  return { kind: 'folder', files: await readAll(files, onProgress), label };
}
