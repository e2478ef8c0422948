/** Typed requests from the service worker to the offscreen document. */
import browser from 'webextension-polyfill';
import { cameraResult, gpuResult, pingResponse, tryParse, type BackgroundToOffscreen, type CameraResult, type GpuResult, type PingResponse } from '../shared/messages';
import type { Schema } from '../shared/validate';
import { ensureOffscreen } from './offscreen-lifecycle';

async function request<T>(msg: BackgroundToOffscreen, schema: Schema<T>): Promise<T> {
  await ensureOffscreen();
  const reply: unknown = await browser.runtime.sendMessage(msg);
  const parsed = tryParse(schema, reply);
  if (!parsed.ok) throw new Error(`offscreen gave a malformed reply to ${msg.type}: ${parsed.reason}`);
  return parsed.value;
}

export const offscreen = {
  ping: (id: number): Promise<PingResponse> => request({ type: 'background/ping', target: 'offscreen', id }, pingResponse),
  openCamera: (deviceId?: string): Promise<CameraResult> =>
    request({ type: 'background/open-camera', target: 'offscreen', ...(deviceId ? { deviceId } : {}) }, cameraResult),
  closeCamera: (): Promise<CameraResult> => request({ type: 'background/close-camera', target: 'offscreen' }, cameraResult),
  probeGpu: (): Promise<GpuResult> => request({ type: 'background/probe-gpu', target: 'offscreen' }, gpuResult),
};
