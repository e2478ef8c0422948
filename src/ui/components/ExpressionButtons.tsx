/**
 * Press-and-hold expression buttons. While a button is held the popup re-sends a short "hold"
 * (so an expression never sticks if the popup closes mid-press); letting go releases it.
 */
import { useEffect, useRef } from 'preact/hooks';
import { EXPRESSION_LABELS, type ExpressionId, PRESET_EXPRESSIONS, CUSTOM_EXPRESSIONS } from '../../core/pose/expressions';
import type { ExpressionSettings } from '../../shared/character-life-settings';
import { sendExpression } from '../lib/expressions';

/** Each hold lasts this long unless renewed; renewed every RENEW_MS while the button is down. */
const HOLD_MS = 800;
const RENEW_MS = 300;

interface Props {
  expressions: ExpressionSettings;
}

export function ExpressionButtons({ expressions }: Props) {
  const held = useRef<{ id: ExpressionId; timer: ReturnType<typeof setInterval> } | null>(null);

  const release = () => {
    const h = held.current;
    if (!h) return;
    clearInterval(h.timer);
    held.current = null;
    void sendExpression(h.id, 'release');
  };
  const press = (id: ExpressionId) => {
    release();
    void sendExpression(id, 'hold', HOLD_MS);
    held.current = { id, timer: setInterval(() => void sendExpression(id, 'hold', HOLD_MS), RENEW_MS) };
  };
  useEffect(() => release, []);

  const ids: ExpressionId[] = [...PRESET_EXPRESSIONS, ...CUSTOM_EXPRESSIONS.filter((id) => expressions.custom[id])];
  return (
    <div class="row expression-buttons" role="group" aria-label="Expressions (press and hold)">
      {ids.map((id) => (
        <button
          key={id}
          type="button"
          data-expression={id}
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture?.(e.pointerId);
            press(id);
          }}
          onPointerUp={release}
          onPointerCancel={release}
          onLostPointerCapture={release}
          onKeyDown={(e) => {
            if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) press(id);
          }}
          onKeyUp={(e) => {
            if (e.key === ' ' || e.key === 'Enter') release();
          }}
          onBlur={release}
        >
          {expressions.custom[id as (typeof CUSTOM_EXPRESSIONS)[number]]?.name ?? EXPRESSION_LABELS[id]}
        </button>
      ))}
    </div>
  );
}
