export function Popup() {
  return (
    <main style={{ minWidth: '260px', font: '14px system-ui, sans-serif', padding: '12px' }}>
      <h1 style={{ fontSize: '16px', margin: '0 0 8px' }}>AnimeCam</h1>
      <p>Pick "AnimeCam" as your camera in a video call.</p>
      <a href="../options/index.html" target="_blank" rel="noopener">
        Options
      </a>
    </main>
  );
}
