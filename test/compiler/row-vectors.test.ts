/**
 * Reductions along whole rows read in vec4 steps (config/row-vectors.ts): which kernels
 * get them, and on the adapter softmax, layernorm, rmsnorm and cross-entropy against
 * plain-JS references with row lengths that are multiples of 4 (vector path) and not
 * (the scalar loop the run-time check falls back to), ragged blocks of rows included.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, type ConfigInput } from 'tessera-gpu-compiler';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { layernorm, layernormReference } from '../../examples/layernorm.ts';
import { rmsnorm, rmsnormReference } from '../../examples/rmsnorm.ts';
import { crossEntropy, crossEntropyReference } from '../../examples/cross-entropy.ts';
import { randomInts } from '../../examples/random.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS } from './support.ts';

describe('row reductions in vectors: lowering', () => {
  const ir = softmax.prepared().ir;
  it('reads rows as vec4 when the row length is a multiple of 4, and the vectors covering each row otherwise', () => {
    const wgsl = compileWgsl(ir, {}, LAVAPIPE_LIMITS).wgsl;
    expect(wgsl).toMatch(/buf_x: array<vec4<f32>>/);
    expect(wgsl).toMatch(/if \(u\.N % 4 == 0\) \{/);
    expect(wgsl).toMatch(/for \(var l4 = lane \* 4; l4 < u\.N; l4 \+= 32\) \{/);
    // The vectors wholly inside the row unmasked, then the row's partial first and last vectors.
    expect(wgsl).toMatch(/for \(var q = qi\d+ \+ lane; q < qe\d+; q \+= 8\) \{\n(?:(?!in\d+).)*?\n\s*acc4 = [^\n]*vec4<f32>\(xv0, xv1, xv2, xv3\)\)?;/s);
    expect(wgsl).toMatch(/for \(var t = lane; t < 2; t \+= 8\) \{/);
  });

  it('is off with row caching and with vectorWidth below 4', () => {
    expect(compileWgsl(ir, { rowCache: 1024, blocks: { tm: 4 } }, LAVAPIPE_LIMITS).wgsl).not.toMatch(/vec4/);
    expect(compileWgsl(ir, { vectorWidth: 1 }, LAVAPIPE_LIMITS).wgsl).not.toMatch(/vec4/);
  });
});

const SHAPES = [[37, 1024], [45, 1001], [3, 8]] as const;
const CONFIGS: ConfigInput[] = [{}, { blocks: { tm: 16 }, workgroupSize: 128 }, { blocks: { tm: 64 }, workgroupSize: 64 }];

describeWebGPU('row reductions in vectors on WebGPU', (ctx) => {
  for (const [m, n] of SHAPES) {
    for (const config of CONFIGS) {
      it(`softmax, layernorm, rmsnorm, cross-entropy ${m}x${n} ${JSON.stringify(config)}`, async () => {
        const d = ctx.device;
        const xs = randomF32(m * n, m + n, -4, 4);
        const [gs, bs] = [randomF32(n, n + 1), randomF32(n, n + 2)];
        const labels = randomInts(m, n, m + 3);
        const [x, g, b, l] = [d.tensor(xs, [m, n]), d.tensor(gs, [n]), d.tensor(bs, [n]), d.tensor(labels, [m])];
        const [sm] = await softmax.run([x], { config });
        expect(maxAbsDiff((await sm?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-5);
        const [ln] = await layernorm.run([x, g, b, 1e-5], { config });
        expect(maxAbsDiff((await ln?.read()) ?? [], layernormReference(xs, gs, bs, m, n, 1e-5))).toBeLessThan(1e-4);
        const [rn] = await rmsnorm.run([x, g, 1e-5], { config });
        expect(maxAbsDiff((await rn?.read()) ?? [], rmsnormReference(xs, gs, m, n, 1e-5))).toBeLessThan(1e-4);
        const [loss, mean] = await crossEntropy.run([x, l], { config });
        const ref = crossEntropyReference(xs, labels, m, n);
        expect(maxAbsDiff((await loss?.read()) ?? [], ref.loss)).toBeLessThan(1e-4);
        expect(Math.abs(((await mean?.read()) ?? [])[0]! - ref.mean)).toBeLessThan(1e-4);
        for (const t of [x, g, b, l, sm, ln, rn, loss, mean]) t?.destroy();
      });
    }
  }
});
