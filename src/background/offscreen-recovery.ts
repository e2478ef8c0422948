/**
 * The offscreen document closed or crashed while calls hold AnimeCam tracks. The pages keep their
 * tracks (they repeat the last frame meanwhile, see src/page/source-feed.ts); the service worker
 * makes a new document and sends every open track a new offer for the same request, which the
 * page answers on a new connection. It learns of the loss from its watch port on the document
 * (at once, while the worker runs) or from a page whose frames stopped (after a worker restart,
 * or when the worker died with the document's process).
 */
import type { Consumer } from './consumers';

export interface RecoveryDeps {
  /** Whether the offscreen document exists now. */
  exists(): Promise<boolean>;
  /** The open tracks. */
  consumers(): Consumer[];
  /** Opens the track in the (new) document and sends its page the new offer. */
  reopen(c: Consumer): Promise<void>;
  /** Ends a track that cannot be offered again (extension-page previews). */
  close(c: Consumer, reason: string): Promise<void>;
  log(level: 'info' | 'warn' | 'error', event: string, detail?: unknown): void;
  now(): number;
}

/** A track re-offered this recently is still connecting: a page's loss report for it is not news. */
export const REOFFER_GRACE_MS = 8000;

export type LostOutcome = 'unknown' | 'rebuilt' | 'reoffered' | 'pending';

export interface Recovery {
  /** The watch port dropped (or the worker started with tracks open): rebuild if the document is gone. */
  documentMayBeGone(why: string): Promise<boolean>;
  /** A page's track stopped receiving frames. */
  trackLost(id: string): Promise<LostOutcome>;
}

export function createRecovery(d: RecoveryDeps): Recovery {
  let running: Promise<void> | null = null;
  const offeredAt = new Map<string, number>();

  async function reopen(c: Consumer): Promise<void> {
    offeredAt.set(c.id, d.now());
    try {
      await d.reopen(c);
    } catch (e) {
      d.log('error', 'could not offer a track again', { id: c.id, error: String(e) });
    }
  }

  function rebuild(why: string): Promise<void> {
    running ??= (async () => {
      const open = d.consumers();
      d.log('warn', 'offscreen document gone: rebuilding the open tracks', { why, tracks: open.length });
      for (const c of open) {
        // A preview's page opens its own preview again; a call's track must survive.
        if (c.previewId !== undefined) await d.close(c, 'AnimeCam restarted').catch(() => undefined);
        else await reopen(c);
      }
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    async documentMayBeGone(why) {
      if (running) {
        await running;
        return true;
      }
      if (d.consumers().length === 0 || (await d.exists())) return false;
      await rebuild(why);
      return true;
    },
    async trackLost(id) {
      if (running) await running;
      const c = d.consumers().find((x) => x.id === id);
      if (!c) return 'unknown';
      if (!(await d.exists())) {
        await rebuild('a page stopped receiving frames');
        return 'rebuilt';
      }
      const at = offeredAt.get(id);
      if (!c.answered || (at !== undefined && d.now() - at < REOFFER_GRACE_MS)) return 'pending';
      // The document lives but this connection delivers nothing: offer it again alone.
      d.log('warn', 'a track stopped receiving frames: offering it again', { id });
      await reopen(c);
      return 'reoffered';
    },
  };
}

/**
 * Holds a port to the offscreen document (it listens for OFFSCREEN_WATCH_PORT): `onDrop` runs when
 * the document closes or its process dies, or at once when there is no document. An open port
 * does not keep the worker alive; after a worker restart it is opened again.
 */
export function createWatch(connect: () => { onDisconnect: { addListener(f: () => void): void } }, onDrop: () => void): () => void {
  let open = false;
  return () => {
    if (open) return;
    open = true;
    try {
      connect().onDisconnect.addListener(() => {
        open = false;
        onDrop();
      });
    } catch {
      open = false;
    }
  };
}
