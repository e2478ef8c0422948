/** Expression requests from extension pages (popup buttons) to the pipeline, through the worker. */
import browser from 'webextension-polyfill';
import type { ExpressionId } from '../../core/pose/expressions';
import { okResponse, tryParse, type OkResponse } from '../../shared/messages';

export async function sendExpression(id: ExpressionId, action: 'hold' | 'release' | 'key', holdMs?: number): Promise<OkResponse> {
  try {
    const reply: unknown = await browser.runtime.sendMessage({ type: 'ui/expression', target: 'background', id, action, ...(holdMs !== undefined ? { holdMs } : {}) });
    const res = tryParse(okResponse, reply);
    return res.ok ? res.value : { ok: false, error: 'no answer' };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}
