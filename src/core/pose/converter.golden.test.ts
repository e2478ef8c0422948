import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../scripts/lib/shared-path';
import { BLENDSHAPE_NAMES, type BlendshapeName } from './blendshapes';
import { convertFace } from './converter';
import { DEFAULT_CONVERTER_SETTINGS, sanitizeConverterSettings } from './converter-settings';
import { scipyEulerXyz } from './euler';
import { mat3FromColumnMajor4x4 } from './mat3';
import { mouthSplitObjective, splitMouth } from './mouth-split';
import { POSE_PARAMETER_NAMES, PoseParam } from './pose-params';

interface GoldenCase {
  name: string;
  blendshapes: number[];
  xform: number[][];
  euler_xyz_rad: [number, number, number];
  pose: number[];
  mouth_decomposition?: { mouth_point: number[]; careful_x: number[]; careful_loss: number };
}

interface GoldenFile {
  blendshape_names_mediapipe_order: string[];
  pose_parameter_names: string[];
  default_args: Record<string, number | string>;
  cases: GoldenCase[];
}

// CI always has the shared data; fail loudly rather than skip when it is missing.
const golden = JSON.parse(
  readFileSync(join(requireSharedDir(), 'tha4', 'golden', 'mediapipe_converter.json'), 'utf8'),
) as GoldenFile;

/** The goldens store the matrix row-major; the browser gives it column-major. */
function columnMajor(rows: number[][]): number[] {
  const out: number[] = [];
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) out.push(rows[r][c]);
  return out;
}

function observation(c: GoldenCase): { blendshapes: Partial<Record<BlendshapeName, number>>; matrix: number[] } {
  const blendshapes: Partial<Record<BlendshapeName, number>> = {};
  golden.blendshape_names_mediapipe_order.forEach((name, i) => {
    blendshapes[name as BlendshapeName] = c.blendshapes[i];
  });
  return { blendshapes, matrix: columnMajor(c.xform) };
}

const MOUTH_SPLIT: readonly number[] = [PoseParam.mouth_aaa, PoseParam.mouth_iii, PoseParam.mouth_uuu, PoseParam.mouth_ooo];

describe('converter goldens', () => {
  it('uses the same names and defaults as the original', () => {
    expect(golden.blendshape_names_mediapipe_order).toEqual([...BLENDSHAPE_NAMES]);
    expect(golden.pose_parameter_names).toEqual([...POSE_PARAMETER_NAMES]);
    const a = golden.default_args;
    const s = DEFAULT_CONVERTER_SETTINGS;
    expect(s).toMatchObject({
      smileThresholdMin: a.smile_threshold_min,
      smileThresholdMax: a.smile_threshold_max,
      eyebrowDownMode: a.eyebrow_down_mode,
      winkMode: a.wink_mode,
      eyeSurprisedMax: a.eye_surprised_max,
      eyeBlinkMax: a.eye_blink_max,
      eyebrowDownMax: a.eyebrow_down_max,
      cheekSquintMin: a.cheek_squint_min,
      cheekSquintMax: a.cheek_squint_max,
      eyeRotationFactor: a.eye_rotation_factor,
      jawOpenMin: a.jaw_open_min,
      jawOpenMax: a.jaw_open_max,
      mouthFrownMax: a.mouth_frown_max,
      mouthFunnelMin: a.mouth_funnel_min,
      mouthFunnelMax: a.mouth_funnel_max,
      irisSmallLeft: a.iris_small_left,
      irisSmallRight: a.iris_small_right,
      headXOffset: a.head_x_offset,
      headYOffset: a.head_y_offset,
      headZOffset: a.head_z_offset,
    });
    expect(sanitizeConverterSettings(undefined)).toEqual(DEFAULT_CONVERTER_SETTINGS);
  });

  it('has all 47 cases', () => {
    expect(golden.cases).toHaveLength(47);
  });

  const errors = { other: 0, mouth: 0, euler: 0, split: 0 };

  for (const c of golden.cases) {
    it(`reproduces ${c.name}`, () => {
      const obs = observation(c);
      const pose = convertFace(obs);
      expect(pose).toBeInstanceOf(Float32Array);
      expect(pose).toHaveLength(45);
      for (let i = 0; i < 45; i++) {
        const err = Math.abs(pose[i] - c.pose[i]);
        const isMouth = MOUTH_SPLIT.includes(i);
        if (isMouth) errors.mouth = Math.max(errors.mouth, err);
        else errors.other = Math.max(errors.other, err);
        expect(err, `${c.name}: ${POSE_PARAMETER_NAMES[i]} = ${pose[i]}, expected ${c.pose[i]}`).toBeLessThanOrEqual(
          isMouth ? 1e-5 : 1e-6,
        );
      }

      const e = scipyEulerXyz(mat3FromColumnMajor4x4(obs.matrix));
      const eulerErr = Math.max(
        Math.abs(e.x - c.euler_xyz_rad[0]),
        Math.abs(e.y - c.euler_xyz_rad[1]),
        Math.abs(e.z - c.euler_xyz_rad[2]),
      );
      errors.euler = Math.max(errors.euler, eulerErr);
      expect(eulerErr).toBeLessThan(1e-9);

      const md = c.mouth_decomposition;
      if (md) {
        const d = splitMouth(md.mouth_point);
        const splitErr = Math.max(...d.map((v, i) => Math.abs(v - md.careful_x[i])));
        errors.split = Math.max(errors.split, splitErr);
        expect(splitErr).toBeLessThan(1e-5);
        // Never worse than the careful optimum.
        expect(mouthSplitObjective(d, md.mouth_point)).toBeLessThanOrEqual(md.careful_loss + 1e-12);
      }
    });
  }

  it('reports the worst errors', () => {
    console.info(
      `golden max abs error: closed-form params ${errors.other.toExponential(2)}, ` +
        `mouth aaa/iii/uuu/ooo ${errors.mouth.toExponential(2)}, euler ${errors.euler.toExponential(2)} rad, ` +
        `split vs careful optimum ${errors.split.toExponential(2)}`,
    );
    expect(errors.mouth).toBeLessThan(1e-5);
  });
});
