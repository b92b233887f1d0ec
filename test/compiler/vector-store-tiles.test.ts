/**
 * Elementwise stores over 2-D and 3-D tiles written in vectors along the contiguous last
 * dim (gated GELU and SiLU, a broadcast bias): which stores qualify, the default tile,
 * and on the adapter the results against plain-JS references at shapes whose last dim is
 * a multiple of 4 but not of the block (vector path plus ragged end) and whose last dim
 * is not a multiple of 4 (every row misaligned: the per-element path), under several
 * configs.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, configSpace, resolveConfig, type ConfigInput } from 'tessera-gpu-compiler';
import { kernel } from 'tessera-gpu';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS, lower } from './support.ts';

const GEGLU = `fn geglu(a: f32[M, N], b: f32[M, N]) -> f32[M, N] {
  let out = empty_like(a);
  for (tm, tn) in tile([M, N]) {
    let x = a[tm, tn];
    out[tm, tn] = 0.5 * x * (1.0 + erf(x * 0.7071067811865476)) * b[tm, tn];
  }
  return out;
}`;

/** SiLU gate plus a bias row broadcast over the tile's rows (a 1-D load at the last block). */
const SWIGLU_BIAS = `fn swiglu_bias(a: f32[M, N], b: f32[M, N], bias: f32[N]) -> f32[M, N] {
  let out = empty_like(a);
  for (tm, tn) in tile([M, N]) {
    let x = a[tm, tn] + bias[tn];
    out[tm, tn] = x * sigmoid(x) * b[tm, tn];
  }
  return out;
}`;

/** Three tiled dims. */
const SCALE_3D = `fn scale3(x: f32[B, M, N], s: f32) -> f32[B, M, N] {
  let out = empty_like(x);
  for (tb, tm, tn) in tile([B, M, N]) {
    out[tb, tm, tn] = x[tb, tm, tn] * s + 1.0;
  }
  return out;
}`;

/** A transposed read: not the store's own subscripts, so per element. */
const TRANSPOSED = `fn add_t(x: f32[N, N], y: f32[N, N]) -> f32[N, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([N, N]) {
    out[tm, tn] = x[tm, tn] + transpose(y[tn, tm]);
  }
  return out;
}`;

/** erf by its Maclaurin series in f64 (|x| ≤ 3 here: the terms fall below 1e-17). */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const gegluRef = (a: Float32Array, b: Float32Array): Float64Array => Float64Array.from(a, (x, i) => 0.5 * x * (1 + erf(x / Math.SQRT2)) * (b[i] ?? 0));
function swigluBiasRef(a: Float32Array, b: Float32Array, bias: Float32Array, n: number): Float64Array {
  return Float64Array.from(a, (v, i) => {
    const x = v + (bias[i % n] ?? 0);
    return (x / (1 + Math.exp(-x))) * (b[i] ?? 0);
  });
}

describe('vector stores over tiles: lowering', () => {
  it('writes a 2-D elementwise store in vec4s when the last dim allows, per element otherwise', () => {
    const wgsl = compileWgsl(lower(SWIGLU_BIAS), {}, LAVAPIPE_LIMITS).wgsl;
    for (const t of ['a', 'b', 'bias', 'out']) expect(wgsl).toContain(`buf_${t}: array<vec4<f32>>`);
    expect(wgsl).toMatch(/u\.N % 4 == 0 && g\d+ \+ 4 <= u\.N/);
    expect(wgsl).toMatch(/let v_bias\d+ = buf_bias\[g\d+ \/ 4\];/);
    expect(wgsl).toMatch(/buf_out\[\(.*\) \/ 4\] = vec4<f32>\(/);
    expect(compileWgsl(lower(SCALE_3D), {}, LAVAPIPE_LIMITS).wgsl).toMatch(/buf_out\[\(.*\) \/ 4\] = vec4<f32>\(/);
  });

  it('leaves transposed reads and vectorWidth 1 per element', () => {
    expect(compileWgsl(lower(TRANSPOSED), {}, LAVAPIPE_LIMITS).wgsl).not.toMatch(/vec4/);
    expect(compileWgsl(lower(GEGLU), { vectorWidth: 1 }, LAVAPIPE_LIMITS).wgsl).not.toMatch(/vec4/);
  });

  it('defaults to 4 rows of 256 (4 elements per invocation) and offers the width to the autotuner', () => {
    const ir = lower(GEGLU);
    expect(resolveConfig(ir, {})).toMatchObject({ blocks: { tm: 4, tn: 256 }, workgroupSize: 256, vectorWidth: 4 });
    expect(resolveConfig(lower(SCALE_3D), {}).blocks).toEqual({ tb: 1, tm: 4, tn: 256 });
    expect(configSpace(ir, LAVAPIPE_LIMITS).knobs.map((k) => k.name)).toContain('vectorWidth');
    expect(resolveConfig(lower(TRANSPOSED), {}).blocks).toEqual({ tm: 16, tn: 16 });
  });
});

const source = (text: string) => kernel(Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray);
const geglu = source(GEGLU);
const swigluBias = source(SWIGLU_BIAS);
const scale3 = source(SCALE_3D);

const CONFIGS: ConfigInput[] = [{}, { vectorWidth: 2 }, { blocks: { tm: 2, tn: 64 }, workgroupSize: 16 }];
const SHAPES: readonly (readonly [number, number])[] = [[5, 1028], [3, 1001], [17, 6]];

describeWebGPU('vector stores over tiles on WebGPU', (ctx) => {
  for (const [m, n] of SHAPES) {
    for (const config of CONFIGS) {
      it(`gated GELU and SiLU with a bias, ${m}x${n} ${JSON.stringify(config)}`, async () => {
        const [as, bs, biases] = [randomF32(m * n, m + n), randomF32(m * n, m * n + 1), randomF32(n, n + 2)];
        const [a, b, bias] = [ctx.device.tensor(as, [m, n]), ctx.device.tensor(bs, [m, n]), ctx.device.tensor(biases, [n])];
        const [g] = await geglu.run([a, b], { config });
        expect(maxAbsDiff((await g?.read()) ?? [], gegluRef(as, bs))).toBeLessThan(1e-5);
        const [s] = await swigluBias.run([a, b, bias], { config });
        expect(maxAbsDiff((await s?.read()) ?? [], swigluBiasRef(as, bs, biases, n))).toBeLessThan(1e-5);
        for (const t of [a, b, bias, g, s]) t?.destroy();
      }, 60_000);
    }
  }

  it('a 3-D tile, 3x5x1030 and 2x3x7', async () => {
    for (const [bb, m, n] of [[3, 5, 1030], [2, 3, 7]] as const) {
      for (const config of [{}, { blocks: { tb: 2, tm: 2, tn: 8 }, workgroupSize: 16 }] as ConfigInput[]) {
        const xs = randomF32(bb * m * n, n);
        const x = ctx.device.tensor(xs, [bb, m, n]);
        const [out] = await scale3.run([x, 1.5], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], Float64Array.from(xs, (v) => v * 1.5 + 1))).toBeLessThan(1e-6);
        for (const t of [x, out]) t?.destroy();
      }
    }
  }, 60_000);
});
