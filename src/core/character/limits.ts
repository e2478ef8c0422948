/**
 * Every bound the character reader enforces. A real THA4 character is four files of about 2 MB
 * in all (body morpher 1.3 MB, face morpher 0.5 MB, a 512x512 PNG, a 3-line yaml), so each limit
 * leaves ample room while keeping the worst hostile input within about 2 s and 512 MB.
 */

/** Largest single file accepted, as uploaded or as inflated from a zip. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Largest zip of a whole character folder accepted. */
export const MAX_ZIP_BYTES = 64 * 1024 * 1024;

/** Bytes inflated from one zip (all entries read from it together). */
export const MAX_ZIP_INFLATED_BYTES = 48 * 1024 * 1024;

/** Entries listed in one zip's central directory (a checkpoint has about 40). */
export const MAX_ZIP_ENTRIES = 4096;

/** Files in a folder upload. */
export const MAX_FOLDER_FILES = 4096;

/** Largest PNG side decoded (THA4 characters are 512x512; bigger images are scaled down once, at import). */
export const MAX_IMAGE_SIDE = 1024;

/** Chunks in one PNG (the samples have 4). */
export const MAX_PNG_CHUNKS = 4096;

/** Largest compressed ICC profile (iCCP) accepted; the profile itself is not used. */
export const MAX_ICCP_BYTES = 256 * 1024;

/** The pickle of a checkpoint (the body morpher's is about 5 KB). */
export const MAX_PICKLE_BYTES = 1024 * 1024;

/** Pickle instructions executed. */
export const MAX_PICKLE_OPS = 200_000;

/** Open MARKs at once (a state_dict nests four deep). */
export const MAX_PICKLE_DEPTH = 64;

/** Memo slots a pickle may fill, and items any one container may hold. */
export const MAX_PICKLE_MEMO = 50_000;
export const MAX_PICKLE_ITEMS = 100_000;

/** Tensors in one checkpoint (the body morpher has 20). */
export const MAX_TENSORS = 1024;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
