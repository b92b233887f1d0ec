/**
 * `reduction: 'subgroup'`: the knob in the config space (only with the adapter feature),
 * validation against the adapter's features, the artifact's requiredFeatures, and on the
 * adapter (when it has 'subgroups') softmax and row sum / mean / max / min against plain-JS
 * references at ragged sizes under several block and workgroup sizes.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, configSpace, DEFAULT_LIMITS, validateConfig, type ConfigInput } from 'tessera-gpu-compiler';
import { kernel } from 'tessera-gpu';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const rowStats = kernel`
fn row_stats(x: f32[M, N]) -> (f32[M], f32[M], f32[M], f32[M]) {
  let s = empty([M], f32);
  let mu = empty([M], f32);
  let hi = empty([M], f32);
  let lo = empty([M], f32);
  for tm in tile(M) {
    let row = x[tm, :];
    s[tm] = sum(row, axis=1);
    mu[tm] = mean(row, axis=1);
    hi[tm] = max(row, axis=1);
    lo[tm] = min(row, axis=1);
  }
  return (s, mu, hi, lo);
}`;

const isum = kernel`
fn isum(x: i32[M, N]) -> i32[M] {
  let s = empty([M], i32);
  for tm in tile(M) {
    s[tm] = sum(x[tm, :], axis=1);
  }
  return s;
}`;

const add = kernel`
fn add1(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = x[tn] + 1.0;
  }
  return out;
}`;

describe('reduction knob', () => {
  it("offers 'subgroup' only for kernels with reductions on adapters with subgroups", () => {
    const values = (features: readonly string[], ir = softmax.prepared().ir): readonly unknown[] | undefined =>
      configSpace(ir, DEFAULT_LIMITS, features).knobs.find((k) => k.name === 'reduction')?.values;
    expect(values([])).toEqual(['tree', 'serial']);
    expect(values(['shader-f16'])).toEqual(['tree', 'serial']);
    expect(values(['subgroups'])).toEqual(['tree', 'subgroup', 'serial']);
    expect(values(['subgroups'], add.prepared().ir)).toBeUndefined();
    const space = configSpace(softmax.prepared().ir, DEFAULT_LIMITS, ['subgroups']);
    expect(space.default.reduction).toBe('tree');
    expect(space.build({ reduction: 'subgroup' }).reduction).toBe('subgroup');
    expect(space.problems(space.build({ reduction: 'subgroup' }))).toEqual([]);
  });

  it('is rejected, with the reason, on an adapter without subgroups', () => {
    const ir = softmax.prepared().ir;
    expect(() => validateConfig(ir, { reduction: 'subgroup' }, DEFAULT_LIMITS, [])).toThrow(/'subgroups'/);
    expect(() => compileWgsl(ir, { reduction: 'subgroup' }, DEFAULT_LIMITS, ['shader-f16'])).toThrow(/needs the adapter feature 'subgroups'/);
    expect(configSpace(ir, DEFAULT_LIMITS, []).problems(validateConfig(ir, { reduction: 'subgroup' }))).toContainEqual(expect.stringMatching(/subgroups/));
    expect(() => validateConfig(ir, { reduction: 'warp' as 'tree' })).toThrow(/must be 'tree', 'subgroup' or 'serial'/);
  });

  it('lists subgroups in requiredFeatures and enables them only when used', () => {
    const ir = softmax.prepared().ir;
    const tree = compileWgsl(ir, {});
    expect(tree.requiredFeatures).toEqual([]);
    expect(tree.wgsl).not.toMatch(/subgroup/);
    const sg = compileWgsl(ir, { reduction: 'subgroup' }, DEFAULT_LIMITS, ['subgroups']);
    expect(sg.requiredFeatures).toEqual(['subgroups']);
    expect(sg.wgsl).toMatch(/^enable subgroups;/);
    expect(sg.wgsl).toMatch(/subgroupMax\(/);
    expect(sg.wgsl).toMatch(/subgroupAdd\(/);
    // A kernel without reductions compiles the same under either strategy.
    expect(compileWgsl(add.prepared().ir, { reduction: 'subgroup' }, DEFAULT_LIMITS, ['subgroups']).wgsl)
      .toBe(compileWgsl(add.prepared().ir, {}).wgsl);
  });
});

const CONFIGS: ConfigInput[] = [
  { reduction: 'subgroup' },
  { reduction: 'subgroup', workgroupSize: 16 },
  { reduction: 'subgroup', workgroupSize: 64 },
  { reduction: 'subgroup', blocks: { tm: 2 }, workgroupSize: 32 },
  { reduction: 'subgroup', blocks: { tm: 4 }, workgroupSize: 128 },
  { reduction: 'subgroup', blocks: { tm: 16 }, workgroupSize: 256 },
  { reduction: 'subgroup', blocks: { tm: 32 }, workgroupSize: 64 },
  { reduction: 'subgroup', blocks: { tm: 64 }, workgroupSize: 128 },
  { reduction: 'subgroup', blocks: { tm: 128 }, workgroupSize: 256 },
  { reduction: 'subgroup', blocks: { tm: 256 }, workgroupSize: 64 },
];
const SIZES = [[1, 1], [7, 1000], [33, 257], [70, 3], [5, 4099]] as const;

function refStats(xs: Float32Array, m: number, n: number): Float64Array[] {
  const out = [0, 1, 2, 3].map(() => new Float64Array(m));
  for (let r = 0; r < m; r++) {
    let s = 0;
    let hi = -Infinity;
    let lo = Infinity;
    for (let c = 0; c < n; c++) {
      const v = xs[r * n + c] ?? 0;
      s += v;
      hi = Math.max(hi, v);
      lo = Math.min(lo, v);
    }
    out[0]?.set([s], r);
    out[1]?.set([s / n], r);
    out[2]?.set([hi], r);
    out[3]?.set([lo], r);
  }
  return out;
}

describeWebGPU('subgroup reductions on WebGPU', (ctx) => {
  const skip = (): boolean => !ctx.device.features.has('subgroups');
  for (const [m, n] of SIZES) {
    for (const config of CONFIGS) {
      it(`softmax ${m}x${n} ${JSON.stringify(config)}`, async (t) => {
        if (skip()) return t.skip();
        const xs = randomF32(m * n, 3 * m + n, -8, 8);
        const x = ctx.device.tensor(xs, [m, n]);
        const [out] = await softmax.run([x], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-6);
        for (const tt of [x, out]) tt?.destroy();
      });
      it(`sum/mean/max/min ${m}x${n} ${JSON.stringify(config)}`, async (t) => {
        if (skip()) return t.skip();
        const xs = randomF32(m * n, 5 * m + n, -4, 4);
        const x = ctx.device.tensor(xs, [m, n]);
        const outs = await rowStats.run([x], { config });
        const want = refStats(xs, m, n);
        for (const [i, o] of outs.entries()) {
          const got = (await o.read());
          const w = want[i] ?? new Float64Array(0);
          const tol = i < 2 ? 1e-4 * Math.max(1, Math.sqrt(n)) : 0;
          expect.soft(maxAbsDiff(got, w), ['sum', 'mean', 'max', 'min'][i]).toBeLessThanOrEqual(tol);
          o.destroy();
        }
        x.destroy();
      });
    }
    it(`i32 sum ${m}x${n}`, async (t) => {
      if (skip()) return t.skip();
      const xs = Int32Array.from({ length: m * n }, (_, i) => ((i * 7919) % 201) - 100);
      const x = ctx.device.tensor(xs, [m, n]);
      const [out] = await isum.run([x], { config: { reduction: 'subgroup', blocks: { tm: 2 }, workgroupSize: 64 } });
      const want = Array.from({ length: m }, (_, r) => xs.slice(r * n, (r + 1) * n).reduce((a, b) => a + b, 0));
      expect(Array.from((await out?.read()) ?? [])).toEqual(want);
      for (const tt of [x, out]) tt?.destroy();
    });
  }
});
