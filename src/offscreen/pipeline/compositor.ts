/**
 * Frames the square character into the size the page asked for, over the user's background.
 * Before a character is ready (or when it cannot be), a clear card says so: never black.
 */
import type { Framing } from '../../shared/settings';

export interface Scene {
  background: { kind: 'color'; color: string } | { kind: 'image'; image: CanvasImageSource | null; fallback: string };
  framing: Framing;
  /** The character (square, straight alpha), or null. */
  character: CanvasImageSource | null;
  /** Changes whenever `character` holds a new picture (a renderer may draw every frame into one canvas). */
  characterVersion?: number;
  /** A line of text shown on a card (e.g. "AnimeCam is starting…"), or null. */
  card: string | null;
  /** Benchmark only: a time (ms, 24 bits) drawn as black/white blocks in the top-left corner. */
  stamp?: number;
  /** Benchmark only: when the camera frame behind the shown character pose was read (second row). */
  poseStamp?: number;
  /** Most pixels a frame carries to the page (send-size.ts; default: the track's own size). */
  maxSendPixels?: number;
}

export const STAMP_BITS = 24;
export const STAMP_BLOCK = 8;

type Ctx = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** Draws `scene` at w x h; `stampBlock` is the bench stamp's block in these pixels. */
export function composite(ctx: Ctx, w: number, h: number, scene: Scene, stampBlock = STAMP_BLOCK): void {
  const bg = scene.background;
  if (bg.kind === 'image' && bg.image) {
    drawCover(ctx, bg.image, w, h);
  } else {
    ctx.fillStyle = bg.kind === 'color' ? bg.color : bg.fallback;
    ctx.fillRect(0, 0, w, h);
  }
  if (scene.character) {
    const r = characterRect(w, h, scene.framing);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(scene.character, r.x, r.y, r.size, r.size);
  }
  if (scene.card) drawCard(ctx, w, h, scene.card);
  if (scene.stamp !== undefined) drawStamp(ctx, scene.stamp, 0, stampBlock);
  if (scene.poseStamp !== undefined) drawStamp(ctx, scene.poseStamp, 1, stampBlock);
}

function drawStamp(ctx: Ctx, t: number, row: number, block: number): void {
  const v = Math.floor(t) & 0xffffff;
  for (let i = 0; i < STAMP_BITS; i++) {
    ctx.fillStyle = (v >> i) & 1 ? '#ffffff' : '#000000';
    ctx.fillRect(i * block, row * block, block, block);
  }
}

/** Where the square character goes: its height is `scale` frame heights, centred plus offsets. */
export function characterRect(w: number, h: number, f: Framing): { x: number; y: number; size: number } {
  const size = h * f.scale;
  return { x: (0.5 + f.offsetX) * w - size / 2, y: (0.5 + f.offsetY) * h - size / 2, size };
}

function drawCover(ctx: Ctx, img: CanvasImageSource, w: number, h: number): void {
  const iw = (img as { width: number }).width, ih = (img as { height: number }).height;
  const s = Math.max(w / iw, h / ih);
  ctx.drawImage(img, (w - iw * s) / 2, (h - ih * s) / 2, iw * s, ih * s);
}

export function drawCard(ctx: Ctx, w: number, h: number, text: string): void {
  const pad = Math.round(h * 0.04);
  const fontPx = Math.max(12, Math.round(h * 0.045));
  ctx.font = `600 ${fontPx}px system-ui, sans-serif`;
  const tw = Math.min(w - 2 * pad, ctx.measureText(text).width + 2 * pad);
  const bh = fontPx + 2 * pad;
  const x = (w - tw) / 2, y = h - bh - pad;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(x, y, tw, bh);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, w / 2, y + bh / 2, w - 4 * pad);
}
