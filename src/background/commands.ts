/** Keyboard shortcuts (manifest `commands`), dispatched to the service worker's handlers. */

export interface CommandHandlers {
  /** Turn AnimeCam on or off for the active tab's site. */
  'toggle-site': (tab: chrome.tabs.Tab | undefined) => void | Promise<void>;
  /** Capture the current face as the neutral pose. */
  calibrate: (tab: chrome.tabs.Tab | undefined) => void | Promise<void>;
}

export function registerCommands(handlers: CommandHandlers): void {
  chrome.commands.onCommand.addListener((command, tab) => {
    if (command === 'toggle-site' || command === 'calibrate') {
      Promise.resolve(handlers[command](tab)).catch((e: unknown) => console.warn(`[AnimeCam:commands] ${command} failed: ${String(e)}`));
    }
  });
}
