/**
 * The size of the picture handed to MediaPipe. Its work grows with the input's pixels even though
 * its models see small crops (the face detector 128x128, the landmarker a 256x256 crop of the
 * face): at 320x240 instead of 640x480 a detection took ~116-146 ms instead of ~170-265 in a call
 * on 2 cores (bench:call), and its poses differed from the full-size ones by 0.024-0.025 on
 * average over the 45 parameters (0..1), where two full-size trackers differ by 0.013-0.014
 * (tracking.test.ts; bench:track --compare-scale 0.5 per parameter), on the talking-head clip,
 * whose face spans 22 % of the frame: ~71 px once halved. A smaller face
 * would lose detail in its crop, so the frame is halved only while the last face seen stays at
 * least MIN_FACE_PX wide after halving; otherwise (and until a face is seen) it goes whole.
 */

/** A face narrower than this (px, in the halved picture) is tracked at full size (the clip above: 71). */
export const MIN_FACE_PX = 64;
/** Frames narrower than this are never halved. */
export const MIN_HALVED_FRAME_WIDTH = 480;

/** Width share (0..1) of the frame the face's landmarks span, or null (no face, no landmarks). */
export function faceWidthShare(landmarks: ReadonlyArray<{ x: number }> | undefined): number | null {
  if (!landmarks || landmarks.length === 0) return null;
  let lo = Infinity, hi = -Infinity;
  for (const p of landmarks) {
    if (!Number.isFinite(p.x)) continue;
    lo = Math.min(lo, p.x);
    hi = Math.max(hi, p.x);
  }
  return hi > lo ? Math.min(1, hi - lo) : null;
}

/** 0.5 to halve a frame `frameWidth` wide, given the width share of the last face seen (null: none); else 1. */
export function trackerInputScale(frameWidth: number, lastFaceShare: number | null): 0.5 | 1 {
  if (!(frameWidth >= MIN_HALVED_FRAME_WIDTH) || lastFaceShare === null) return 1;
  return lastFaceShare * frameWidth * 0.5 >= MIN_FACE_PX ? 0.5 : 1;
}
