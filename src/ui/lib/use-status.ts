/** Polls the pipeline status about once a second while the page is open. */
import { useEffect, useState } from 'preact/hooks';
import type { PipelineStatus } from '../../shared/messages';
import { fetchStatus } from './background';

export interface StatusState {
  status: PipelineStatus | null;
  /** False until the first answer (or non-answer) arrived. */
  loaded: boolean;
}

export function useStatus(intervalMs = 1000): StatusState {
  const [state, setState] = useState<StatusState>({ status: null, loaded: false });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const status = await fetchStatus();
      if (stopped) return;
      setState({ status, loaded: true });
      timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs]);
  return state;
}
