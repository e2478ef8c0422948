/** The pipeline at a glance: camera, face, backend, render rate, and its errors as alerts. */
import type { PipelineStatus } from '../../shared/messages';
import { cameraErrorMessage } from '../lib/camera-errors';
import { Alert } from './Alert';

function cameraText(s: PipelineStatus): string {
  if (s.camera === 'on') return s.cameraLabel ? `on (${s.cameraLabel})` : 'on';
  if (s.camera === 'starting') return 'starting…';
  if (s.camera === 'error') return 'error';
  return 'off';
}

interface Props {
  status: PipelineStatus | null;
  loaded: boolean;
  /** false leaves the problems to the caller (the popup's one-line diagnosis). */
  alerts?: boolean;
  /** 'alerts': only the problems, for pages that show the figures themselves. */
  show?: 'all' | 'alerts';
}

export function StatusSummary({ status, loaded, alerts = true, show = 'all' }: Props) {
  if (show === 'alerts') return status ? <Alerts status={status} /> : null;
  if (!loaded) return <p class="muted">Checking AnimeCam…</p>;
  if (!status) return <p class="muted" data-testid="status-idle">AnimeCam is idle. It starts when a call or the preview uses it.</p>;
  return (
    <div class="status" data-testid="status">
      <dl class="status-grid">
        <dt>Camera</dt>
        <dd>{cameraText(status)}</dd>
        <dt>Face</dt>
        <dd>{status.faceFound ? 'found' : 'not found'}</dd>
        <dt>Backend</dt>
        <dd>{status.backend === 'webgpu' ? 'WebGPU' : status.backend === 'wasm' ? 'WASM (slower)' : '—'}</dd>
        <dt>Render</dt>
        <dd>{status.running ? `${status.renderFps.toFixed(0)} fps` : 'stopped'}</dd>
        <dt>Character</dt>
        <dd>{status.character?.name ?? '—'}</dd>
      </dl>
      {alerts && <Alerts status={status} />}
    </div>
  );
}

function Alerts({ status }: { status: PipelineStatus }) {
  return (
    <>
      {status.camera === 'error' && status.cameraError && <Alert>{cameraErrorMessage(status.cameraError.kind, status.cameraError.message)}</Alert>}
      {status.backend === 'wasm' && (
        <Alert>
          WebGPU is not available, so AnimeCam uses its slower WASM fallback (smaller, choppier picture).
          {status.backendNote ? ` Reason: ${status.backendNote}` : ''}
        </Alert>
      )}
      {status.characterError && <Alert>The character could not be loaded: {status.characterError}</Alert>}
    </>
  );
}
