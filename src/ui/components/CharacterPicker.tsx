/** Radio group of library characters with thumbnails; choosing one stores settings.characterId. */
import type { LibraryEntry } from '../lib/use-library';

interface Props {
  entries: LibraryEntry[];
  /** The stored choice; null means the first character. */
  selectedId: string | null;
  onSelect: (id: string) => void;
  name: string;
}

export function effectiveCharacterId(entries: LibraryEntry[], selectedId: string | null): string | null {
  return entries.find((e) => e.id === selectedId)?.id ?? entries[0]?.id ?? null;
}

export function CharacterPicker({ entries, selectedId, onSelect, name }: Props) {
  const current = effectiveCharacterId(entries, selectedId);
  return (
    <fieldset class="picker">
      <legend>Character</legend>
      {entries.map((c) => (
        <label class="pick" key={c.id}>
          <input type="radio" name={name} value={c.id} checked={c.id === current} onChange={() => onSelect(c.id)} />
          <img src={c.thumbnailUrl} alt="" width={48} height={48} />
          <span>{c.name}</span>
        </label>
      ))}
    </fieldset>
  );
}
