/**
 * The rowCache knob: rows that fit are read from global memory once and kept in
 * workgroup memory; longer rows take the streaming path. Both paths must give the same
 * results as the plain-JS references.
 */
import { expect, it } from 'vitest';
import { configSpace, DEFAULT_LIMITS } from 'tessera-gpu-compiler';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { layernorm, layernormReference } from '../../examples/layernorm.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

it('the rowCache knob is offered to row-wise kernels and changes the WGSL only when set', () => {
  const ir = softmax.prepared().ir;
  expect(configSpace(ir, DEFAULT_LIMITS).knobs.map((k) => k.name)).toContain('rowCache');
  expect(softmax.wgsl()).not.toContain('rc_buf_x');
  const cached = softmax.wgsl({ blocks: { tm: 2 }, rowCache: 1024 });
  expect(cached).toContain('var<workgroup> rc_buf_x: array<f32, 2048>;');
  expect(cached).toContain('if (u.N <= 1024) {');
  expect(() => softmax.wgsl({ rowCache: 1000 })).toThrow(/rowCache=1000 must be 0 \(off\) or a power of two/);
});

it('a row cache larger than workgroup memory is rejected by the config check, before any WGSL', () => {
  const ir = softmax.prepared().ir;
  const space = configSpace(ir, DEFAULT_LIMITS);
  // 16 rows × 1024 f32 = 64 KiB, past WebGPU's default 16 KiB.
  const tooBig = space.build({ 'blocks.tm': 16, rowCache: 1024 });
  expect(space.problems(tooBig).join('\n')).toMatch(/rowCache=1024 copies 1 tensor's rows of block tm into 65536 bytes of workgroup memory; the adapter allows 16384/);
  expect(() => softmax.wgsl({ blocks: { tm: 16 }, rowCache: 1024 })).toThrow(/65536 bytes of workgroup memory/);
  expect(space.problems(space.build({ 'blocks.tm': 4, rowCache: 1024 }))).toEqual([]);
});

describeWebGPU('row cache on the adapter', (ctx) => {
  for (const [m, n] of [[1, 1], [7, 1000], [33, 1500], [5, 4099]] as const) {
    it(`softmax ${m}x${n} with rowCache 1024 (cached when N ≤ 1024, streamed otherwise)`, async () => {
      const xs = randomF32(m * n, m * 31 + n, -6, 6);
      const x = ctx.device.tensor(xs, [m, n]);
      for (const config of [{ blocks: { tm: 2 }, rowCache: 1024 }, { blocks: { tm: 4 }, workgroupSize: 128, rowCache: 1024 }]) {
        const [out] = await softmax.run([x], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], softmaxReference(xs, m, n))).toBeLessThan(1e-6);
        out?.destroy();
      }
      x.destroy();
    });
  }

  it('layernorm with rowCache 2048', async () => {
    const [m, n] = [9, 777];
    const xs = randomF32(m * n, 5, -3, 3);
    const g = randomF32(n, 6);
    const b = randomF32(n, 7);
    const d = ctx.device;
    const [out] = await layernorm.run([d.tensor(xs, [m, n]), d.tensor(g, [n]), d.tensor(b, [n]), 1e-5], { config: { blocks: { tm: 2 }, rowCache: 2048 } });
    expect(maxAbsDiff((await out?.read()) ?? [], layernormReference(xs, g, b, m, n, 1e-5))).toBeLessThan(2e-4);
  });
});
