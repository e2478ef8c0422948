/**
 * Beside the tuning controls: the rendered character and the 45 pose values. The preview opens
 * the camera, so it starts only when asked, not whenever the options page is opened.
 */
import { useState } from 'preact/hooks';
import { PreviewVideo } from '../components/PreviewVideo';
import { StatusSummary } from '../components/StatusSummary';
import { useStatus } from '../lib/use-status';
import { PoseBars } from './PoseBars';

export function LivePanel() {
  const { status, loaded } = useStatus();
  const [previewOn, setPreviewOn] = useState(false);
  return (
    <div class="tuning-live">
      <button type="button" id="preview-toggle" aria-pressed={previewOn} onClick={() => setPreviewOn((v) => !v)}>
        {previewOn ? 'Stop live preview' : 'Start live preview'}
      </button>
      {previewOn && <PreviewVideo width={256} height={192} label="Live preview of the character" />}
      <StatusSummary status={status} loaded={loaded} />
      <PoseBars pose={status?.pose} />
    </div>
  );
}
