/**
 * The gated GELU, the one-pass Welford mean/variance over column tiles and the long-row
 * sum with a nested tile loop (bench/kernels-helion.ts): results against f64 references
 * at ragged sizes, under the default config and others, and the nested-loop default that
 * keeps the long-row kernels within reach of their tuned configs (wide column tiles).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from 'tessera-gpu-compiler';
import { geglu, gegluReference, longSum, rowMomentsReference, welford } from '../../bench/kernels-helion.ts';
import { softmaxOnline } from '../../examples/softmax-online.ts';
import { attention } from '../../examples/attention.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describe('nested tile loop defaults', () => {
  it('kernels without @ walk their columns in wide tiles; attention keeps its fitted blocks', () => {
    expect(resolveConfig(longSum.prepared().ir, {}).blocks).toEqual({ tm: 8, tn: 1024 });
    expect(resolveConfig(welford.prepared().ir, {}).blocks).toEqual({ tm: 8, tn: 1024 });
    expect(resolveConfig(softmaxOnline.prepared().ir, {}).blocks['tn']).toBe(1024);
    expect(resolveConfig(attention.prepared().ir, {}).blocks['tn']).toBeLessThanOrEqual(64);
  });
});

describeWebGPU('Helion-style shapes on WebGPU', (ctx) => {
  const configs = [{}, { blocks: { tm: 4, tn: 64 }, workgroupSize: 64 }];
  it('geglu 37×1003 against the exact-erf reference', async () => {
    const [m, n] = [37, 1003];
    const [as, bs] = [randomF32(m * n, 21, -3, 3), randomF32(m * n, 22)];
    const [a, b] = [ctx.device.tensor(as, [m, n]), ctx.device.tensor(bs, [m, n])];
    const want = gegluReference(as, bs);
    for (const config of [{}, { blocks: { tm: 1, tn: 1024 } }]) {
      const [out] = await geglu.run([a, b], { config });
      expect(maxAbsDiff((await out?.read()) ?? [], want)).toBeLessThan(2e-5);
      out?.destroy();
    }
    for (const t of [a, b]) t.destroy();
  }, 60_000);

  // 2051: rows that start off a vector (the masked vector walk); 2052: on one, with a ragged last tile.
  for (const n of [2051, 2052]) it(`welford and long-row sums over 13×${n} (ragged column tiles)`, async () => {
    const m = 13;
    const xs = randomF32(m * n, 23, -2, 3);
    const x = ctx.device.tensor(xs, [m, n]);
    const ref = rowMomentsReference(xs, m, n);
    for (const config of [...configs, { blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' as const }, { blocks: { tm: 16, tn: 128 }, workgroupSize: 16, reduction: 'serial' as const }]) {
      const [mean, variance] = await welford.run([x], { config });
      expect(maxAbsDiff((await mean?.read()) ?? [], ref.mean)).toBeLessThan(1e-5);
      expect(maxAbsDiff((await variance?.read()) ?? [], ref.variance)).toBeLessThan(1e-4);
      const [sum] = await longSum.run([x], { config });
      expect(maxAbsDiff((await sum?.read()) ?? [], ref.sum)).toBeLessThan(2e-3);
      for (const t of [mean, variance, sum]) t?.destroy();
    }
    x.destroy();
  }, 60_000);
});
