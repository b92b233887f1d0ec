/**
 * The whole path — template → parser → checker → tile IR → WGSL → WebGPU adapter →
 * result — for vector add and row softmax, at sizes that are and are not multiples of
 * the block size, under several configs, against plain-JS references.
 */
import { expect, it } from 'vitest';
import { add, addReference } from '../../examples/add.ts';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { Tensor, type ConfigInput } from 'tessera-gpu';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const ADD_CONFIGS: ConfigInput[] = [{}, { blocks: { tn: 64 }, workgroupSize: 64 }, { blocks: { tn: 1024 }, workgroupSize: 128 }, { blocks: { tn: 16 }, workgroupSize: 32 }];
const SOFTMAX_CONFIGS: ConfigInput[] = [{}, { blocks: { tm: 4 }, workgroupSize: 128 }, { blocks: { tm: 16 }, workgroupSize: 256 }, { blocks: { tm: 2 }, workgroupSize: 32 }];

describeWebGPU('vector add on WebGPU', (ctx) => {
  for (const n of [1, 1000, 4096, 100003]) {
    for (const config of ADD_CONFIGS) {
      it(`N=${n} config=${JSON.stringify(config)}`, async () => {
        const xs = randomF32(n, 1 + n, -100, 100);
        const ys = randomF32(n, 2 + n, -100, 100);
        const x = ctx.device.tensor(xs, [n]);
        const y = ctx.device.tensor(ys, [n]);
        const [out] = await add.run([x, y], { config });
        if (!(out instanceof Tensor)) throw new Error('no output');
        const got = await out.read();
        expect(maxAbsDiff(got, addReference(xs, ys))).toBe(0);
        for (const t of [x, y, out]) t.destroy();
      });
    }
  }
});

describeWebGPU('row softmax on WebGPU', (ctx) => {
  for (const [m, n] of [[1, 1], [7, 1000], [512, 1024], [33, 257]] as const) {
    for (const config of SOFTMAX_CONFIGS) {
      it(`${m}x${n} config=${JSON.stringify(config)}`, async () => {
        const xs = randomF32(m * n, 7 * m + n, -8, 8);
        const x = ctx.device.tensor(xs, [m, n]);
        const [out] = await softmax.run([x], { config });
        if (!out) throw new Error('no output');
        const got = await out.read();
        expect(maxAbsDiff(got, softmaxReference(xs, m, n))).toBeLessThan(1e-6);
        x.destroy();
        out.destroy();
      });
    }
  }
});
