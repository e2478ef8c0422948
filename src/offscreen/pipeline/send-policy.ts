/**
 * When a consumer composites and sends a frame: only when its picture changed (a new character
 * image, background, framing, card text or size), plus a keep-alive so an unchanged picture still
 * reaches the page a few times a second. The page repeats the last frame at the track's own rate
 * (src/page/source-feed.ts), so an unchanged picture costs no composite, readback or encode here.
 * Decided from the Scene, never from pixels. Pure.
 */
import type { Scene } from './compositor';

/** An unchanged picture is still sent this often: the page sees a live input and keeps its hold short. */
export const KEEP_ALIVE_MS = 200;

/** What a sent frame showed: enough to tell whether the next scene draws the same picture. */
export interface Shown {
  scene: Scene;
  width: number;
  height: number;
}

/**
 * True when `next` draws another picture than `prev`. The first stamp row (the tick's read time)
 * is left out: it changes every tick and only describes the frame it is drawn into. The second
 * (the pose's read time) changes with the rendered picture.
 */
export function pictureChanged(prev: Shown, next: Shown): boolean {
  const a = prev.scene, b = next.scene;
  return (
    prev.width !== next.width ||
    prev.height !== next.height ||
    a.character !== b.character ||
    a.characterVersion !== b.characterVersion ||
    a.card !== b.card ||
    a.framing.scale !== b.framing.scale ||
    a.framing.offsetX !== b.framing.offsetX ||
    a.framing.offsetY !== b.framing.offsetY ||
    backgroundChanged(a.background, b.background) ||
    a.poseStamp !== b.poseStamp
  );
}

function backgroundChanged(a: Scene['background'], b: Scene['background']): boolean {
  if (a.kind === 'color' || b.kind === 'color') return a.kind !== b.kind || (a.kind === 'color' && b.kind === 'color' && a.color !== b.color);
  return a.image !== b.image || a.fallback !== b.fallback;
}

/** One consumer's send decisions; times are the ticks' timestamps (µs). */
export class SendGate {
  private last: Shown | null = null;
  private lastUs = -Infinity;

  constructor(private keepAliveMs = KEEP_ALIVE_MS) {}

  /** Should this tick composite and send `next` at `frameRate` (the track's rate caps it)? */
  due(us: number, next: Shown, frameRate: number): boolean {
    const since = us - this.lastUs;
    // A little slack so 30 fps from a 30 fps camera never drops every other frame.
    if (since < (1e6 / frameRate) * 0.8) return false;
    if (since >= this.keepAliveMs * 1000) return true;
    return this.last === null || pictureChanged(this.last, next);
  }

  /** A frame showing `shown` was handed to the track at `us`. */
  sent(us: number, shown: Shown): void {
    this.last = shown;
    this.lastUs = us;
  }
}
