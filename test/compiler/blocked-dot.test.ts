/**
 * `@` outside the micro-tile layout with a compile-time result size (attention's
 * `p @ v[bh, tn, :]`): the register-block plan, the lowering (blocked, accumulating
 * straight into `acc`, subgroup broadcasts of a under broadcastA), and attention on the
 * adapter against the plain-JS reference at ragged sizes under several tilings, head dims
 * that are and are not multiples of the vector width.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, type ConfigInput } from 'tessera-gpu-compiler';
import { blockedDotPlan } from '../../packages/compiler/src/wgsl/blocked-plan.ts';
import { attentionKernel, attentionReference } from '../../examples/attention.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS } from './support.ts';

describe('blockedDotPlan', () => {
  it('shares out the result so each invocation reads the fewest operands per step', () => {
    // 16×64 over 8 invocations: one row of invocations (a's reads uniform), 16×8 each in vec4 groups.
    expect(blockedDotPlan(16, 64, 8, 4)).toEqual({ gy: 1, gx: 8, tr: 16, tc: 8, rowsPerPass: 16, w: 4 });
    // 32×64 over 32: 4×16 blocks in vectors beat one row of invocations with scalar columns…
    expect(blockedDotPlan(32, 64, 32, 4)).toMatchObject({ gy: 8, gx: 4, tc: 16, w: 4 });
    // …unless the subgroup shares a's reads (broadcastA).
    expect(blockedDotPlan(32, 64, 32, 4, true)).toMatchObject({ gy: 1, gx: 32, tc: 2, w: 1 });
  });

  it('keeps at most 128 sums live, in passes over the rows', () => {
    const plan = blockedDotPlan(64, 64, 16, 4);
    expect(plan).toBeDefined();
    expect((plan?.rowsPerPass ?? 0) * (plan?.tc ?? 0)).toBeLessThanOrEqual(128);
    expect((plan?.tr ?? 0) % (plan?.rowsPerPass ?? 1)).toBe(0);
  });

  it('declines when the workgroup does not divide the result', () => {
    expect(blockedDotPlan(3, 5, 8, 4)).toBeUndefined();
  });
});

describe('attention lowering', () => {
  const ir = attentionKernel(64).prepared().ir;
  it('computes p @ v in register blocks, accumulating into acc in place', () => {
    const wgsl = compileWgsl(ir, {}, LAVAPIPE_LIMITS).wgsl;
    expect(wgsl).not.toMatch(/generic/);
    expect(wgsl).toMatch(/@m\d+: 16×64 tile, 1×8 invocations, 16×8 each/);
    // No scratch tile for the product: it is summed into acc's array, rescaled by alpha on the way in.
    expect(wgsl).toMatch(/bd_acc\[0\] = \(tile_acc_\d+\[.*\] \* tile_alpha_\d+\[bd_r0\]\);/);
    expect(wgsl).toMatch(/tile_acc_\d+\[.*\] = bd_acc_c\d+\[bd_e\d+\];/);
    expect(wgsl).toMatch(/array<vec4<f32>>;\n.*buf_v|buf_v: array<vec4<f32>>/);
  });

  it('broadcasts rows of p across the subgroup under broadcastA', () => {
    const limits = { ...LAVAPIPE_LIMITS, subgroupMinSize: 8, subgroupMaxSize: 8 };
    const wgsl = compileWgsl(ir, { blocks: { tm: 32, tn: 64 }, microTile: [16, 8], broadcastA: true, unroll: 4 }, limits, ['subgroups']).wgsl;
    expect(wgsl).toMatch(/let bd_aL0 = tile_p_\d+\[\(bd_r0 \+ i32\(sg_id % 8u\)\) \* 64 \+ d_kk\];/);
    expect(wgsl).toMatch(/let bd_a9 = subgroupBroadcast\(bd_aL1, 1u\);/);
  });
});

// Shader compiles on a CPU adapter take seconds for the larger register blocks: a few
// tilings that cover the plans (vector and scalar columns, passes, broadcasts).
const CONFIGS: ConfigInput[] = [
  {},
  { blocks: { tm: 16, tn: 64 }, vectorWidth: 1 },
  { blocks: { tm: 32, tn: 64 }, microTile: [16, 8], broadcastA: true, unroll: 4 },
  { blocks: { tm: 16, tn: 64 }, broadcastA: true, unroll: 4 },
];
const SHAPES = [[3, 37, 45], [2, 100, 130]] as const;

describeWebGPU('attention with blocked p @ v on WebGPU', (ctx) => {
  for (const d of [64, 20]) {
    const kernel = attentionKernel(d);
    for (const [bh, s, t] of SHAPES) {
      // Head dim 20: columns in scalars (20 is no multiple of 4 per invocation), fewer tilings.
      for (const config of d === 64 ? CONFIGS : [CONFIGS[0] ?? {}, CONFIGS[3] ?? {}]) {
        it(`d=${d} bh=${bh} s=${s} t=${t} ${JSON.stringify(config)}`, async (test) => {
          const subgroups = ctx.device.features.has('subgroups') && ctx.device.info.limits.subgroupMaxSize !== undefined;
          if (config.broadcastA && !subgroups) return test.skip();
          const [qs, ks, vs] = [randomF32(bh * s * d, s + d), randomF32(bh * t * d, t + d + 1), randomF32(bh * t * d, t + d + 2)];
          const args = [ctx.device.tensor(qs, [bh, s, d]), ctx.device.tensor(ks, [bh, t, d]), ctx.device.tensor(vs, [bh, t, d])] as const;
          const scale = 1 / Math.sqrt(d);
          const [out] = await kernel.run([...args, scale], { config });
          expect(maxAbsDiff((await out?.read()) ?? [], attentionReference(qs, ks, vs, bh, s, t, d, scale))).toBeLessThan(1e-4);
          for (const x of [...args, out]) x?.destroy();
        }, 60_000);
      }
    }
  }
});
