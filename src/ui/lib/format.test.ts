import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs } from './format';

describe('format', () => {
  it('writes sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(812_400)).toBe('812 KB');
    expect(formatBytes(4_250_000)).toBe('4.3 MB');
    expect(formatBytes(48_300_000)).toBe('48 MB');
    expect(formatBytes(2_100_000_000)).toBe('2.1 GB');
    expect(formatBytes(-1)).toBe('—');
  });
  it('writes durations in ms below a second', () => {
    expect(formatMs(34.6)).toBe('35 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatMs(null)).toBe('—');
  });
});
