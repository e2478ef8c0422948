/**
 * Evaluates code inside the extension's offscreen document over the DevTools protocol (it is not
 * a Playwright page). Used to watch what the document does with the camera from outside it.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { waitFor } from './extension';

export interface OffscreenSession {
  evaluate<T>(expression: string): Promise<T>;
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
  const pending = new Map<number, (m: { result?: { result?: { value?: unknown }; exceptionDetails?: unknown } ; error?: unknown }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number };
    if (m.id !== undefined) pending.get(m.id)?.(m as never);
  });
  return {
    evaluate<T>(expression: string): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (m) => {
          pending.delete(id);
          if (m.error || m.result?.exceptionDetails) reject(new Error(JSON.stringify(m.error ?? m.result?.exceptionDetails)));
          else resolve(m.result?.result?.value as T);
        });
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true, awaitPromise: true } }) });
      });
    },
    detach: () => cdp.detach().catch(() => undefined),
  };
}
