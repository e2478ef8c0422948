/** When a consumer sends: only a changed picture, a keep-alive, and never above the track's rate. */
import { describe, expect, it } from 'vitest';
import type { Scene } from './compositor';
import { KEEP_ALIVE_MS, pictureChanged, SendGate, type Shown } from './send-policy';

const still = { still: 1 } as unknown as CanvasImageSource;
const canvas = { canvas: 1 } as unknown as CanvasImageSource;
const scene = (o: Partial<Scene> = {}): Scene => ({
  background: { kind: 'color', color: '#3a6b8c' },
  framing: { scale: 0.9, offsetX: 0, offsetY: 0.05 },
  character: canvas,
  characterVersion: 1,
  card: null,
  ...o,
});
const shown = (s: Scene, width = 1280, height = 720): Shown => ({ scene: s, width, height });

describe('pictureChanged', () => {
  it('is false for the same picture, whatever the per-tick stamp says', () => {
    expect(pictureChanged(shown(scene({ stamp: 1, poseStamp: 7 })), shown(scene({ stamp: 2, poseStamp: 7 })))).toBe(false);
    // A fresh but equal framing and colour object is the same picture.
    expect(pictureChanged(shown(scene()), shown(scene({ framing: { scale: 0.9, offsetX: 0, offsetY: 0.05 } })))).toBe(false);
  });

  it('is true for each thing the picture shows', () => {
    const base = shown(scene());
    const bg = { kind: 'image' as const, image: still, fallback: '#000' };
    const changes: Shown[] = [
      shown(scene({ characterVersion: 2 })), // a new frame in the same canvas
      shown(scene({ character: still })),
      shown(scene({ card: 'AnimeCam is starting…' })),
      shown(scene({ framing: { scale: 0.8, offsetX: 0, offsetY: 0.05 } })),
      shown(scene({ framing: { scale: 0.9, offsetX: 0.1, offsetY: 0.05 } })),
      shown(scene({ background: { kind: 'color', color: '#000000' } })),
      shown(scene({ background: bg })),
      shown(scene({ poseStamp: 5 })), // bench: the pose behind the picture
      shown(scene(), 640, 360),
    ];
    for (const c of changes) expect(pictureChanged(base, c)).toBe(true);
    expect(pictureChanged(shown(scene({ background: bg })), shown(scene({ background: { ...bg, image: canvas } })))).toBe(true);
    expect(pictureChanged(shown(scene({ background: bg })), shown(scene({ background: { ...bg } })))).toBe(false);
  });
});

describe('SendGate', () => {
  const frame = 1e6 / 30;

  it('sends the first picture, then only changes and a keep-alive', () => {
    const g = new SendGate();
    const a = shown(scene());
    expect(g.due(0, a, 30)).toBe(true);
    g.sent(0, a);
    let sent = 1;
    // 3 s of ticks at 30 fps with the same picture: keep-alives only.
    for (let i = 1; i <= 90; i++) {
      const us = Math.round(i * frame);
      if (g.due(us, shown(scene({ stamp: i })), 30)) {
        g.sent(us, a);
        sent++;
      }
    }
    expect(sent).toBeGreaterThanOrEqual(3000 / KEEP_ALIVE_MS - 1);
    expect(sent).toBeLessThanOrEqual(3000 / KEEP_ALIVE_MS + 1);
    // A new picture goes at the next tick.
    expect(g.due(Math.round(91 * frame), shown(scene({ characterVersion: 2 })), 30)).toBe(true);
  });

  it('never sends above the track frame rate; a change waits for the next allowed tick', () => {
    const g = new SendGate();
    g.sent(0, shown(scene()));
    const next = shown(scene({ characterVersion: 2 }));
    expect(g.due(0.7 * (1e6 / 15), next, 15)).toBe(false);
    expect(g.due(1e6 / 15, next, 15)).toBe(true);
    // At 30 fps, a tick a little early (camera jitter) still counts.
    expect(g.due(0.85 * frame, next, 30)).toBe(true);
  });

  it('holds an unchanged picture until the keep-alive, measured from the last frame sent', () => {
    const g = new SendGate();
    const a = shown(scene());
    g.sent(1_000_000, a);
    expect(g.due(1_000_000 + KEEP_ALIVE_MS * 1000 - 1, shown(scene()), 30)).toBe(false);
    expect(g.due(1_000_000 + KEEP_ALIVE_MS * 1000, shown(scene()), 30)).toBe(true);
  });
});
