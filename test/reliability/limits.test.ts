/**
 * Launches beyond one grid dimension spill into the next instead of failing; tensor
 * shapes are validated at creation with typed errors.
 */
import { expect, it } from 'vitest';
import { ArgumentError, kernel } from 'tessera-gpu';
import { add, addReference } from '../../examples/add.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describeWebGPU('adapter limits', (ctx) => {
  it('more tiles than maxComputeWorkgroupsPerDimension use a 2-D grid', async () => {
    const d = ctx.device;
    const perDim = d.info.limits.maxComputeWorkgroupsPerDimension;
    const n = (perDim + 3) * 16 + 5; // a ragged last tile, and > perDim tiles of 16
    const config = { blocks: { tn: 16 }, workgroupSize: 16 };
    const art = add.artifact(config, d);
    expect(art.plan({ N: n }, {}).grid[1]).toBeGreaterThan(1);
    const xs = randomF32(n, 11);
    const ys = randomF32(n, 12);
    const x = d.tensor(xs, [n]);
    const y = d.tensor(ys, [n]);
    const [out] = await add.run([x, y], { config });
    expect(maxAbsDiff((await out?.read()) ?? [], addReference(xs, ys))).toBe(0);
    for (const t of [x, y, out]) t?.destroy();
  }, 60_000);

  it('grid loops spill the same way: one program per index past maxComputeWorkgroupsPerDimension', async () => {
    const d = ctx.device;
    const perDim = d.info.limits.maxComputeWorkgroupsPerDimension;
    const programs = kernel`
fn programs(x: f32[R]) -> f32[R] {
  let out = empty_like(x);
  for r in grid(R) {
    out[r] = x[r] * 2.0 + f32(r);
  }
  return out;
}`;
    const n = perDim + 7;
    const config = { workgroupSize: 16 };
    expect(programs.artifact(config, d).plan({ R: n }, {}).grid).toEqual([perDim, 2, 1]);
    const xs = randomF32(n, 13);
    const x = d.tensor(xs, [n]);
    const [out] = await programs.run([x], { config });
    expect(maxAbsDiff((await out?.read()) ?? [], xs.map((v, i) => v * 2 + i))).toBe(0);
    for (const t of [x, out]) t?.destroy();
  }, 60_000);

  it('bad shapes are typed errors naming the shape', () => {
    const d = ctx.device;
    expect(() => d.empty([2.5])).toThrow(ArgumentError);
    expect(() => d.empty([-1, 4])).toThrow(/non-negative integers/);
    expect(() => d.tensor(new Float32Array(5), [2, 3])).toThrow(ArgumentError);
    const tooBig = Math.ceil(d.info.limits.maxBufferSize / 4) + 1;
    expect(() => d.empty([tooBig])).toThrow(/at most \d+ bytes per tensor/);
  });
});
