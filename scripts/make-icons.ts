/** Draws the extension icons (a simple anime face) at 16, 32, 48 and 128 px into icons/. */
import { encode } from 'fast-png';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/shared-path';

function icon(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const ss = 4; // supersampling for smooth edges
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size * 2 - 1;
          const v = (y + (sy + 0.5) / ss) / size * 2 - 1;
          const c = shade(u, v);
          r += c[0]; g += c[1]; b += c[2]; a += c[3];
        }
      }
      const n = ss * ss, i = (y * size + x) * 4;
      px[i] = r / n; px[i + 1] = g / n; px[i + 2] = b / n; px[i + 3] = a / n;
    }
  }
  return encode({ width: size, height: size, data: px, channels: 4, depth: 8 });
}

function shade(u: number, v: number): [number, number, number, number] {
  // Rounded square background.
  const q = Math.max(Math.abs(u), Math.abs(v));
  const corner = Math.hypot(Math.max(Math.abs(u) - 0.7, 0), Math.max(Math.abs(v) - 0.7, 0));
  if (q > 1 || corner > 0.28) return [0, 0, 0, 0];
  // Big anime eyes.
  for (const ex of [-0.38, 0.38]) {
    const dx = (u - ex) / 0.2, dy = (v + 0.05) / 0.3;
    if (dx * dx + dy * dy < 1) {
      const hx = (u - ex + 0.07) / 0.07, hy = (v + 0.16) / 0.08;
      return hx * hx + hy * hy < 1 ? [255, 255, 255, 255] : [40, 30, 90, 255];
    }
  }
  // Smile.
  const sm = Math.hypot(u, v - 0.28);
  if (v > 0.36 && sm > 0.18 && sm < 0.26 && Math.abs(u) < 0.22) return [120, 30, 60, 255];
  return [255, 140 + 40 * (1 - v), 180, 255];
}

for (const size of [16, 32, 48, 128]) {
  writeFileSync(join(repoRoot, 'icons', `icon-${size}.png`), icon(size));
}
console.log('icons written');
