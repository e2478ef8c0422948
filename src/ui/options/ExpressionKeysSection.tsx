/** Expression keys: how long a shortcut shows its expression, and custom expressions saved from the live pose. */
import { useState } from 'preact/hooks';
import { CUSTOM_EXPRESSIONS, EXPRESSION_LABELS } from '../../core/pose/expressions';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { ExpressionButtons } from '../components/ExpressionButtons';
import { RangeField } from '../components/RangeField';
import { fetchStatus } from '../lib/background';
import type { UpdateSettings } from '../lib/use-settings';

interface Props {
  settings: Settings;
  update: UpdateSettings;
}

export function ExpressionKeysSection({ settings, update }: Props) {
  const [error, setError] = useState<string | null>(null);
  const ex = settings.expressions;

  const save = async (id: (typeof CUSTOM_EXPRESSIONS)[number]) => {
    setError(null);
    const pose = (await fetchStatus())?.pose;
    if (!pose || pose.length !== 45) {
      setError('No live pose to save: start a call or the preview first, then make the face you want.');
      return;
    }
    const name = ex.custom[id]?.name ?? EXPRESSION_LABELS[id];
    await update((s) => ({ ...s, expressions: { ...s.expressions, custom: { ...s.expressions.custom, [id]: { name, pose } } } }));
  };
  const remove = (id: (typeof CUSTOM_EXPRESSIONS)[number]) =>
    void update((s) => {
      const custom = { ...s.expressions.custom };
      delete custom[id];
      return { ...s, expressions: { ...s.expressions, custom } };
    });
  const rename = (id: (typeof CUSTOM_EXPRESSIONS)[number], name: string) =>
    void update((s) => {
      const current = s.expressions.custom[id];
      return current ? { ...s, expressions: { ...s.expressions, custom: { ...s.expressions.custom, [id]: { ...current, name } } } } : s;
    });

  return (
    <section aria-labelledby="expr-h" class="panel" id="expression-keys">
      <h2 id="expr-h">Expression keys</h2>
      <p class="muted">
        Show an expression on top of your tracked face: hold a button here or in the popup, or press its keyboard shortcut (listed
        below). Chrome reports key presses, not releases: a press shows the expression for the time below, holding the key keeps it
        up, and pressing it again puts it away.
      </p>
      <ExpressionButtons expressions={ex} />
      <RangeField
        id="expr-hold"
        label="Shortcut shows the expression for (seconds)"
        value={ex.keyHoldMs / 1000}
        min={0.5}
        max={10}
        step={0.5}
        onCommit={(v) => void update((s) => ({ ...s, expressions: { ...s.expressions, keyHoldMs: Math.round(v * 1000) } }))}
      />
      <h3>Custom expressions</h3>
      <p class="muted">Make a face in front of the camera, then save it: its eyebrows, eyes and mouth shape are kept (the mouth still talks).</p>
      <Alert>{error}</Alert>
      <ul class="custom-expressions">
        {CUSTOM_EXPRESSIONS.map((id) => (
          <li key={id} class="row">
            {ex.custom[id] ? (
              <input type="text" aria-label={`Name of ${EXPRESSION_LABELS[id]}`} value={ex.custom[id]!.name} maxLength={40} onChange={(e) => rename(id, e.currentTarget.value)} />
            ) : (
              <span class="muted">{EXPRESSION_LABELS[id]}: empty</span>
            )}
            <button type="button" data-save-expression={id} onClick={() => void save(id)}>
              Save the live face
            </button>
            {ex.custom[id] && (
              <button type="button" onClick={() => remove(id)}>
                Delete
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
