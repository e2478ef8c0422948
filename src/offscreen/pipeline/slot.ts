/**
 * A part that loads slowly and may fail (the face tracker, the character renderer): one place that
 * loads it, replaces it when it fails, and disposes the one it replaced. Loads run one at a time,
 * in order; the old part keeps serving until its successor is ready, so frames never wait on a load.
 */
export interface SlotOptions<T> {
  /** For log lines ("face tracker", "renderer"). */
  name: string;
  /** Makes a new part; null means "nothing to load" (e.g. no character in the library). */
  create(): Promise<T | null>;
  dispose(part: T): void | Promise<void>;
  /** A promise that settles when the part dies on its own (a lost GPU device): it is then replaced. */
  watch?(part: T): Promise<unknown> | undefined;
}

export class Slot<T> {
  private _current: T | null = null;
  private _error: string | undefined;
  private _absent = false;
  private loading: Promise<void> | null = null;
  private disposed = false;
  private replacing: T | null = null;
  private loadToken: object | null = null;

  constructor(private opts: SlotOptions<T>) {}

  /** The part in service, or null (not loaded yet, nothing to load, or it failed to load). */
  get current(): T | null {
    return this._current;
  }

  /** Why the last load failed (cleared when a load starts). */
  get error(): string | undefined {
    return this._error;
  }

  /** The last load finished with nothing to load. */
  get absent(): boolean {
    return this._absent;
  }

  get isLoading(): boolean {
    return this.loading !== null;
  }

  /** Loads once if nothing is loaded or loading. */
  ensure(): Promise<void> {
    if (this._current || this.loading) return this.loading ?? Promise.resolve();
    return this.load();
  }

  /** Loads a new part after any load in progress, swaps it in and disposes the old one. */
  load(): Promise<void> {
    const previous = this.loading;
    const token = {};
    this.loadToken = token;
    const run: Promise<void> = (async () => {
      await previous?.catch(() => undefined);
      if (this.disposed) return;
      const old = this._current;
      let next: T | null = null;
      try {
        this._error = undefined;
        this._absent = false;
        next = await this.opts.create();
        if (this.disposed) {
          if (next) await this.opts.dispose(next);
          return;
        }
        this._current = next;
        this._absent = next === null;
        if (next) {
          const part = next;
          void this.opts.watch?.(part)?.then(
            () => this.replace(part, 'it stopped working'),
            () => this.replace(part, 'it stopped working'),
          );
        }
      } catch (e) {
        this._current = null;
        this._absent = false;
        this._error = e instanceof Error ? e.message : String(e);
        console.error(`[AnimeCam:offscreen] ${this.opts.name} could not be loaded:`, e);
      } finally {
        if (old && old !== this._current) await Promise.resolve(this.opts.dispose(old)).catch(() => undefined);
        if (this.loadToken === token) {
          this.loading = null;
          this.replacing = null;
        }
      }
    })();
    this.loading = run;
    return run;
  }

  /** `part` failed: if it is still the one in service, load a replacement (it is disposed after). */
  replace(part: T, why: string): Promise<void> {
    if (this._current !== part || this.disposed) return Promise.resolve();
    // One replacement per failed part, however many frames fail before it is ready.
    if (this.replacing === part && this.loading) return this.loading;
    this.replacing = part;
    console.warn(`[AnimeCam:offscreen] replacing the ${this.opts.name}: ${why}`);
    return this.load();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.loading?.catch(() => undefined);
    const part = this._current;
    this._current = null;
    if (part) await this.opts.dispose(part);
  }
}
