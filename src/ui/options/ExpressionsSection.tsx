/**
 * Expressions: calibration, a few plain-language presets, and under "Advanced" every converter and
 * smoothing number, head strength and face fade.
 */
import { useState } from 'preact/hooks';
import {
  DEFAULT_POSE_DRIVER_SETTINGS,
  EYEBROW_DOWN_MODES,
  HEAD_STRENGTH_RANGE,
  MAX_FACE_FADE_MS,
  ONE_EURO_RANGES,
  WINK_MODES,
  type ConverterSettings,
  type PoseDriverSettings,
} from '../../core/pose';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { RangeField } from '../components/RangeField';
import { calibrateAndTell } from '../lib/background';
import { applyPreset, matchPreset, PRESETS } from '../lib/presets';
import type { UpdateSettings } from '../lib/use-settings';
import { CONVERTER_FIELDS, EYEBROW_MODE_LABELS, SMOOTHING_LABELS, WINK_MODE_LABELS } from './tuning-fields';

interface Props {
  settings: Settings;
  update: UpdateSettings;
}

export function ExpressionsSection({ settings, update }: Props) {
  const pose = settings.pose;
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setPose = (change: (p: PoseDriverSettings) => PoseDriverSettings) => void update((s) => ({ ...s, pose: change(s.pose) }));
  const setConverter = (patch: Partial<ConverterSettings>) => setPose((p) => ({ ...p, converter: { ...p.converter, ...patch } }));
  const setSmoothing = (patch: Partial<PoseDriverSettings['smoothing']>) => setPose((p) => ({ ...p, smoothing: { ...p.smoothing, ...patch } }));

  const onCalibrate = () => calibrateAndTell(setMessage, setError);

  const preset = matchPreset(pose);

  return (
    <section aria-labelledby="tuning-h" class="panel" id="tuning">
      <h2 id="tuning-h">Expressions</h2>
          <div class="row">
            <button type="button" onClick={() => void onCalibrate()}>
              Calibrate neutral face
            </button>
            <button type="button" disabled={!pose.calibration} onClick={() => setPose((p) => ({ ...p, calibration: null }))}>
              Clear calibration
            </button>
            <span class="muted">{pose.calibration ? 'Calibrated.' : 'Not calibrated.'}</span>
          </div>
          {message && <p role="status">{message}</p>}
          <Alert>{error}</Alert>

          <fieldset class="presets">
            <legend>Style</legend>
            {PRESETS.map((p) => (
              <label key={p.id} class="preset">
                <input type="radio" name="preset" id={`preset-${p.id}`} value={p.id} checked={preset === p.id} onChange={() => setPose((cur) => applyPreset(cur, p.id))} aria-describedby={`preset-${p.id}-d`} />
                <span>
                  <strong>{p.label}</strong>
                  <small class="hint" id={`preset-${p.id}-d`}>
                    {p.description}
                  </small>
                </span>
              </label>
            ))}
            {preset === null && <p class="hint" id="preset-custom">Custom: you changed numbers under Advanced. Pick a style to start again from it.</p>}
          </fieldset>

          <details class="advanced" id="tuning-advanced">
          <summary>Advanced: every number</summary>
          <h3>Movement</h3>
          <RangeField
            id="head-strength"
            label="Head movement strength"
            hint="Scales how far the character’s head and body turn with yours."
            value={pose.headStrength}
            min={HEAD_STRENGTH_RANGE[0]}
            max={HEAD_STRENGTH_RANGE[1]}
            step={0.05}
            onCommit={(v) => setPose((p) => ({ ...p, headStrength: v }))}
          />
          <RangeField
            id="face-fade"
            label="Face-lost fade (ms)"
            hint="How gently the character returns to neutral when your face leaves the picture."
            value={pose.faceFadeMs}
            min={0}
            max={MAX_FACE_FADE_MS}
            step={10}
            onCommit={(v) => setPose((p) => ({ ...p, faceFadeMs: v }))}
          />

          <h3>Smoothing</h3>
          <label class="switch">
            <input type="checkbox" id="smoothing-enabled" checked={pose.smoothing.enabled} onChange={(e) => setSmoothing({ enabled: e.currentTarget.checked })} />
            Smooth tracking jitter
          </label>
          {(Object.keys(ONE_EURO_RANGES) as (keyof typeof ONE_EURO_RANGES)[]).map((key) => (
            <RangeField
              key={key}
              id={`smoothing-${key}`}
              label={SMOOTHING_LABELS[key][0]}
              hint={SMOOTHING_LABELS[key][1]}
              value={pose.smoothing[key]}
              min={ONE_EURO_RANGES[key][0]}
              max={ONE_EURO_RANGES[key][1]}
              step={key === 'beta' ? 0.1 : 0.01}
              onCommit={(v) => setSmoothing({ [key]: v })}
            />
          ))}

          <h3>Expressions</h3>
          <div class="field row">
            <label for="eyebrow-mode">Lowered brows look</label>
            <select id="eyebrow-mode" value={pose.converter.eyebrowDownMode} onChange={(e) => setConverter({ eyebrowDownMode: e.currentTarget.value as ConverterSettings['eyebrowDownMode'] })}>
              {EYEBROW_DOWN_MODES.map((m) => (
                <option key={m} value={m}>
                  {EYEBROW_MODE_LABELS[m]}
                </option>
              ))}
            </select>
            <label for="wink-mode">Blink style</label>
            <select id="wink-mode" value={pose.converter.winkMode} onChange={(e) => setConverter({ winkMode: e.currentTarget.value as ConverterSettings['winkMode'] })}>
              {WINK_MODES.map((m) => (
                <option key={m} value={m}>
                  {WINK_MODE_LABELS[m]}
                </option>
              ))}
            </select>
          </div>
          {CONVERTER_FIELDS.map((f) => (
            <RangeField
              key={f.key}
              id={`converter-${f.key}`}
              label={f.label}
              hint={f.hint}
              value={pose.converter[f.key]}
              min={f.range[0]}
              max={f.range[1]}
              step={f.step}
              onCommit={(v) => setConverter({ [f.key]: v })}
            />
          ))}
          <button
            type="button"
            onClick={() => setPose((p) => ({ ...DEFAULT_POSE_DRIVER_SETTINGS, calibration: p.calibration }))}
          >
            Reset expression tuning to defaults
          </button>
          </details>
    </section>
  );
}
