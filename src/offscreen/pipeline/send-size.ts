/**
 * The size a track's frames travel at from the offscreen document to the page. On the CPU path
 * the character is rendered at 128–192 px, so a 1280x720 frame carries no more of it than a
 * 640x360 one, while encoding and decoding it on the loopback connection costs four times as
 * much CPU, which the tracker and the renderer need (measured: the loopback hop fell from
 * ~320 ms to ~50 ms median on 2 cores). The page gives the frames back the track's display size
 * (source-feed.ts), so the site sees the size it asked for.
 */

/** Pixels a frame carries on the CPU path at most (640x480: 1280x720 goes as 640x360). */
export const CPU_SEND_PIXELS = 640 * 480;

export interface Size {
  width: number;
  height: number;
}

/**
 * The track's size divided by the smallest whole number that brings it to at most `maxPixels`
 * (a whole divisor keeps the scaling back up clean); the track's own size when it fits or when
 * there is no limit (`maxPixels` not finite or not positive). Sides are even (4:2:0 chroma).
 */
export function sendSize(track: Size, maxPixels: number): Size {
  const w = Math.max(1, Math.round(track.width));
  const h = Math.max(1, Math.round(track.height));
  if (!(maxPixels > 0) || !Number.isFinite(maxPixels) || w * h <= maxPixels) return { width: w, height: h };
  let n = Math.max(2, Math.floor(Math.sqrt((w * h) / maxPixels)));
  while ((w / n) * (h / n) > maxPixels) n++;
  const even = (v: number) => Math.max(2, 2 * Math.round(v / n / 2));
  return { width: even(w), height: even(h) };
}

/** The stamp block (bench only) in send pixels, so it stays 8 px in the track's own pixels. */
export function sendStampBlock(track: Size, send: Size, block: number): number {
  return Math.max(2, Math.round((block * send.width) / Math.max(1, track.width)));
}
