/**
 * Resource hygiene and concurrency: thousands of calls leave no buffers behind and build
 * one pipeline per config; several async callers mixing kernels all get correct results.
 */
import { expect, it } from 'vitest';
import type { Tensor } from 'tessera-gpu';
import { add, addReference } from '../../examples/add.ts';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describeWebGPU('resource hygiene', (ctx) => {
  it('10,000 calls: live buffers stay flat, one pipeline', async () => {
    const d = ctx.device;
    const x = d.tensor(randomF32(37, 1), [37]);
    const y = d.tensor(randomF32(37, 2), [37]);
    const config = { blocks: { tn: 32 }, workgroupSize: 32 };
    const warm = await add.run([x, y], { config });
    warm[0]?.destroy();
    const before = d.stats();
    for (let i = 0; i < 10_000; i++) {
      const [out] = await add.run([x, y], { config });
      out?.destroy();
      if (i % 1000 === 999) await d.sync();
    }
    await d.sync();
    const after = d.stats();
    expect(after.liveBuffers).toBe(before.liveBuffers);
    expect(after.pipelinesCreated).toBe(before.pipelinesCreated);
    expect(after.pooledBuffers).toBeLessThanOrEqual(before.pooledBuffers + 1);
    x.destroy();
    y.destroy();
  }, 120_000);

  it('a bounded soak: 6 async callers mixing kernels, every result checked', async () => {
    const d = ctx.device;
    const caller = async (seed: number): Promise<number> => {
      let checked = 0;
      for (let i = 0; i < 12; i++) {
        const s = seed * 100 + i;
        if ((s + i) % 2 === 0) {
          const n = 1 + ((s * 7919) % 3000);
          const xs = randomF32(n, s);
          const ys = randomF32(n, s + 1);
          const args: Tensor[] = [d.tensor(xs, [n]), d.tensor(ys, [n])];
          const [out] = await add.run(args, { config: { blocks: { tn: [64, 256, 1024][i % 3] ?? 64 } } });
          expect(maxAbsDiff((await out?.read()) ?? [], addReference(xs, ys))).toBe(0);
          for (const t of [...args, out]) t?.destroy();
        } else {
          const [m, n] = [1 + (s % 19), 1 + ((s * 31) % 700)];
          const xs = randomF32(m * n, s, -5, 5);
          const x = d.tensor(xs, [m, n]);
          const [out] = await softmax.run([x], { config: { blocks: { tm: [1, 2, 8][i % 3] ?? 1 } } });
          expect(maxAbsDiff((await out?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-6);
          x.destroy();
          out?.destroy();
        }
        checked++;
      }
      return checked;
    };
    const before = d.stats().liveBuffers;
    const counts = await Promise.all([1, 2, 3, 4, 5, 6].map(caller));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(72);
    expect(d.stats().liveBuffers).toBe(before);
  }, 120_000);
});
