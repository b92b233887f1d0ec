import { expect, it } from 'vitest';
import { layernorm, layernormReference } from '../../examples/layernorm.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describeWebGPU('layernorm on WebGPU', (ctx) => {
  for (const [m, n] of [[1, 1], [5, 1000], [67, 129]] as const) {
    for (const config of [{}, { blocks: { tm: 4 }, workgroupSize: 128 }, { blocks: { tm: 8 }, workgroupSize: 64 }]) {
      it(`${m}x${n} ${JSON.stringify(config)}`, async () => {
        const d = ctx.device;
        const xs = randomF32(m * n, m + n, -3, 3);
        const g = randomF32(n, 5, 0.5, 1.5);
        const b = randomF32(n, 6, -1, 1);
        const args = [d.tensor(xs, [m, n]), d.tensor(g, [n]), d.tensor(b, [n])];
        const [out] = await layernorm.run([...args, 1e-5], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], layernormReference(xs, g, b, m, n, 1e-5))).toBeLessThan(2e-4);
        for (const t of [...args, out]) t?.destroy();
      });
    }
  }
});
