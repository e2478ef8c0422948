/**
 * Beside the Look and Expressions controls: the picture the call sees and the 45 pose values.
 * The preview opens the camera, so it starts only when asked, not whenever the page is opened.
 */
import { useState } from 'preact/hooks';
import type { PipelineStatus } from '../../shared/messages';
import { PreviewVideo } from '../components/PreviewVideo';
import { diagnose } from '../lib/diagnosis';
import { PoseBars } from './PoseBars';

export function LivePanel({ status, characterCount }: { status: PipelineStatus | null; characterCount: number | null }) {
  const [previewOn, setPreviewOn] = useState(false);
  const problem = previewOn ? diagnose(status, characterCount) : null;
  return (
    <aside class="live-panel" aria-labelledby="live-h">
      <h2 id="live-h" class="visually-hidden">
        Live preview
      </h2>
      {previewOn ? (
        <PreviewVideo width={256} height={192} label="Live preview of the character" />
      ) : (
        <div class="preview-off">
          <p>See your changes live, as the call will.</p>
        </div>
      )}
      <button type="button" id="preview-toggle" aria-pressed={previewOn} onClick={() => setPreviewOn((v) => !v)}>
        {previewOn ? 'Stop live preview' : 'Start live preview'}
      </button>
      {problem && <p class="problem-line">{problem.text}</p>}
      <details class="pose-details">
        <summary>Pose values</summary>
        <PoseBars pose={status?.pose} />
      </details>
    </aside>
  );
}
