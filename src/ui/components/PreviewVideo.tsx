/** Shows what calls see, through a preview connection opened for as long as this is mounted. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { startPreview, type PreviewHandle } from '../lib/preview';

interface Props {
  width: number;
  height: number;
  label?: string;
}

export function PreviewVideo({ width, height, label = 'Preview of what the call sees' }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const [note, setNote] = useState<string | null>('Starting preview…');
  useEffect(() => {
    let handle: PreviewHandle | null = null;
    let cancelled = false;
    const el = video.current;
    if (!el) return;
    startPreview(el, { width, height, frameRate: 30 }).then(
      (h) => {
        if (cancelled) h.close();
        else {
          handle = h;
          setNote(null);
        }
      },
      (e: unknown) => !cancelled && setNote(`Preview unavailable: ${e instanceof Error ? e.message : String(e)}`),
    );
    const onUnload = () => handle?.close();
    window.addEventListener('pagehide', onUnload);
    return () => {
      cancelled = true;
      window.removeEventListener('pagehide', onUnload);
      handle?.close();
    };
  }, [width, height]);
  return (
    <figure class="preview">
      <video ref={video} muted playsInline autoplay aria-label={label} width={width} height={height} />
      {note && <figcaption class="muted">{note}</figcaption>}
    </figure>
  );
}
