/**
 * Parameter names are the user's: names that are also WGSL reserved words or the
 * shader's own identifiers still compile and run, and large literals stay valid WGSL.
 */
import { expect, it } from 'vitest';
import { kernel } from 'tessera-gpu';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const awkward = kernel`
fn k(u: f32[M, N], lid: f32[N], array: f32[M, N]) -> f32[M] {
  let main = empty([M], f32);
  for tm in tile(M) {
    let shifted = max(u[tm, :] + lid[:] * array[tm, :], -1.0e30);
    main[tm] = min(sum(shifted, axis=1), 1e21) + 0.0 * min(u[tm, :], axis=1);
  }
  return main;
}`;

describeWebGPU('names and literals', (ctx) => {
  it('parameters called u, lid, array and an output called main', async () => {
    const [m, n] = [5, 37];
    const us = randomF32(m * n, 1);
    const ls = randomF32(n, 2);
    const as = randomF32(m * n, 3);
    const d = ctx.device;
    const [out] = await awkward.run([d.tensor(us, [m, n]), d.tensor(ls, [n]), d.tensor(as, [m, n])], { config: { blocks: { tm: 2 } } });
    const want = Array.from({ length: m }, (_, r) => {
      let s = 0;
      for (let c = 0; c < n; c++) s += (us[r * n + c] ?? 0) + (ls[c] ?? 0) * (as[r * n + c] ?? 0);
      return s;
    });
    expect(maxAbsDiff((await out?.read()) ?? [], want)).toBeLessThan(1e-3);
  });
});
