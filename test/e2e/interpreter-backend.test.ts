/**
 * The interpreter backend through the public API: the same kernel objects run on a
 * CPU device, honour the same configs, and can record per-tile traces.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, init, kernel, traceKernel, UnsupportedError } from 'tessera-gpu';
import { add, addReference } from '../../examples/add.ts';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describe('interpreter backend via init({ backend: "interpreter" })', () => {
  it('runs the example kernels under several configs', async () => {
    const d = await init({ backend: 'interpreter' });
    expect(d.backend).toBe('interpreter');
    for (const n of [1, 1000, 4097]) {
      const xs = randomF32(n, n);
      const ys = randomF32(n, n + 1);
      for (const config of [{}, { blocks: { tn: 64 } }]) {
        const [out] = await add.run([d.tensor(xs, [n]), d.tensor(ys, [n])], { config });
        expect(maxAbsDiff((await out?.read()) ?? [], addReference(xs, ys))).toBe(0);
      }
    }
    const xs = randomF32(33 * 257, 9, -6, 6);
    const [sm] = await softmax.run([d.tensor(xs, [33, 257])], { config: { blocks: { tm: 4 } } });
    expect(maxAbsDiff((await sm?.read()) ?? [], softmaxReference(xs, 33, 257))).toBeLessThan(1e-6);
    const m = await add.measure([d.tensor(xs, [xs.length]), d.tensor(xs, [xs.length])], { repeats: 3 });
    expect(m.method).toBe('wallclock');
    expect(m.medianMs).toBeGreaterThan(0);
    d.dispose();
  });

  it('runs constructs the WGSL backend does not support (a tile var with a whole dim)', async () => {
    const twice = kernel`
fn twice(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    var row = x[tm, :];
    row *= 2.0;
    out[tm, :] = row;
  }
  return out;
}`;
    expect(() => twice.wgsl()).toThrow(UnsupportedError);
    const d = await init({ backend: 'interpreter' });
    const xs = randomF32(7 * 33, 3);
    const [out] = await twice.run([d.tensor(xs, [7, 33])], { config: { blocks: { tm: 2 } } });
    expect(Array.from((await out?.read()) ?? [])).toEqual(Array.from(xs, (v) => Math.fround(v * 2)));
    // The same config rules as on WebGPU: a block that is not a power of two is refused.
    await expect(twice.run([d.tensor(xs, [7, 33])], { config: { blocks: { tm: 3 } } })).rejects.toThrow(ConfigError);
    d.dispose();
  });

  it('records which tile wrote which elements', async () => {
    const d = await init({ backend: 'interpreter' });
    const xs = Float32Array.from({ length: 10 }, (_, i) => i + 1);
    const x = d.tensor(xs, [10]);
    const { traces, outputs } = await traceKernel(add, [x, x], { config: { blocks: { tn: 4 } } });
    expect(traces.map((t) => t.tile)).toEqual([{ tn: 0 }, { tn: 1 }, { tn: 2 }]);
    expect(traces[2]?.writes).toEqual([
      { tensor: 'out', index: 8, value: 18 },
      { tensor: 'out', index: 9, value: 20 },
    ]);
    expect(Array.from(outputs[0] ?? [])).toEqual(Array.from(xs, (v) => 2 * v));
    d.dispose();
  });
});
