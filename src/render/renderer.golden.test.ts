/**
 * Golden test: every case of the THA4 goldens, rendered on the wasm backend in Node with the WASM
 * path's activation, against the original PyTorch outputs (tolerances from the golden README); and
 * the split path (body fields, then the per-frame rest) with a held pose on one case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../../scripts/lib/shared-path';
import { readStateDict } from '../core/character/checkpoint';
import { buildFrameModel, FrameModelNames } from '../core/model-graph/frame-model';
import { errorStats } from './error-stats';
import { createRenderer, type CharacterTensors, type Renderer } from './renderer';
import { createBodyFieldsRenderer, createFieldsFrameRenderer, WASM_SINE } from './split-renderer';

const FACE_MAX = 1e-3;
const FINAL_MAX = 5e-3;
const FINAL_P999 = 1e-3;
const FINAL_MEAN = 1e-5;
/** Side of the coarser frame checked against the downsampled golden. */
const SMALL = 256;

interface GoldenCase {
  name: string;
  character: string;
  pose: number[];
  files: { face: string; final: string | null };
}

const shared = sharedDir();
const goldenDir = shared ? join(shared, 'tha4', 'golden') : '';

function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  // Copy: the Buffer may share a pool and not be 4-byte aligned.
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const cases: GoldenCase[] = shared
  ? (JSON.parse(readFileSync(join(goldenDir, 'poses.json'), 'utf8')) as { cases: GoldenCase[] }).cases
  : [];
const characters = [...new Set(cases.map((c) => c.character))];

describe.skipIf(!shared)('renderer vs THA4 goldens (wasm, 512)', () => {
  for (const character of characters) {
    describe(character, () => {
      // ORT runs the whole graph whatever is fetched, so face-only cases get a face-only model.
      let frameRenderer: Renderer;
      let faceRenderer: Renderer;
      let tensors: CharacterTensors;
      beforeAll(async () => {
        const dir = join(shared as string, 'tha4', character);
        tensors = {
          face: readStateDict(readFileSync(join(dir, 'face_morpher.pt')), 'face_morpher.pt'),
          body: readStateDict(readFileSync(join(dir, 'body_morpher.pt')), 'body_morpher.pt'),
          imageTensor: readF32(join(goldenDir, `input_${character}.f32`)),
        };
        frameRenderer = await createRenderer({ model: buildFrameModel({ ...tensors, debugOutputs: true, sine: WASM_SINE }), backend: 'wasm' });
        faceRenderer = await createRenderer({ model: buildFrameModel({ ...tensors, part: 'face', sine: WASM_SINE }), backend: 'wasm' });
      }, 120_000);
      afterAll(async () => {
        await frameRenderer?.dispose();
        await faceRenderer?.dispose();
      });

      const smallCase = cases.find((k) => k.character === character && k.files.final);
      it.skipIf(!smallCase)(`renders a coarser 256 frame close to the 512 golden, box-downsampled`, async () => {
        const c = smallCase as GoldenCase;
        const small = await createRenderer({ character: tensors, size: SMALL, backend: 'wasm' });
        try {
          const frame = await small.render(c.pose);
          const golden = readF32(join(goldenDir, c.files.final as string));
          const down = new Float32Array(4 * SMALL * SMALL);
          const big = 2 * SMALL;
          for (let ch = 0; ch < 4; ch++) {
            for (let y = 0; y < SMALL; y++) {
              for (let x = 0; x < SMALL; x++) {
                const at = (yy: number, xx: number): number => golden[ch * big * big + yy * big + xx];
                down[ch * SMALL * SMALL + y * SMALL + x] = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
              }
            }
          }
          // Not the same function (the SIREN is sampled at other points), but any layout mistake
          // (axes, paste, level sizes) moves the mean by far more than this (measured 0.005).
          const s = errorStats(frame, down);
          console.info(`${c.name} at ${SMALL}: mean ${s.mean.toExponential(2)} vs box-downsampled golden`);
          expect(s.mean).toBeLessThan(0.01);
        } finally {
          await small.dispose();
        }
      });

      it.skipIf(!smallCase)('split path (body fields, then the rest) with a held pose', async () => {
        const c = smallCase as GoldenCase;
        const body = await createBodyFieldsRenderer(tensors, 512);
        const rest = await createFieldsFrameRenderer(tensors, 512);
        try {
          const frame = await rest.render(c.pose, await body.fields(c.pose));
          const s = errorStats(frame, readF32(join(goldenDir, c.files.final as string)));
          console.info(`${c.name} split: final max ${s.max.toExponential(2)} p99.9 ${s.p999.toExponential(2)} mean ${s.mean.toExponential(2)}`);
          expect(s.max).toBeLessThanOrEqual(FINAL_MAX);
          expect(s.p999).toBeLessThanOrEqual(FINAL_P999);
          expect(s.mean).toBeLessThanOrEqual(FINAL_MEAN);
        } finally {
          await body.dispose();
          await rest.dispose();
        }
      });

      for (const c of cases.filter((k) => k.character === character)) {
        it(c.name, async () => {
          const out = c.files.final
            ? await frameRenderer.renderOutputs(c.pose, [FrameModelNames.face, FrameModelNames.frame])
            : await faceRenderer.renderOutputs(c.pose, [FrameModelNames.face]);
          const face = errorStats(out[FrameModelNames.face], readF32(join(goldenDir, c.files.face)));
          expect(face.max, `face max abs error`).toBeLessThanOrEqual(FACE_MAX);
          if (c.files.final) {
            const final = errorStats(out[FrameModelNames.frame], readF32(join(goldenDir, c.files.final)));
            console.info(`${c.name}: face max ${face.max.toExponential(2)}; final max ${final.max.toExponential(2)} p99.9 ${final.p999.toExponential(2)} mean ${final.mean.toExponential(2)}`);
            expect(final.max, 'final max abs error').toBeLessThanOrEqual(FINAL_MAX);
            expect(final.p999, 'final 99.9th percentile').toBeLessThanOrEqual(FINAL_P999);
            expect(final.mean, 'final mean abs error').toBeLessThanOrEqual(FINAL_MEAN);
          } else {
            console.info(`${c.name}: face max ${face.max.toExponential(2)}`);
          }
        });
      }
    });
  }
});
