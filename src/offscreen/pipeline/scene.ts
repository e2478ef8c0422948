/**
 * What each outgoing frame shows, decided in one place: the background (colour or the user's
 * image), the character (last rendered frame, else its still picture) and the card explaining
 * why there is no character yet. The compositor draws it.
 */
import type { Settings } from '../../shared/settings';
import type { CameraState } from './camera-source';
import type { Scene } from './compositor';

export const BACKGROUND_FALLBACK = '#3a6b8c';

export interface SceneInput {
  settings: Settings;
  camera: CameraState;
  /** The user's background image, when loaded. */
  backgroundImage: CanvasImageSource | null;
  /** The last frame the renderer in service made (null until its first frame). */
  rendered: CanvasImageSource | null;
  /** Counts the renderer's frames: a new value is a new picture in `rendered`. */
  renderedVersion?: number;
  /** The renderer's still picture, while it has not rendered yet. */
  still: CanvasImageSource | null;
  hasRenderer: boolean;
  characterError: string | undefined;
  /** When the frame was read (drawn as a stamp when settings.stampFrames is on). */
  frameReadAt: number;
  /** When the camera frame behind the shown pose was read (second stamp row). */
  renderedReadAt?: number;
  /** Most pixels a frame carries to the page (render-plan.ts maxSendPixels). */
  maxSendPixels?: number;
}

export function buildScene(i: SceneInput): Scene {
  const bg = i.settings.background;
  let card: string | null = null;
  if (i.camera.state === 'error' && i.camera.error?.kind !== 'missing') card = `AnimeCam cannot use the camera: ${i.camera.error?.message ?? 'error'}`;
  else if (i.characterError) card = i.characterError;
  else if (!i.hasRenderer || !i.rendered) card = 'AnimeCam is starting…';
  return {
    background: bg.kind === 'color' ? bg : { kind: 'image', image: i.backgroundImage, fallback: BACKGROUND_FALLBACK },
    framing: i.settings.framing,
    character: i.rendered ?? i.still,
    characterVersion: i.rendered ? (i.renderedVersion ?? 0) : 0,
    card,
    ...(i.settings.stampFrames ? { stamp: i.frameReadAt, poseStamp: i.renderedReadAt ?? 0 } : {}),
    ...(i.maxSendPixels !== undefined ? { maxSendPixels: i.maxSendPixels } : {}),
  };
}

/** The user's background image, loaded when its id changes; a stale load is closed, not shown. */
export class BackgroundImage {
  private entry: { id: string; image: ImageBitmap | null } | null = null;

  constructor(private load: (id: string) => Promise<ImageBitmap | null>) {}

  get image(): ImageBitmap | null {
    return this.entry?.image ?? null;
  }

  follow(bg: Settings['background']): void {
    if (bg.kind !== 'image' || this.entry?.id === bg.imageId) return;
    const entry: { id: string; image: ImageBitmap | null } = { id: bg.imageId, image: null };
    this.entry = entry;
    this.load(bg.imageId)
      .then((image) => {
        if (this.entry === entry) entry.image = image;
        else image?.close();
      })
      .catch((e) => console.warn('[AnimeCam:offscreen] background image could not be loaded:', e));
  }
}
