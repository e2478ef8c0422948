/** Largest single file accepted (a THA4 body morpher is about 1.3 MB; this leaves ample room). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Largest zip of a whole character folder accepted (three files of at most MAX_FILE_BYTES + slack). */
export const MAX_ZIP_BYTES = 4 * MAX_FILE_BYTES;

/** Largest PNG side decoded; guards against a tiny file that expands to gigabytes of pixels. */
export const MAX_IMAGE_SIDE = 8192;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
