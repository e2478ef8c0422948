/** Typed requests from the service worker to the offscreen document. */
import browser from 'webextension-polyfill';
import {
  calibrateResponse,
  diagnosticsResponse,
  cameraResult,
  gpuResult,
  offerResponse,
  okResponse,
  pingResponse,
  pipelineStatus,
  tryParse,
  type BackgroundToOffscreen,
  type CalibrateResponse,
  type DiagnosticsResponse,
  type CameraResult,
  type GpuResult,
  type OfferResponse,
  type OkResponse,
  type PingResponse,
  type PipelineStatus,
} from '../shared/messages';
import type { Settings } from '../shared/settings';
import type { Schema } from '../shared/validate';
import { ensureOffscreen, offscreenExists } from './offscreen-lifecycle';

async function request<T>(msg: BackgroundToOffscreen, schema: Schema<T>, create = true): Promise<T> {
  if (create) await ensureOffscreen();
  const reply: unknown = await browser.runtime.sendMessage(msg);
  const parsed = tryParse(schema, reply);
  if (!parsed.ok) throw new Error(`offscreen gave a malformed reply to ${msg.type}: ${parsed.reason}`);
  return parsed.value;
}

type Plan = { width: number; height: number; frameRate: number };
type ExpressionRequest = Omit<Extract<BackgroundToOffscreen, { type: 'background/expression' }>, 'type' | 'target'>;
const T = 'offscreen' as const;

export const offscreen = {
  ping: (id: number): Promise<PingResponse> => request({ type: 'background/ping', target: T, id }, pingResponse),
  openCamera: (deviceId?: string): Promise<CameraResult> => request({ type: 'background/open-camera', target: T, ...(deviceId ? { deviceId } : {}) }, cameraResult),
  closeCamera: (): Promise<CameraResult> => request({ type: 'background/close-camera', target: T }, cameraResult),
  probeGpu: (): Promise<GpuResult> => request({ type: 'background/probe-gpu', target: T }, gpuResult),
  openConsumer: (consumerId: string, plan: Plan, origin?: string | null): Promise<OfferResponse> =>
    request({ type: 'background/open-consumer', target: T, consumerId, ...plan, ...(origin ? { origin } : {}) }, offerResponse),
  expression: (req: ExpressionRequest): Promise<OkResponse> => request({ type: 'background/expression', target: T, ...req }, okResponse, false),
  consumerAnswer: (consumerId: string, sdp: string): Promise<OkResponse> =>
    request({ type: 'background/consumer-answer', target: T, consumerId, sdp }, okResponse, false),
  consumerConstraints: (consumerId: string, plan: Plan): Promise<OkResponse> =>
    request({ type: 'background/consumer-constraints', target: T, consumerId, ...plan }, okResponse, false),
  closeConsumer: (consumerId: string): Promise<OkResponse> => request({ type: 'background/close-consumer', target: T, consumerId }, okResponse, false),
  settings: (settings: Settings): Promise<OkResponse> => request({ type: 'background/settings', target: T, settings }, okResponse, false),
  status: (): Promise<PipelineStatus> => request({ type: 'background/pipeline-status', target: T }, pipelineStatus, false),
  dropGpu: (): Promise<OkResponse> => request({ type: 'background/drop-gpu', target: T }, okResponse, false),
  dropCamera: (): Promise<OkResponse> => request({ type: 'background/drop-camera', target: T }, okResponse, false),
  calibrate: (): Promise<CalibrateResponse> => request({ type: 'background/calibrate', target: T }, calibrateResponse, false),
  diagnostics: (): Promise<DiagnosticsResponse> => request({ type: 'background/diagnostics', target: T }, diagnosticsResponse, false),
  reloadCharacter: (): Promise<OkResponse> => request({ type: 'background/reload-character', target: T }, okResponse, false),
  exists: offscreenExists,
};
