// Fallback clock while no camera delivers frames: worker timers are not throttled like the
// hidden document's own timers are.
const scope = self as unknown as { onmessage: ((e: MessageEvent<{ fps: number } | null>) => void) | null; postMessage(v: number): void };
let timer: ReturnType<typeof setInterval> | null = null;
scope.onmessage = (e) => {
  if (timer !== null) clearInterval(timer);
  timer = null;
  if (e.data && e.data.fps > 0) timer = setInterval(() => scope.postMessage(performance.now()), 1000 / e.data.fps);
};
