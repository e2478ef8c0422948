/**
 * A synthetic "voice" for the fake microphone: vowels made by formant synthesis (a 120 Hz pulse
 * train through resonators) alternating with silence, written as 16-bit PCM WAV into a temp folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RATE = 48_000;

function vowel(f1: number, f2: number, seconds: number): Float32Array {
  const n = Math.round(RATE * seconds);
  let x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = i % 400 === 0 ? 1 : 0;
  for (const [f, bw] of [[f1, 80], [f2, 100], [2900, 150]]) {
    const r = Math.exp((-Math.PI * bw) / RATE);
    const c = 2 * r * Math.cos((2 * Math.PI * f) / RATE);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = (1 - r) * x[i] + c * (y[i - 1] ?? 0) - r * r * (y[i - 2] ?? 0);
    x = y;
  }
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  return x.map((v) => (v / peak) * 0.4);
}

/** 1 s "aa", 1 s silence, 1 s "oo", 1 s silence (Chromium loops the file). Returns its path. */
export function voiceWav(): string {
  const parts = [vowel(800, 1300, 1), new Float32Array(RATE), vowel(540, 950, 1), new Float32Array(RATE)];
  const total = parts.reduce((s, p) => s + p.length, 0);
  const buf = Buffer.alloc(44 + total * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + total * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(RATE, 24);
  buf.writeUInt32LE(RATE * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(total * 2, 40);
  let o = 44;
  for (const p of parts) for (const v of p) (buf.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), o), (o += 2));
  const dir = join(tmpdir(), 'animecam-media');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'voice-aa-oo.wav');
  writeFileSync(path, buf);
  return path;
}
