import { describe, expect, it } from 'vitest';
import { capabilities, documentGroupId, photoCapabilities } from './virtual-device';

describe('AnimeCam as a device', () => {
  it('reports its formats as capabilities and photo capabilities', () => {
    expect(capabilities({ deviceId: 'd', groupId: 'g' })).toMatchObject({ width: { min: 160, max: 1920 }, height: { min: 120, max: 1080 }, frameRate: { min: 0, max: 30 }, deviceId: 'd', groupId: 'g' });
    expect(photoCapabilities()).toEqual({ imageHeight: { max: 1080, min: 120, step: 1 }, imageWidth: { max: 1920, min: 160, step: 1 }, redEyeReduction: 'never' });
  });

  it('draws a new random groupId for each document', () => {
    const a = documentGroupId();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(documentGroupId()).not.toBe(a);
  });
});
