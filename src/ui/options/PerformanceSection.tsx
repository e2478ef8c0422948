/**
 * Performance: what the pipeline reports (renderer, picture size, frame rates, processing time)
 * and the trade between picture size and smoothness (the render size setting).
 */
import type { PipelineStatus } from '../../shared/messages';
import type { Settings } from '../../shared/settings';
import { StatusSummary } from '../components/StatusSummary';
import { pipelineLatencyMs } from '../lib/diagnosis';
import { formatMs } from '../lib/format';
import type { UpdateSettings } from '../lib/use-settings';

const RENDER_SIZES: readonly [number, string][] = [
  [128, 'smoothest, least detail'],
  [192, 'smoother'],
  [256, 'balanced'],
  [384, 'sharper'],
  [512, 'sharpest; needs a fast graphics card'],
];

interface Props {
  settings: Settings;
  update: UpdateSettings;
  status: PipelineStatus | null;
  loaded: boolean;
}

export function PerformanceSection({ settings, update, status, loaded }: Props) {
  const latency = pipelineLatencyMs(status);
  return (
    <section aria-labelledby="perf-h" class="panel" id="performance">
      <h2 id="perf-h">Performance</h2>
      {!status?.running && <p class="muted">AnimeCam is not running now. Its figures appear here while a call or the live preview uses it.</p>}
      {status?.running && (
        <dl class="figures" data-testid="performance-figures">
          <div>
            <dt>Renderer</dt>
            <dd>{status.backend === 'webgpu' ? 'Graphics card (WebGPU)' : status.backend === 'wasm' ? 'Processor (WASM)' : 'starting…'}</dd>
          </div>
          <div>
            <dt>Picture size</dt>
            <dd>
              {status.renderSize ? `${status.renderSize} × ${status.renderSize}` : '—'}
              {/* On the graphics card at the automatic size the picture size follows the frame times. */}
              {status.backend === 'webgpu' && /adapted/.test(status.backendNote ?? '') && <span class="muted"> (adapted to hold the frame rate)</span>}
            </dd>
          </div>
          <div>
            <dt>Smoothness</dt>
            <dd>{status.running ? `${status.renderFps.toFixed(0)} fps drawn, ${status.outputFps.toFixed(0)} new pictures/s sent (calls get the camera's rate)` : 'stopped'}</dd>
          </div>
          <div>
            <dt>Delay</dt>
            <dd title="From a camera frame to the finished picture (median), before the call encodes it">{formatMs(latency)}</dd>
          </div>
          <div>
            <dt>Camera</dt>
            <dd>{status.camera === 'on' ? (status.faceFound ? 'on, face found' : 'on, no face') : status.camera}</dd>
          </div>
        </dl>
      )}
      {status?.running && status.backend === 'webgpu' && status.backendNote && <p class="hint" data-testid="renderer-reason">Why: {status.backendNote}</p>}
      <StatusSummary status={status} loaded={loaded} show="alerts" />
      <div class="field row">
        <label for="render-size">Picture size</label>
        <select
          id="render-size"
          aria-describedby="render-size-hint"
          value={String(settings.renderSize)}
          onChange={(e) => {
            const v = e.currentTarget.value;
            void update((s) => ({ ...s, renderSize: v === 'auto' ? 'auto' : Number(v) }));
          }}
        >
          <option value="auto">Automatic (by graphics speed)</option>
          {RENDER_SIZES.map(([n, words]) => (
            <option key={n} value={String(n)}>
              {n} × {n}: {words}
            </option>
          ))}
        </select>
      </div>
      <p class="hint" id="render-size-hint">
        A smaller picture is drawn faster, so the character moves more smoothly; the call scales it up.
      </p>
      <div class="field row">
        <label for="render-backend">Renderer</label>
        <select
          id="render-backend"
          value={settings.renderBackend}
          onChange={(e) => {
            const v = e.currentTarget.value;
            void update((s) => ({ ...s, renderBackend: v === 'webgpu' || v === 'wasm' ? v : 'auto' }));
          }}
        >
          <option value="auto">Automatic (WebGPU when available)</option>
          <option value="webgpu">WebGPU (graphics card)</option>
          <option value="wasm">WASM (processor; slower)</option>
        </select>
      </div>
    </section>
  );
}
