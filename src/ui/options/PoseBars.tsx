/** The 45 pose values last sent to the renderer, as labelled bars (signed ones grow from the middle). */
import { POSE_PARAMETER_NAMES, poseParamRange } from '../../core/pose';

export function PoseBars({ pose }: { pose: readonly number[] | undefined }) {
  if (!pose) return <p class="muted">Pose values appear while AnimeCam is tracking a face.</p>;
  return (
    <ul class="pose-bars" aria-label="Pose values">
      {POSE_PARAMETER_NAMES.map((name, i) => {
        const { min, max } = poseParamRange(i);
        const v = pose[i] ?? 0;
        const signed = min < 0;
        const share = Math.min(1, Math.abs(v) / (signed ? max : max - min));
        const style = signed
          ? { left: v >= 0 ? '50%' : `${50 - share * 50}%`, width: `${share * 50}%` }
          : { left: '0', width: `${share * 100}%` };
        return (
          <li key={name} class="pose-bar">
            <span class="pose-name">{name}</span>
            <span class="pose-track" role="meter" aria-label={name} aria-valuemin={min} aria-valuemax={max} aria-valuenow={Number(v.toFixed(3))}>
              <span class="pose-fill" style={style} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}
