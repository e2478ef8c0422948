/**
 * Evaluates code inside the extension's offscreen document over the DevTools protocol (it is not
 * a Playwright page). Used to watch what the document does with the camera from outside it.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { waitFor } from './extension';

export interface OffscreenSession {
  evaluate<T>(expression: string): Promise<T>;
  /** Sends any DevTools command to the offscreen document (e.g. HeapProfiler.collectGarbage). */
  send<T>(method: string, params?: object): Promise<T>;
  detach(): Promise<void>;
}

export async function attachOffscreen(context: BrowserContext, anyPage: Page): Promise<OffscreenSession> {
  const cdp: CDPSession = await context.newCDPSession(anyPage);
  const target = await waitFor(
    async () => ((await cdp.send('Target.getTargets')).targetInfos as { targetId: string; url: string }[]).find((t) => t.url.includes('/src/offscreen/index.html')),
    'the offscreen document',
    20_000,
  );
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 1;
  type Reply = { result?: { result?: { value?: unknown }; exceptionDetails?: unknown }; error?: unknown };
  const pending = new Map<number, (m: Reply) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number };
    if (m.id !== undefined) pending.get(m.id)?.(m as never);
  });
  const send = (method: string, params: object = {}): Promise<Reply> => {
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      pending.set(id, (m) => {
        pending.delete(id);
        if (m.error) reject(new Error(JSON.stringify(m.error)));
        else resolve(m);
      });
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  };
  return {
    async evaluate<T>(expression: string): Promise<T> {
      const m = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (m.result?.exceptionDetails) throw new Error(JSON.stringify(m.result.exceptionDetails));
      return m.result?.result?.value as T;
    },
    send: async <T>(method: string, params?: object) => (await send(method, params)).result as T,
    detach: () => cdp.detach().catch(() => undefined),
  };
}
