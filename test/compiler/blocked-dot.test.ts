/**
 * Attention's lowering: `p @ v[bh, tn, :]` outside the micro-tile layout with a
 * compile-time result size (the register-block plan; blocked, accumulating into `acc`
 * kept in its registers, subgroup broadcasts of a under broadcastA), the q·kᵀ tile kept
 * in registers through the row max and sum (reduce-micro.ts), and attention — causal and
 * not — on the adapter against plain-JS references at ragged sizes under several
 * tilings, head dims that are and are not multiples of the vector width.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, type ConfigInput } from 'tessera-gpu-compiler';
import { blockedDotPlan } from '../../packages/compiler/src/wgsl/blocked-plan.ts';
import { attentionKernel, attentionReference } from '../../examples/attention.ts';
import { causalAttentionKernel, causalAttentionReference } from '../../examples/causal-attention.ts';
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
  const limits = { ...LAVAPIPE_LIMITS, subgroupMinSize: 8, subgroupMaxSize: 8 };
  const wgslOf = (config: ConfigInput): string => compileWgsl(ir, config, limits, ['subgroups']).wgsl;

  it('computes p @ v in register blocks, accumulating into acc in its registers', () => {
    const wgsl = wgslOf({ blocks: { tm: 16, tn: 64 } });
    expect(wgsl).not.toMatch(/generic/);
    expect(wgsl).toMatch(/@m\d+: 16×64 tile, 1×16 invocations, 16×4 each/);
    // acc never goes through workgroup memory: rescaled by alpha in place, summed into, stored from.
    expect(wgsl).not.toMatch(/var<workgroup> tile_acc/);
    expect(wgsl).toMatch(/breg_acc_\d+\[0\] = \(breg_acc_\d+\[0\] \* tile_alpha_\d+\[bd_r0\]\);/);
    expect(wgsl).toMatch(/breg_acc_\d+\[0\] = fma\(bd_a0, bd_bv0\[0\], breg_acc_\d+\[0\]\);/);
    expect(wgsl).toMatch(/buf_out\[.*\] = \(breg_acc_\d+_c\d+\[bd_e\d+\] \/ tile_l_\d+\[bd_row\d+\]\);/);
    expect(wgsl).toMatch(/buf_v: array<vec4<f32>>/);
  });

  it('keeps the score tile in registers: row max and sum fold owned elements, p is published once for p @ v', () => {
    const wgsl = wgslOf({ blocks: { tm: 32, tn: 64 }, microTile: [16, 8], broadcastA: true, unroll: 4 });
    // No workgroup copy of q·kᵀ: the reductions read the product's registers.
    expect(wgsl).not.toMatch(/var<workgroup> mat_m0:/);
    expect(wgsl).toMatch(/var rm_p0: f32 = max\(.*select\(tessera_f32_bits\(0xff800000u\), \(mat_m0\[0\] \* u\.scale\), rm_ok0\)/);
    expect(wgsl).toMatch(/var rm_p0: f32 = .*select\(f32\(0\.0\), reg_p_\d+\[0\], rm_ok0\)/);
    // Partials of the 8 invocations sharing a row combine through a [32, 8] array.
    expect(wgsl).toMatch(/var<workgroup> red_m\d+: array<f32, 256>;/);
    // p lives in registers and its copy feeds the product, whose subgroup shares its rows.
    expect(wgsl).toMatch(/reg_p_\d+\[0\] = exp\(\(\(mat_m0\[0\] \* u\.scale\) - tile_m_new_\d+\[mt_r0\]\)\);/);
    expect(wgsl).toMatch(/tile_p_\d+\[\(d_row\d+\) \* 64 \+ d_col\d+\] = reg_p_\d+_c\d+\[d_r\d+\];/);
    expect(wgsl).toMatch(/let bd_aL0 = tile_p_\d+\[\(bd_r0 \+ i32\(sg_id % 8u\)\) \* 64 \+ d_kk\];/);
    expect(wgsl).toMatch(/let bd_a9 = subgroupBroadcast\(bd_aL1, 1u\);/);
  });

  it("combines a row's partials with shuffles under reduction: 'subgroup'", () => {
    const wgsl = wgslOf({ blocks: { tm: 32, tn: 64 }, microTile: [16, 8], reduction: 'subgroup' });
    expect(wgsl).toMatch(/rm_p0 = max\(rm_p0, subgroupShuffleXor\(rm_p0, 4u\)\);/);
    expect(wgsl).toMatch(/rm_p15 = rm_p15 \+ subgroupShuffleXor\(rm_p15, 1u\);/);
    expect(wgsl).not.toMatch(/var<workgroup> red_m/);
  });
});

// Shader compiles on a CPU adapter take seconds for the larger register blocks: a few
// cases that cover the lowerings — vector and scalar columns, one and several key blocks
// (the running max rescales acc), partials combined in workgroup memory and by shuffles,
// broadcasts, a head dim that is no multiple of 4 (20) and one past 64 (80), causal.
interface Case { readonly d: number; readonly shape: readonly [number, number, number]; readonly config: ConfigInput; readonly causal?: boolean }
const CASES: Case[] = [
  { d: 64, shape: [3, 37, 45], config: {} },
  { d: 64, shape: [2, 100, 130], config: { blocks: { tm: 16, tn: 64 }, vectorWidth: 1 } },
  { d: 64, shape: [2, 100, 130], config: { blocks: { tm: 32, tn: 64 }, microTile: [16, 8], broadcastA: true, unroll: 4 } },
  { d: 20, shape: [2, 100, 130], config: {} },
  { d: 20, shape: [3, 37, 45], config: { blocks: { tm: 16, tn: 64 }, broadcastA: true, unroll: 4 } },
  { d: 80, shape: [2, 70, 99], config: { blocks: { tm: 16, tn: 32 } } },
  { d: 64, shape: [2, 100, 100], config: { blocks: { tm: 32, tn: 32 } }, causal: true },
  { d: 20, shape: [2, 45, 45], config: { blocks: { tm: 16, tn: 16 }, reduction: 'subgroup', unroll: 4 }, causal: true },
];

describeWebGPU('attention with register row statistics and blocked p @ v on WebGPU', (ctx) => {
  for (const { d, shape: [bh, s, t], config, causal } of CASES) {
    it(`${causal ? 'causal ' : ''}d=${d} bh=${bh} s=${s} t=${t} ${JSON.stringify(config)}`, async (test) => {
      const subgroups = ctx.device.features.has('subgroups') && ctx.device.info.limits.subgroupMaxSize !== undefined;
      if ((config.broadcastA || config.reduction === 'subgroup') && !subgroups) return test.skip();
      const kernel = causal ? causalAttentionKernel(d) : attentionKernel(d);
      const [qs, ks, vs] = [randomF32(bh * s * d, s + d), randomF32(bh * t * d, t + d + 1), randomF32(bh * t * d, t + d + 2)];
      const args = [ctx.device.tensor(qs, [bh, s, d]), ctx.device.tensor(ks, [bh, t, d]), ctx.device.tensor(vs, [bh, t, d])] as const;
      const scale = 1 / Math.sqrt(d);
      const [out] = await kernel.run([...args, scale], { config });
      const want = causal ? causalAttentionReference(qs, ks, vs, bh, s, t, d, scale) : attentionReference(qs, ks, vs, bh, s, t, d, scale);
      expect(maxAbsDiff((await out?.read()) ?? [], want)).toBeLessThan(1e-4);
      for (const x of [...args, out]) x?.destroy();
    }, 180_000);
  }
});
