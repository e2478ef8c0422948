import { useEffect, useState } from 'preact/hooks';

interface Props {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  hint?: string;
  /** Called when the user commits a value (release, keyboard step, number entry). */
  onCommit: (v: number) => void;
}

const decimals = (step: number): number => Math.max(0, Math.min(4, Math.ceil(-Math.log10(step))));

/** A labelled slider with its value shown; moves locally while dragging and saves on commit. */
export function RangeField({ id, label, value, min, max, step, hint, onCommit }: Props) {
  const s = step ?? (max - min) / 100;
  const [local, setLocal] = useState(value);
  useEffect(() => setLocal(value), [value]);
  const commit = (raw: string) => {
    const v = Number(raw);
    if (Number.isFinite(v)) onCommit(Math.min(max, Math.max(min, v)));
  };
  return (
    <div class="field range-field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={s}
        value={local}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(e) => setLocal(Number(e.currentTarget.value))}
        onChange={(e) => commit(e.currentTarget.value)}
      />
      <output for={id}>{local.toFixed(decimals(s))}</output>
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}
