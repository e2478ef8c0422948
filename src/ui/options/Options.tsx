export function Options() {
  return (
    <main style={{ maxWidth: '720px', margin: '0 auto', font: '15px system-ui, sans-serif', padding: '16px' }}>
      <h1>AnimeCam options</h1>
      <p>AnimeCam puts you into video calls as an animated character. Everything runs on this computer.</p>
    </main>
  );
}
