/** Look: background and framing of the picture the call sees (the live preview sits beside it). */
import { useState } from 'preact/hooks';
import { putBackground } from '../../shared/character-store';
import type { Settings } from '../../shared/settings';
import { Alert } from '../components/Alert';
import { RangeField } from '../components/RangeField';
import type { UpdateSettings } from '../lib/use-settings';

export function LookSection({ settings, update }: { settings: Settings; update: UpdateSettings }) {
  const color = settings.background.kind === 'color' ? settings.background.color : '#3a6b8c';
  const [bgError, setBgError] = useState<string | null>(null);
  const useImage = async (file: File | undefined) => {
    if (!file) return;
    try {
      const imageId = await putBackground(file);
      setBgError(null);
      await update((s) => ({ ...s, background: { kind: 'image', imageId } }));
    } catch (e) {
      setBgError(e instanceof Error ? e.message : String(e));
    }
  };
  const framing = (patch: Partial<Settings['framing']>) => void update((s) => ({ ...s, framing: { ...s.framing, ...patch } }));
  return (
    <section aria-labelledby="look-h" class="panel" id="appearance">
      <h2 id="look-h">Look</h2>
      <div class="field row">
        <label for="bg-color">Background color</label>
        <input type="color" id="bg-color" value={color} onChange={(e) => {
          const c = e.currentTarget.value;
          void update((s) => ({ ...s, background: { kind: 'color', color: c } }));
        }} />
      </div>
      <div class="field row">
        <label for="bg-image">Background image</label>
        <input type="file" id="bg-image" accept="image/png,image/jpeg,image/webp" onChange={(e) => void useImage(e.currentTarget.files?.[0])} />
        {settings.background.kind === 'image' ? (
          <button type="button" onClick={() => void update((s) => ({ ...s, background: { kind: 'color', color } }))}>
            Use the colour instead
          </button>
        ) : null}
      </div>
      {bgError ? <Alert>{bgError}</Alert> : null}
      <RangeField id="framing-scale" label="Character size" hint="Character height as a share of the picture height." value={settings.framing.scale} min={0.3} max={2.5} step={0.05} onCommit={(v) => framing({ scale: v })} />
      <RangeField id="framing-x" label="Horizontal position" value={settings.framing.offsetX} min={-0.5} max={0.5} step={0.01} onCommit={(v) => framing({ offsetX: v })} />
      <RangeField id="framing-y" label="Vertical position" value={settings.framing.offsetY} min={-0.5} max={0.5} step={0.01} onCommit={(v) => framing({ offsetY: v })} />
      <button type="button" onClick={() => void update((s) => ({ ...s, framing: { scale: 1, offsetX: 0, offsetY: 0 } }))}>
        Reset framing
      </button>
    </section>
  );
}
