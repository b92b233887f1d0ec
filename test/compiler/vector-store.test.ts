/**
 * 1-D elementwise stores written in vectors: which stores qualify, the default block and
 * the vectorWidth knob they bring, and on the adapter the results against plain-JS
 * references at lengths that are not multiples of the vector width or the block, under
 * several widths (the ragged end takes the per-element path).
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, configSpace, resolveConfig, type ConfigInput } from 'tessera-gpu-compiler';
import { kernel } from 'tessera-gpu';
import { add, addReference } from '../../examples/add.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS, lower } from './support.ts';

/** Scalars, constants and unary ops between the loads. */
const AXPY_RELU = `fn axpy_relu(x: f32[N], y: f32[N], alpha: f32) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = max(alpha * x[tn] + exp(y[tn] * 0.5), 0.25);
  }
  return out;
}`;

/** Reads a row of a 2-D tensor: not a 1-D elementwise store. */
const ROW_SUM_INTO = `fn first_col(x: f32[N, M]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn, 0] + 1.0;
  }
  return out;
}`;

function axpyReluReference(x: Float32Array, y: Float32Array, alpha: number): Float64Array {
  return Float64Array.from(x, (v, i) => Math.max(alpha * v + Math.exp((y[i] ?? 0) * 0.5), 0.25));
}

describe('vector stores: lowering', () => {
  it('writes a 1-D elementwise store in vec4s, with a per-element path for the ragged end', () => {
    const wgsl = compileWgsl(lower(AXPY_RELU), {}, LAVAPIPE_LIMITS).wgsl;
    expect(wgsl).toMatch(/buf_x: array<vec4<f32>>/);
    expect(wgsl).toMatch(/buf_out\[g\d+ \/ 4\] = vec4<f32>\(/);
    expect(wgsl).toMatch(/if \(g\d+ \+ c\d+ < u\.N\) \{/);
  });

  it('leaves other stores, and vectorWidth 1, per element', () => {
    expect(compileWgsl(lower(ROW_SUM_INTO), {}, LAVAPIPE_LIMITS).wgsl).not.toMatch(/vec4/);
    expect(compileWgsl(lower(AXPY_RELU), { vectorWidth: 1 }, LAVAPIPE_LIMITS).wgsl).not.toMatch(/vec4/);
  });

  it('defaults to 4 elements per invocation and offers the width to the autotuner', () => {
    const ir = lower(AXPY_RELU);
    expect(resolveConfig(ir, {})).toMatchObject({ blocks: { tn: 1024 }, workgroupSize: 256, vectorWidth: 4 });
    expect(configSpace(ir, LAVAPIPE_LIMITS).knobs.map((k) => k.name)).toContain('vectorWidth');
    expect(resolveConfig(lower(ROW_SUM_INTO), {}).blocks).toEqual({ tn: 256 });
  });
});

const CONFIGS: ConfigInput[] = [{}, { vectorWidth: 2 }, { vectorWidth: 1 }, { blocks: { tn: 64 }, workgroupSize: 64 }, { blocks: { tn: 4096 }, workgroupSize: 128 }];
const LENGTHS = [1, 3, 1001, 4099];
const axpyRelu = kernel(Object.assign([AXPY_RELU], { raw: [AXPY_RELU] }) as unknown as TemplateStringsArray);

describeWebGPU('vector stores on WebGPU', (ctx) => {
  for (const n of LENGTHS) {
    for (const config of CONFIGS) {
      it(`add and axpy+relu, N=${n} ${JSON.stringify(config)}`, async () => {
        const [xs, ys] = [randomF32(n, n + 7), randomF32(n, n + 8)];
        const [x, y] = [ctx.device.tensor(xs, [n]), ctx.device.tensor(ys, [n])];
        const [sum] = await add.run([x, y], { config });
        expect(maxAbsDiff((await sum?.read()) ?? [], addReference(xs, ys))).toBe(0);
        const [out] = await axpyRelu.run([x, y, 1.5], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], axpyReluReference(xs, ys, 1.5))).toBeLessThan(1e-5);
        for (const t of [x, y, sum, out]) t?.destroy();
      });
    }
  }
});
