/** Typed requests from extension pages to the service worker. */
import browser from 'webextension-polyfill';
import { offerResponse, okResponse, pipelineStatus, tryParse, type OfferResponse, type OkResponse, type PipelineStatus, type UiToBackground } from '../../shared/messages';

async function send(msg: UiToBackground): Promise<unknown> {
  try {
    return await browser.runtime.sendMessage(msg);
  } catch {
    // No listener yet (worker starting) reads the same as "no answer".
    return undefined;
  }
}

/** The pipeline's status, or null when the service worker gave no valid answer. */
export async function fetchStatus(): Promise<PipelineStatus | null> {
  const res = tryParse(pipelineStatus, await send({ type: 'ui/status', target: 'background' }));
  return res.ok ? res.value : null;
}

export async function calibrate(): Promise<OkResponse> {
  const res = tryParse(okResponse, await send({ type: 'ui/calibrate', target: 'background' }));
  return res.ok ? res.value : { ok: false, error: 'AnimeCam did not answer. Is a call or preview running?' };
}

/** What the user is told after calibrating (popup, options and the guided setup say the same). */
export function calibrationOutcome(res: OkResponse): { ok: boolean; text: string } {
  return res.ok
    ? { ok: true, text: 'Calibrated: your current face is now the neutral pose.' }
    : { ok: false, text: `Calibration failed: ${res.error ?? 'no face was seen. Look at the camera and try again.'}` };
}

/** Calibrates, clearing and then setting the caller's message or error line (popup and options). */
export async function calibrateAndTell(setMessage: (text: string | null) => void, setError: (text: string | null) => void): Promise<void> {
  setMessage(null);
  setError(null);
  const outcome = calibrationOutcome(await calibrate());
  (outcome.ok ? setMessage : setError)(outcome.text);
}

export async function openPreview(previewId: string, width: number, height: number, frameRate: number): Promise<OfferResponse> {
  const res = tryParse(offerResponse, await send({ type: 'ui/open-preview', target: 'background', previewId, width, height, frameRate }));
  return res.ok ? res.value : { ok: false, error: { name: 'NoAnswer', message: 'AnimeCam did not answer the preview request.' } };
}

export async function sendPreviewAnswer(previewId: string, sdp: string): Promise<void> {
  await send({ type: 'ui/preview-answer', target: 'background', previewId, sdp });
}

export function closePreview(previewId: string): void {
  void send({ type: 'ui/close-preview', target: 'background', previewId });
}
