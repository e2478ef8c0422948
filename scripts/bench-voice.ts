/**
 * How well the voice drives the mouth, measured offline on real speech synthesis:
 *  - vowels spoken by espeak-ng (Debian package espeak-ng), generated into a temp folder:
 *    share of voiced frames given the intended THA4 vowel, per vowel;
 *  - a spoken sequence with pauses: correlation of our causal mouth opening with the signal's
 *    loudness computed without delay (centred window), and the lag at which they match best;
 *  - the talking-head clips in the shared media folder: whether they carry audio at all (needed to
 *    compare with the tracked jaw of the same clip).
 *
 *   npm run --silent bench:voice
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openingForDb, rms, toDb } from '../src/core/voice/envelope';
import { VOWELS, type Vowel } from '../src/core/voice/formants';
import { VoiceMouth } from '../src/core/voice/voice-mouth';
import { requireSharedDir } from './lib/shared-path';

/** Reads a 16-bit PCM WAV (what espeak-ng writes) as mono floats. */
function readWav(path: string): { samples: Float32Array; rate: number } {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let off = 12;
  let rate = 0;
  let channels = 1;
  let bits = 16;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    // espeak-ng writing to a pipe leaves the sizes at 0x7fffffff: clamp to the file.
    const size = Math.min(b.readUInt32LE(off + 4), b.length - off - 8);
    if (id === 'fmt ') {
      channels = b.readUInt16LE(off + 10);
      rate = b.readUInt32LE(off + 12);
      bits = b.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`${path}: ${bits}-bit audio is not supported`);
      const frames = Math.floor(size / 2 / channels);
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = b.readInt16LE(off + 8 + i * 2 * channels) / 32768;
      return { samples, rate };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no audio data`);
}

const BLOCK_MS = 10;

/** Runs the voice mouth over a signal in 10 ms blocks (as audio arrives from WebRTC). */
function analyse(samples: Float32Array, rate: number): { opening: number[]; vowel: Vowel[] } {
  const m = new VoiceMouth();
  const block = Math.round((rate * BLOCK_MS) / 1000);
  const opening: number[] = [];
  const vowel: Vowel[] = [];
  for (let i = 0; i + block <= samples.length; i += block) {
    m.push(samples.subarray(i, i + block), rate, (i / rate) * 1000);
    opening.push(m.opening);
    const shape = m.vowelShape;
    vowel.push(VOWELS.reduce((a, b) => (shape[a] >= shape[b] ? a : b)));
  }
  return { opening, vowel };
}

/** Loudness without delay: the same dB mapping on a 30 ms window centred on each block. */
function reference(samples: Float32Array, rate: number): number[] {
  const block = Math.round((rate * BLOCK_MS) / 1000);
  const half = Math.round((rate * 15) / 1000);
  const out: number[] = [];
  for (let i = 0; i + block <= samples.length; i += block) {
    const c = i + Math.floor(block / 2);
    out.push(openingForDb(toDb(rms(samples, Math.max(0, c - half), Math.min(samples.length, c + half)))));
  }
  return out;
}

function correlation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) (ma += a[i]), (mb += b[i]);
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Correlation of `late` against `early` shifted by each lag (in blocks); the best lag and value. */
function bestLag(early: number[], late: number[], maxLag: number): { lag: number; r: number; r0: number } {
  let best = { lag: 0, r: -Infinity };
  for (let lag = 0; lag <= maxLag; lag++) {
    const r = correlation(early.slice(0, early.length - lag), late.slice(lag));
    if (r > best.r) best = { lag, r };
  }
  return { ...best, r0: correlation(early, late) };
}

function espeak(dir: string, name: string, text: string, voice: string): string {
  const out = join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', voice, '-s', '120', '-w', out, text]);
  return out;
}

function main(): void {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('espeak-ng is missing: apt-get install -y espeak-ng');
  }
  const dir = mkdtempSync(join(tmpdir(), 'animecam-voice-'));
  try {
    // Japanese vowels (THA4's mouth shapes are named after them), held long.
    // (espeak-ng reads the long-vowel mark ー as a word: repeat the kana instead.)
    const spoken: Record<Vowel, string> = { aaa: 'ああああああ', iii: 'いいいいいい', uuu: 'うううううう', eee: 'ええええええ', ooo: 'おおおおおお' };
    console.log('## Vowels (espeak-ng, voice ja): share of voiced 10 ms frames (opening > 0.3) per detected shape\n');
    console.log(`| spoken | frames | ${VOWELS.join(' | ')} |`);
    console.log(`| --- | --- | ${VOWELS.map(() => '---').join(' | ')} |`);
    let correct = 0;
    let total = 0;
    for (const v of VOWELS) {
      const { samples, rate } = readWav(espeak(dir, v, spoken[v], 'ja'));
      const a = analyse(samples, rate);
      const voiced = a.vowel.filter((_, i) => a.opening[i] > 0.3);
      const share = (k: Vowel) => voiced.filter((x) => x === k).length / Math.max(1, voiced.length);
      correct += voiced.filter((x) => x === v).length;
      total += voiced.length;
      console.log(`| ${v} | ${voiced.length} | ${VOWELS.map((k) => `${(share(k) * 100).toFixed(0)}%`).join(' | ')} |`);
    }
    console.log(`\nOverall: ${((correct / Math.max(1, total)) * 100).toFixed(0)}% of voiced frames get the intended shape.\n`);

    console.log('## Envelope against the signal (espeak-ng speech with pauses)\n');
    const texts: [string, string, string][] = [
      ['ja', 'ja-aiueo', 'あ、い、う、え、お。かきくけこ、さしすせそ。'],
      ['en', 'en-sentence', 'Hello, this is a test. The quick brown fox jumps over the lazy dog.'],
    ];
    for (const [voice, name, text] of texts) {
      const { samples, rate } = readWav(espeak(dir, name, text, voice));
      const ours = analyse(samples, rate).opening;
      const ref = reference(samples, rate);
      const best = bestLag(ref, ours, 30);
      console.log(
        `- ${name} (${(samples.length / rate).toFixed(1)} s): correlation with the undelayed loudness ${best.r0.toFixed(2)} at lag 0, ` +
          `best ${best.r.toFixed(2)} at a lag of ${best.lag * BLOCK_MS} ms`,
      );
    }

    console.log('\n## Talking-head clips (shared media)\n');
    const media = join(requireSharedDir(), 'media');
    for (const clip of ['selfie_segmentation_web.mp4', 'talking_head_640x480_30fps.y4m.xz']) {
      let audio = 'unknown (ffprobe missing)';
      if (clip.endsWith('.y4m.xz')) audio = 'no (y4m holds video only)';
      else {
        try {
          const streams = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', join(media, clip)]).toString();
          audio = streams.includes('audio') ? 'yes' : 'no';
        } catch {
          // ffprobe not installed: say so.
        }
      }
      console.log(`- ${clip}: audio track: ${audio}`);
    }
    console.log('\nWithout an audio track the clip cannot show how the voice mouth correlates with the tracked jaw of the same face.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
