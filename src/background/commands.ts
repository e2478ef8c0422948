/** Keyboard shortcuts (manifest `commands`), dispatched to the service worker's handlers. */
import { type ExpressionId, isExpressionId } from '../core/pose/expressions';

export interface CommandHandlers {
  /** Turn AnimeCam on or off for the active tab's site. */
  'toggle-site': (tab: chrome.tabs.Tab | undefined) => void | Promise<void>;
  /** Capture the current face as the neutral pose. */
  calibrate: (tab: chrome.tabs.Tab | undefined) => void | Promise<void>;
  /** Show an expression (commands named `expression-<id>`; Chrome reports presses only). */
  expression: (id: ExpressionId) => void | Promise<void>;
}

const EXPRESSION_PREFIX = 'expression-';

/** Runs the handler of a command by name; false for a name we do not know. */
export function runCommand(handlers: CommandHandlers, command: string, tab?: chrome.tabs.Tab): boolean {
  let run: (() => void | Promise<void>) | null = null;
  if (command === 'toggle-site' || command === 'calibrate') run = () => handlers[command](tab);
  else if (command.startsWith(EXPRESSION_PREFIX)) {
    const id = command.slice(EXPRESSION_PREFIX.length);
    if (isExpressionId(id)) run = () => handlers.expression(id);
  }
  if (!run) return false;
  Promise.resolve()
    .then(run)
    .catch((e: unknown) => console.warn(`[AnimeCam:commands] ${command} failed: ${String(e)}`));
  return true;
}

export function registerCommands(handlers: CommandHandlers): void {
  chrome.commands.onCommand.addListener((command, tab) => void runCommand(handlers, command, tab));
}
