/** Helpers for driving the demo call page and reading what the remote peer receives. */
import type { Page, Worker } from 'playwright-core';
import { waitFor } from './extension';

/** AnimeCam's deviceId on `origin` (per origin, like the browser's own device ids). */
export async function animeCamIdFor(sw: Worker, origin: string): Promise<string> {
  return (await sw.evaluate((o) => (globalThis as unknown as { animecam: { deviceIdsFor(o: string): Promise<{ deviceId: string }> } }).animecam.deviceIdsFor(o), origin)).deviceId;
}

/** Waits until the demo page's camera picker lists AnimeCam, then chooses it; returns its deviceId there. */
export async function chooseAnimeCam(page: Page, sw: Worker): Promise<string> {
  const id = await animeCamIdFor(sw, new URL(page.url()).origin);
  await waitFor(() => page.evaluate((d) => [...(document.getElementById('camera') as HTMLSelectElement).options].some((o) => o.value === d), id), 'AnimeCam listed in the call page’s camera picker');
  await page.selectOption('#camera', id);
  return id;
}

export async function remoteFrames(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { demoCall: { remoteFrames: number } }).demoCall.remoteFrames);
}

/** RGBA bytes of a region (fractions of the frame) of the remote video's current frame, sampled at 640x360. */
export async function remotePixels(page: Page, region: { x: number; y: number; w: number; h: number }): Promise<number[]> {
  return page.evaluate((r) => {
    const v = document.getElementById('remote') as HTMLVideoElement;
    // A fixed size: WebRTC may lower the resolution under load, and samples must stay comparable.
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 360;
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(v, 0, 0, c.width, c.height);
    return Array.from(ctx.getImageData(Math.round(r.x * c.width), Math.round(r.y * c.height), Math.round(r.w * c.width), Math.round(r.h * c.height)).data);
  }, region);
}

export function meanRgb(px: number[]): [number, number, number] {
  let r = 0, g = 0, b = 0;
  const n = px.length / 4;
  for (let i = 0; i < px.length; i += 4) {
    r += px[i];
    g += px[i + 1];
    b += px[i + 2];
  }
  return [r / n, g / n, b / n];
}

export function meanAbsDiff(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) s += Math.abs(a[i] - b[i]);
  return s / ((a.length * 3) / 4);
}
