import { describe, expect, it } from 'vitest';
import { findChrome } from './find-chrome';

describe('findChrome', () => {
  it('prefers CHROME_PATH and returns null when it does not exist', () => {
    expect(findChrome({ CHROME_PATH: '/opt/x/chrome' }, (p) => p === '/opt/x/chrome')).toBe('/opt/x/chrome');
    expect(findChrome({ CHROME_PATH: '/opt/x/chrome' }, () => false)).toBeNull();
  });
  it('falls back to Chromium before Chrome', () => {
    expect(findChrome({}, (p) => p === '/usr/bin/chromium' || p === '/usr/bin/google-chrome')).toBe('/usr/bin/chromium');
    expect(findChrome({}, () => false)).toBeNull();
  });
});
