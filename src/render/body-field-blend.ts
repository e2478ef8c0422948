/**
 * Smooths the body morpher's fields between its (infrequent) updates: when new fields arrive, the
 * shown fields glide from where they are now to the new ones over about one update interval, so
 * the body moves continuously instead of jumping a few times a second. The price is lag: the body
 * shows a pose up to one interval after its fields were computed. With a held pose the blend
 * settles on the newest fields exactly (no approximation left once the glide ends).
 */
import type { BodyFields } from './split-renderer';

const MIN_SPAN_MS = 30;
const MAX_SPAN_MS = 1000;

function lerpInto(out: Float32Array, a: Float32Array, b: Float32Array, w: number): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + w * (b[i] - a[i]);
}

function cloneFields(f: BodyFields): BodyFields {
  return { grid: f.grid.slice(), alpha: f.alpha.slice(), colorChange: f.colorChange.slice() };
}

export class BodyFieldBlend {
  private from: BodyFields | null = null;
  private to: BodyFields | null = null;
  private toAt = 0;
  private span = MIN_SPAN_MS;
  private out: BodyFields | null = null;

  get ready(): boolean {
    return this.to !== null;
  }

  /** New fields computed by the body morpher, arriving at `now` (ms). */
  push(fields: BodyFields, now: number): void {
    if (!this.to) {
      this.to = fields;
      this.from = fields;
      this.toAt = now;
      return;
    }
    // Start the glide from what is shown now, so a new target never makes the body jump.
    this.from = cloneFields(this.at(now));
    this.span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, now - this.toAt));
    this.to = fields;
    this.toAt = now;
  }

  /** Fields to use for a frame shown at `now`. Valid until the next call. */
  at(now: number): BodyFields {
    const to = this.to;
    const from = this.from;
    if (!to || !from) throw new Error('no body fields yet');
    const w = (now - this.toAt) / this.span;
    if (w >= 1 || from === to) return to;
    const wc = Math.max(0, w);
    const out = (this.out ??= cloneFields(to));
    lerpInto(out.grid, from.grid, to.grid, wc);
    lerpInto(out.alpha, from.alpha, to.alpha, wc);
    lerpInto(out.colorChange, from.colorChange, to.colorChange, wc);
    return out;
  }
}
