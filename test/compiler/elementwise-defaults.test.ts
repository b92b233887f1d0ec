/**
 * The software-adapter default for elementwise kernels written in vectors
 * (adapter-defaults.ts elementwiseDefaults): 16 vec4 per invocation, fixed blocks kept,
 * kernels with reductions or `@` left alone; and on the adapter, plain
 * calls (which take it when nothing is tuned) against plain-JS references at ragged sizes,
 * with kernel.bestConfig reporting the config those calls use.
 */
import { describe, expect, it } from 'vitest';
import { adapterDefaults } from 'tessera-gpu-compiler';
import { kernel } from 'tessera-gpu';
import { makeKernel } from 'tessera-gpu-runtime';
import { add, addReference } from '../../examples/add.ts';
import { geglu, gegluReference, swiglu } from '../../bench/kernels-helion.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

const scaleFixed = kernel`
fn scale_fixed(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N, block=64) {
    out[tn] = x[tn] * 3.0;
  }
  return out;
}`;

/** A per-tile sum: elementwise stores, but a reduction first. */
const tileSum = kernel`
fn tile_sum(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    let t = x[tn];
    out[tn] = t - sum(t) * 0.0;
  }
  return out;
}`;

describe('software-adapter elementwise defaults', () => {
  it('give elementwise vector kernels 16 vec4 per invocation of 64', () => {
    expect(adapterDefaults(geglu.prepared().ir, { software: true })).toEqual({ blocks: { tm: 16, tn: 256 }, workgroupSize: 64 });
    expect(adapterDefaults(swiglu.prepared().ir, { software: true })).toEqual({ blocks: { tm: 16, tn: 256 }, workgroupSize: 64 });
    expect(adapterDefaults(add.prepared().ir, { software: true })).toEqual({ blocks: { tn: 4096 }, workgroupSize: 64 });
    for (const k of [geglu, add]) expect(adapterDefaults(k.prepared().ir, { software: false })).toBeUndefined();
  });

  it('keep fixed blocks, and leave reductions to the kernel defaults (@ has its own: dot-defaults.test.ts)', () => {
    expect(adapterDefaults(scaleFixed.prepared().ir, { software: true })).toEqual({ blocks: {}, workgroupSize: 64 });
    expect(adapterDefaults(tileSum.prepared().ir, { software: true })).toBeUndefined();
  });
});

describeWebGPU('plain elementwise calls on a software adapter', (ctx) => {
  it('geglu 37×1003 and add 10001 match their references; bestConfig is what the call used', async (t) => {
    if (!ctx.device.info.software) t.skip();
    const [m, n] = [37, 1003];
    const [as, bs] = [randomF32(m * n, 31, -3, 3), randomF32(m * n, 32)];
    const [a, b] = [ctx.device.tensor(as, [m, n]), ctx.device.tensor(bs, [m, n])];
    const user = makeKernel(geglu.def).setTuning({ cache: false });
    expect((await user.bestConfig([a, b])).blocks).toEqual({ tm: 16, tn: 256 });
    const [out] = await user.run([a, b]);
    expect(maxAbsDiff((await out?.read()) ?? [], gegluReference(as, bs))).toBeLessThan(2e-5);

    const len = 10001;
    const [xs, ys] = [randomF32(len, 33), randomF32(len, 34)];
    const [x, y] = [ctx.device.tensor(xs, [len]), ctx.device.tensor(ys, [len])];
    const plainAdd = makeKernel(add.def).setTuning({ cache: false });
    expect((await plainAdd.bestConfig([x, y])).workgroupSize).toBe(64);
    const [sum] = await plainAdd.run([x, y]);
    expect(maxAbsDiff((await sum?.read()) ?? [], addReference(xs, ys))).toBe(0);
    for (const v of [a, b, out, x, y, sum]) v?.destroy();
  }, 60_000);
});
