/** The extension's keyboard shortcuts as Chrome has them; changed on chrome://extensions/shortcuts. */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const SHORTCUTS_URL = 'chrome://extensions/shortcuts';

export function ShortcutsSection() {
  const [commands, setCommands] = useState<chrome.commands.Command[] | null>(null);
  useEffect(() => {
    chrome.commands.getAll().then(setCommands, () => setCommands([]));
  }, []);
  return (
    <section aria-labelledby="keys-h" class="panel" id="shortcuts">
      <h2 id="keys-h">Keyboard shortcuts</h2>
      <dl class="status-grid">
        {commands
          ?.filter((c) => c.name && c.description)
          .map((c) => (
            <Fragment key={c.name}>
              <dt>{c.description}</dt>
              <dd>{c.shortcut ? <kbd>{c.shortcut}</kbd> : <span class="muted">not set</span>}</dd>
            </Fragment>
          ))}
      </dl>
      <p>
        {/* Web links cannot open chrome:// pages; the tabs API can. */}
        <a
          href={SHORTCUTS_URL}
          onClick={(e) => {
            e.preventDefault();
            void chrome.tabs.create({ url: SHORTCUTS_URL });
          }}
        >
          Change shortcuts
        </a>{' '}
        (<code>{SHORTCUTS_URL}</code>)
      </p>
    </section>
  );
}
