/** Picks MediaPipe's delegate from measured per-frame times (software GPUs make "GPU" far slower). */
export type Delegate = 'CPU' | 'GPU';

export interface DelegateTiming {
  delegate: Delegate;
  /** Median ms per detection after warm-up, or null when the delegate could not run. */
  medianMs: number | null;
  error?: string;
}

export interface DelegateChoice {
  delegate: Delegate;
  reason: string;
  timings: DelegateTiming[];
}

/**
 * GPU must be clearly faster (by `margin`) to win: it costs a WebGL context and readbacks, so on
 * a tie the CPU path is the safer one. Falls back to whichever delegate ran at all.
 */
export function chooseDelegate(timings: DelegateTiming[], margin = 0.9): DelegateChoice {
  const cpu = timings.find((t) => t.delegate === 'CPU');
  const gpu = timings.find((t) => t.delegate === 'GPU');
  const fmt = (t: DelegateTiming | undefined) =>
    !t ? 'not tried' : t.medianMs === null ? (t.error ?? 'failed') : `${t.medianMs.toFixed(1)} ms`;
  const summary = `CPU ${fmt(cpu)}, GPU ${fmt(gpu)}`;
  const cpuMs = cpu?.medianMs ?? null;
  const gpuMs = gpu?.medianMs ?? null;
  if (gpuMs !== null && (cpuMs === null || gpuMs < cpuMs * margin)) {
    return { delegate: 'GPU', reason: cpuMs === null ? `only GPU measured: ${summary}` : `GPU is faster: ${summary}`, timings };
  }
  if (cpuMs === null && gpuMs === null) return { delegate: 'CPU', reason: `neither delegate ran: ${summary}`, timings };
  return { delegate: 'CPU', reason: gpuMs === null ? `only CPU measured: ${summary}` : `CPU is faster: ${summary}`, timings };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
