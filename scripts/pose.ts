/**
 * Converts MediaPipe FaceLandmarker observations to THA4 poses with the default converter
 * settings (no smoothing, breathing 0).
 *
 *   node --import tsx scripts/pose.ts --in observations.json --out poses.json
 *
 * Input: JSON array of {"blendshapes": {"<categoryName>": score, ...}, "matrix": [16 numbers,
 * column-major as MediaPipe JS gives facialTransformationMatrixes[0].data]}.
 * Output: JSON array of 45-number poses in THA4 parameter order.
 * Exit codes: 0 success, 2 bad arguments or bad input, 1 unexpected failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BlendshapeName, type FaceObservation, isBlendshapeName } from '../src/core/pose/blendshapes';
import { convertFace } from '../src/core/pose/converter';

const USAGE = 'usage: node --import tsx scripts/pose.ts --in <observations.json> --out <poses.json>';

class UsageError extends Error {}

interface Args {
  readonly inPath: string;
  readonly outPath: string;
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--(in|out)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${m[1]} needs a file path`);
    if (m[1] in values) throw new UsageError(`--${m[1]} given twice`);
    values[m[1]] = value;
  }
  if (!values.in) throw new UsageError('missing --in <observations.json>');
  if (!values.out) throw new UsageError('missing --out <poses.json>');
  return { inPath: resolve(values.in), outPath: resolve(values.out) };
}

function parseObservations(text: string, path: string): FaceObservation[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UsageError(`${path}: expected a JSON array of observations`);
  return data.map((item, i) => parseObservation(item, `${path}: item ${i}`));
}

function parseObservation(item: unknown, where: string): FaceObservation {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new UsageError(`${where}: expected an object with "blendshapes" and "matrix"`);
  }
  const { blendshapes, matrix } = item as { blendshapes?: unknown; matrix?: unknown };
  if (typeof blendshapes !== 'object' || blendshapes === null || Array.isArray(blendshapes)) {
    throw new UsageError(`${where}: "blendshapes" must be an object of category name -> score`);
  }
  const scores: Partial<Record<BlendshapeName, number>> = {};
  for (const [name, score] of Object.entries(blendshapes)) {
    if (!isBlendshapeName(name)) throw new UsageError(`${where}: unknown blendshape category "${name}"`);
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new UsageError(`${where}: score of "${name}" must be a finite number`);
    }
    scores[name] = score;
  }
  if (!Array.isArray(matrix) || matrix.length !== 16 || !matrix.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new UsageError(`${where}: "matrix" must be an array of 16 finite numbers (column-major 4x4)`);
  }
  return { blendshapes: scores, matrix: matrix as number[] };
}

function main(argv: readonly string[]): number {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`pose: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    let text: string;
    try {
      text = readFileSync(args.inPath, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${args.inPath}: ${(e as Error).message}`);
    }
    const poses = parseObservations(text, args.inPath).map((obs) => Array.from(convertFace(obs)));
    try {
      writeFileSync(args.outPath, `${JSON.stringify(poses)}\n`);
    } catch (e) {
      throw new UsageError(`cannot write ${args.outPath}: ${(e as Error).message}`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`pose: ${e.message}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
