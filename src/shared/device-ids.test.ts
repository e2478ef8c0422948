import { describe, expect, it } from 'vitest';
import { deriveDeviceIds } from './device-ids';

describe('deriveDeviceIds', () => {
  const secret = new Uint8Array(32).fill(7);
  it('is stable for an origin and differs between origins and secrets', async () => {
    const a = await deriveDeviceIds(secret, 'https://meet.google.com');
    expect(a.deviceId).toMatch(/^[0-9a-f]{64}$/);
    expect(a.groupId).toMatch(/^[0-9a-f]{64}$/);
    expect(a.groupId).not.toBe(a.deviceId);
    expect(await deriveDeviceIds(secret, 'https://meet.google.com')).toEqual(a);
    expect((await deriveDeviceIds(secret, 'https://teams.microsoft.com')).deviceId).not.toBe(a.deviceId);
    expect((await deriveDeviceIds(new Uint8Array(32).fill(8), 'https://meet.google.com')).deviceId).not.toBe(a.deviceId);
  });
});
