import { describe, expect, it, vi } from 'vitest';
import { runCommand, type CommandHandlers } from './commands';

describe('keyboard commands', () => {
  it('route expression-<id> to the expression handler and refuse unknown names', async () => {
    const handlers: CommandHandlers = { 'toggle-site': vi.fn(), calibrate: vi.fn(), expression: vi.fn() };
    expect(runCommand(handlers, 'expression-wink-left')).toBe(true);
    expect(runCommand(handlers, 'expression-custom-3')).toBe(true);
    expect(runCommand(handlers, 'calibrate')).toBe(true);
    expect(runCommand(handlers, 'expression-dance')).toBe(false);
    expect(runCommand(handlers, 'nonsense')).toBe(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(handlers.expression).toHaveBeenCalledWith('wink-left');
    expect(handlers.expression).toHaveBeenCalledWith('custom-3');
    expect(handlers.expression).toHaveBeenCalledTimes(2);
    expect(handlers.calibrate).toHaveBeenCalledTimes(1);
  });
});
