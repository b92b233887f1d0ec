/** The example kernels on both backends, against their plain-JS references, at ragged sizes. */
import { expect, it } from 'vitest';
import { rmsnorm, rmsnormReference } from '../../examples/rmsnorm.ts';
import { rowStats, rowStatsReference } from '../../examples/row-stats.ts';
import { rowCumsum, rowCumsumReference } from '../../examples/cumsum.ts';
import { softmaxOnline } from '../../examples/softmax-online.ts';
import { softmaxReference } from '../../examples/softmax.ts';
import { describeOnBackends } from '../support/backends.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describeOnBackends('examples', (dev) => {
  it('rmsnorm', async () => {
    for (const [m, n] of [[1, 1], [13, 301]] as const) {
      const x = randomF32(m * n, m + n, -3, 3);
      const w = randomF32(n, 7);
      const [out] = await rmsnorm.run([dev().tensor(x, [m, n]), dev().tensor(w, [n]), 1e-6], { config: { blocks: { tm: 4 } } });
      expect(maxAbsDiff((await out?.read()) ?? [], rmsnormReference(x, w, m, n, 1e-6))).toBeLessThan(1e-4);
    }
  });

  it('row sum and argmax (two outputs)', async () => {
    const [m, n] = [21, 257];
    const x = randomF32(m * n, 3, -5, 5);
    const [total, best] = await rowStats.run([dev().tensor(x, [m, n])], { config: { blocks: { tm: 2 } } });
    const [wantTotal, wantBest] = rowStatsReference(x, m, n);
    expect(maxAbsDiff((await total?.read()) ?? [], wantTotal)).toBeLessThan(1e-3);
    expect(Array.from((await best?.read()) ?? [])).toEqual(Array.from(wantBest));
  });

  it('online (two-pass) softmax', async () => {
    for (const [m, n] of [[1, 1], [13, 1000], [70, 33]] as const) {
      const x = randomF32(m * n, m * n, -8, 8);
      for (const config of [{}, { blocks: { tm: 4, tn: 64 } }]) {
        const [out] = await softmaxOnline.run([dev().tensor(x, [m, n])], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], softmaxReference(x, m, n))).toBeLessThan(1e-6);
      }
    }
  });

  it('row cumsum', async () => {
    const [m, n] = [5, 700];
    const x = randomF32(m * n, 4);
    const [out] = await rowCumsum.run([dev().tensor(x, [m, n])], { config: { blocks: { tm: 1 }, workgroupSize: 128 } });
    expect(maxAbsDiff((await out?.read()) ?? [], rowCumsumReference(x, m, n))).toBeLessThan(1e-3);
  });
});
