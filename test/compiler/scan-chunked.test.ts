/**
 * Row cumsum over a whole (':') dim: scanned in windows, in serial chunks per invocation
 * (wgsl/scan-chunked.ts). On the adapter against the plain-JS reference for rows spanning
 * many windows with a ragged end, blocks of rows taller than the workgroup (smaller
 * chunks), one row per workgroup, and a single element.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, type ConfigInput } from 'tessera-gpu-compiler';
import { rowCumsum, rowCumsumReference } from '../../examples/cumsum.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS } from './support.ts';

describe('chunked row scan: lowering', () => {
  it('gives each invocation a chunk of 16, fewer when the block of rows is tall', () => {
    const ir = rowCumsum.prepared().ir;
    expect(compileWgsl(ir, {}, LAVAPIPE_LIMITS).wgsl).toMatch(/in windows of 128, 16 per invocation/);
    // 256 rows on 64 invocations: one lane per row, chunks of 8 keep the window at 2048 elements.
    expect(compileWgsl(ir, { blocks: { tm: 256 }, workgroupSize: 64 }, LAVAPIPE_LIMITS).wgsl).toMatch(/in windows of 8, 8 per invocation/);
  });
});

const CASES: [number, number, ConfigInput][] = [
  [3, 5000, {}],
  [300, 129, { blocks: { tm: 256 }, workgroupSize: 64 }],
  [5, 2049, { blocks: { tm: 1 }, workgroupSize: 256 }],
  [1, 1, {}],
  [37, 700, { blocks: { tm: 16 }, workgroupSize: 128 }],
];

describeWebGPU('chunked row scan on WebGPU', (ctx) => {
  for (const [m, n, config] of CASES) {
    it(`cumsum ${m}x${n} ${JSON.stringify(config)}`, async () => {
      const xs = randomF32(m * n, m + n);
      const x = ctx.device.tensor(xs, [m, n]);
      const [out] = await rowCumsum.run([x], { config });
      expect(maxAbsDiff((await out?.read()) ?? [], rowCumsumReference(xs, m, n))).toBeLessThan(2e-3);
      x.destroy();
      out?.destroy();
    });
  }
});
