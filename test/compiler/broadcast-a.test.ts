/**
 * `broadcastA`: the knob in the config space (only where the adapter has subgroups and
 * reports their sizes), its validation, and on the adapter matmul and matmul + bias +
 * ReLU against the plain-JS reference at ragged sizes under several tilings, including
 * micro-tiles taller than the subgroup (each invocation then loads several rows).
 */
import { describe, expect, it } from 'vitest';
import { configSpace, DEFAULT_LIMITS, validateConfig, type ConfigInput } from 'tessera-gpu-compiler';
import { matmul, matmulBiasRelu, matmulReference } from '../../examples/matmul.ts';
import { softmax } from '../../examples/softmax.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const SG8 = { ...DEFAULT_LIMITS, subgroupMinSize: 8, subgroupMaxSize: 8 };
const SG32 = { ...DEFAULT_LIMITS, subgroupMinSize: 32, subgroupMaxSize: 32 };

describe('broadcastA knob', () => {
  const ir = matmul.prepared().ir;
  it('is offered only for @ kernels on adapters with known subgroup sizes', () => {
    const names = (limits: typeof DEFAULT_LIMITS, features: readonly string[], k = ir): string[] => configSpace(k, limits, features).knobs.map((x) => x.name);
    expect(names(SG8, ['subgroups'])).toContain('broadcastA');
    expect(names(DEFAULT_LIMITS, ['subgroups'])).not.toContain('broadcastA');
    expect(names(SG8, [])).not.toContain('broadcastA');
    expect(names(SG8, ['subgroups'], softmax.prepared().ir)).not.toContain('broadcastA');
  });

  it('is rejected with the reason where it cannot be correct', () => {
    expect(() => validateConfig(ir, { broadcastA: true }, DEFAULT_LIMITS, ['subgroups'])).toThrow(/subgroup sizes/);
    expect(() => validateConfig(ir, { broadcastA: true }, SG8, [])).toThrow(/'subgroups'/);
    expect(() => validateConfig(ir, { broadcastA: true, stageA: true }, SG8, ['subgroups'])).toThrow(/stageA/);
    // 64/8 = 8 invocations per row group: a 32-wide subgroup would span four of them.
    expect(() => validateConfig(ir, { broadcastA: true }, SG32, ['subgroups'])).toThrow(/multiple of the subgroup size/);
    expect(validateConfig(ir, { broadcastA: true, blocks: { tm: 32, tn: 128, tk: 32 }, microTile: [4, 4] }, SG32, ['subgroups']).broadcastA).toBe(true);
    expect(validateConfig(ir, { broadcastA: true }, SG8, ['subgroups']).broadcastA).toBe(true);
  });
});

const CONFIGS: ConfigInput[] = [
  { broadcastA: true },
  { broadcastA: true, unroll: 4 },
  { broadcastA: true, blocks: { tm: 128, tn: 64, tk: 32 }, microTile: [16, 8] },
  { broadcastA: true, blocks: { tm: 32, tn: 64, tk: 16 }, microTile: [4, 8], stageB: true },
  { broadcastA: true, blocks: { tm: 16, tn: 32, tk: 8 }, microTile: [2, 4], vectorWidth: 1 },
];
const SIZES = [[1, 1, 1], [37, 53, 29], [130, 67, 201]] as const;

describeWebGPU('broadcastA on WebGPU', (ctx) => {
  const usable = (): boolean => ctx.device.features.has('subgroups') && ctx.device.info.limits.subgroupMaxSize !== undefined;
  for (const [m, k, n] of SIZES) {
    for (const config of CONFIGS) {
      it(`matmul ${m}x${k}x${n} ${JSON.stringify(config)}`, async (t) => {
        if (!usable()) return t.skip();
        const [as, bs, bias] = [randomF32(m * k, m + k, -1, 1), randomF32(k * n, k + n, -1, 1), randomF32(n, n, -1, 1)];
        const [a, b, c] = [ctx.device.tensor(as, [m, k]), ctx.device.tensor(bs, [k, n]), ctx.device.tensor(bias, [n])];
        const [plain] = await matmul.run([a, b], { config });
        expect(maxAbsDiff((await plain?.read()) ?? [], matmulReference(as, bs, m, k, n))).toBeLessThan(1e-4 * Math.max(1, k));
        const [fused] = await matmulBiasRelu.run([a, b, c], { config });
        expect(maxAbsDiff((await fused?.read()) ?? [], matmulReference(as, bs, m, k, n, bias))).toBeLessThan(1e-4 * Math.max(1, k));
        for (const x of [a, b, c, plain, fused]) x?.destroy();
      }, 60_000);
    }
  }
});
