/**
 * The GPU compositor's per-frame numbers, pure (unit-tested): where the background image and the
 * character go (the same maths as the 2D compositor, compositor.ts) and the uniform block the
 * render pass reads. Layout (WGSL `Composite` in gpu-compositor.ts), five vec4s, 80 bytes:
 *   0  size:   width, height, background mode (0 colour, 1 image), card on (0/1)
 *   16 colour: background colour, sRGB in [0, 1], alpha 1
 *   32 image:  background image rect in pixels: x, y, width, height
 *   48 figure: character rect in pixels: x, y, size, character on (0/1)
 *   64 stamp:  u32 stamp, u32 pose stamp, stamps on (0/1), 0
 */
import type { Framing } from '../../shared/settings';
import { characterRect, STAMP_BITS } from '../pipeline/compositor';

export const UNIFORM_BYTES = 80;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The image scaled to cover the w x h frame, centred (what compositor.ts's drawCover does). */
export function coverRect(iw: number, ih: number, w: number, h: number): Rect {
  const s = Math.max(w / iw, h / ih);
  return { x: (w - iw * s) / 2, y: (h - ih * s) / 2, w: iw * s, h: ih * s };
}

/** "#rrggbb" as sRGB in [0, 1] (what the 2D canvas fills with); anything else is black. */
export function parseHexColor(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return [0, 0, 0];
  return [parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255];
}

export interface CompositeParams {
  width: number;
  height: number;
  /** The background colour (also the image's fallback). */
  color: string;
  /** The background image's size, when an image is shown. */
  image: { width: number; height: number } | null;
  framing: Framing;
  character: boolean;
  card: boolean;
  stamps: { stamp: number; poseStamp: number } | null;
}

export function packUniforms(p: CompositeParams, out = new ArrayBuffer(UNIFORM_BYTES)): ArrayBuffer {
  const f = new Float32Array(out);
  const u = new Uint32Array(out);
  f.set([p.width, p.height, p.image ? 1 : 0, p.card ? 1 : 0], 0);
  f.set([...parseHexColor(p.color), 1], 4);
  const img = p.image ? coverRect(p.image.width, p.image.height, p.width, p.height) : { x: 0, y: 0, w: 1, h: 1 };
  f.set([img.x, img.y, img.w, img.h], 8);
  const r = characterRect(p.width, p.height, p.framing);
  f.set([r.x, r.y, r.size, p.character ? 1 : 0], 12);
  // The 2D compositor draws the low 24 bits of the whole milliseconds.
  const bits = (t: number) => (Math.floor(t) & ((1 << STAMP_BITS) - 1)) >>> 0;
  u.set(p.stamps ? [bits(p.stamps.stamp), bits(p.stamps.poseStamp), 1, 0] : [0, 0, 0, 0], 16);
  return out;
}
