/**
 * Tensors bound as several ranges (wgsl/ranges.ts, ranged-access.ts). How many ranges a
 * tensor takes, that tensors within one binding compile exactly as before, the helper
 * shapes (one compare for two ranges, a division for more), the binding limit (TSR3004),
 * and kernels on the adapter compiled against a 4 KiB binding limit: small tensors then
 * span up to seven ranges, so vector loads and stores, row reductions, gathers, `@`
 * operands and atomics meet many range boundaries in a test that takes milliseconds
 * (test/runtime/big-tensors.test.ts runs the real sizes).
 */
import { describe, expect, it } from 'vitest';
import {
  BindingLimitError, compileWgsl, dimsNeedingValues, rangeCount, specializeDims, storageRanges, type ConfigInput, type DeviceLimits, type KernelIR,
} from 'tessera-gpu-compiler';
import { launch, TesseraError, type Device } from 'tessera-gpu-runtime';
import type { DType } from 'tessera-gpu-runtime';
import { embedding, embeddingReference } from '../../examples/embedding.ts';
import { rmsnorm, rmsnormReference } from '../../examples/rmsnorm.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';
import { LAVAPIPE_LIMITS, lower, MATMUL } from './support.ts';

const MIB = 2 ** 20;
/** The machine is shared and lavapipe compiles slowly under load. */
const GPU_TIMEOUT = 60_000;
const BIG: DeviceLimits = { ...LAVAPIPE_LIMITS, maxStorageBufferBindingSize: 128 * MIB, minStorageBufferOffsetAlignment: 256, maxStorageBuffersPerShaderStage: 16 };
/** A 4 KiB binding limit: 1024 f32 elements (256 vec4) per range. */
const TINY: DeviceLimits = { ...BIG, maxStorageBufferBindingSize: 4096 };

const AXPY = `fn axpy(x: f32[N], y: f32[N], a: f32) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = a * x[tn] + y[tn];
  }
  return out;
}`;

/** The IR as the runtime compiles it for these dims (whole-dim tiles specialised). */
function irFor(source: string, dims: Readonly<Record<string, number>>): KernelIR {
  const ir = lower(source);
  const needed = dimsNeedingValues(ir);
  return needed.length > 0 ? specializeDims(ir, Object.fromEntries(needed.map((n) => [n, dims[n] ?? 0]))) : ir;
}

describe('storage ranges (no GPU needed)', () => {
  it('counts ranges from the bytes: one up to the binding limit, then one per step', () => {
    expect(rangeCount(128 * MIB, BIG)).toBe(1);
    expect(rangeCount(128 * MIB + 4, BIG)).toBe(2);
    expect(rangeCount(50257 * 768 * 4, BIG)).toBe(2);
    expect(rangeCount(4096 * 11008 * 4, BIG)).toBe(2);
    expect(rangeCount(300 * MIB, BIG)).toBe(3);
    // A binding limit that is not a multiple of the offset alignment: ranges step by the aligned size.
    expect(rangeCount(2 * 4000, { ...TINY, maxStorageBufferBindingSize: 4000 })).toBe(3);
    const ir = lower(embedding.def.source.text);
    expect(storageRanges(ir, { V: 50257, D: 768, T: 100 }, BIG)).toEqual({ table: 2 });
    expect(storageRanges(ir, { V: 1000, D: 768, T: 100 }, BIG)).toEqual({});
  });

  it('tensors within one binding compile exactly as without ranges', () => {
    const ir = irFor(rmsnorm.def.source.text, { M: 10, N: 64 });
    const plain = compileWgsl(ir, undefined, BIG);
    expect(compileWgsl(ir, undefined, BIG, undefined, { ranges: {} }).wgsl).toBe(plain.wgsl);
    expect(plain.wgsl).not.toContain('tessera_r0_');
    expect(plain.tensors.map((t) => [t.binding, t.ranges])).toEqual([[0, undefined], [1, undefined], [2, undefined]]);
    expect(plain.uniforms.binding).toBe(3);
  });

  it('two ranges pick with one compare, more with one division; bindings follow in order', () => {
    const ir = irFor(AXPY, { N: 5000 });
    const two = compileWgsl(ir, { vectorWidth: 4 }, TINY, undefined, { ranges: { x: 2 } });
    expect(two.wgsl).toContain('fn tessera_load_buf_x(i: i32) -> vec4<f32> {\n  if (i < 256) {\n    return tessera_r0_buf_x[i];\n  } else {\n    return tessera_r1_buf_x[i - 256];\n  }\n}');
    const five = compileWgsl(ir, { vectorWidth: 4 }, TINY, undefined, { ranges: storageRanges(ir, { N: 5000 }, TINY) });
    expect(five.wgsl).toContain('switch (i / 256) {');
    expect(five.wgsl).toContain('default: {\n      tessera_r4_buf_out[i - 1024] = v;');
    expect(five.tensors.map((t) => [t.name, t.binding, t.ranges?.count])).toEqual([['x', 0, 5], ['y', 5, 5], ['out', 10, 5]]);
    expect(five.tensors[0]?.ranges?.bytes).toBe(4096);
    expect(five.uniforms.binding).toBe(15);
  });

  it('more storage bindings than the adapter allows is TSR3004, naming the kernel, the counts and the ranged tensor', () => {
    const ir = irFor(AXPY, { N: 5000 });
    const limits = { ...TINY, maxStorageBuffersPerShaderStage: 7 };
    const error = (() => { try { compileWgsl(ir, undefined, limits, undefined, { ranges: { x: 5, y: 2 } }); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe('TSR3004');
    // The output is the first binding past the limit: the error points at its allocation.
    expect((error as TesseraError).message).toBe("kernel 'axpy' at kernel:2:7: binds 8 storage buffers ('x' ×5, 'y' ×2, 'out'); the adapter allows 7 per shader stage (maxStorageBuffersPerShaderStage)");
    expect((error as BindingLimitError).span?.start).toMatchObject({ line: 2, col: 7 });
    expect((error as TesseraError).hint).toBe("'out' is the first past the limit. 'x' is larger than one binding (4096 bytes) and takes 5; 'y' is larger than one binding (4096 bytes) and takes 2. Pass fewer tensors: pack tensors of one dtype into one (concatenate them and pass each part's offset as a scalar parameter), or split the kernel in two.");
  });

  it('TSR3004 points at the parameter whose bindings go past the limit', () => {
    const ir = irFor(AXPY, { N: 5000 });
    const error = (() => { try { compileWgsl(ir, undefined, { ...TINY, maxStorageBuffersPerShaderStage: 6 }, undefined, { ranges: { x: 5, y: 2 } }); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(BindingLimitError);
    expect((error as TesseraError).code).toBe('TSR3004');
    expect((error as TesseraError).message).toMatch(/^kernel 'axpy' at kernel:1:20: binds 8 storage buffers/);
    expect((error as BindingLimitError).span?.start).toMatchObject({ line: 1, col: 20 });
    expect((error as TesseraError).hint).toMatch(/^'y' is the first past the limit\. /);
  });
});

describeWebGPU('ranged tensors on the adapter (4 KiB ranges)', (ctx) => {
  interface Input { readonly data: ArrayLike<number>; readonly shape: readonly number[]; readonly dtype?: DType }

  /** Compiles against TINY (ranges from the dims), launches, and reads every output. */
  async function run(d: Device, source: string, config: ConfigInput | undefined, inputs: readonly Input[], outputs: readonly (readonly number[])[],
    dims: Readonly<Record<string, number>>, scalars: Readonly<Record<string, number>> = {}, outDtype: DType = 'f32'): Promise<ArrayLike<number>[]> {
    const ir = irFor(source, dims);
    const ranges = storageRanges(ir, dims, TINY);
    expect(Object.keys(ranges).length).toBeGreaterThan(0);
    const art = compileWgsl(ir, config, TINY, [...d.features], { ranges });
    const ins = inputs.map((x) => d.tensor(x.dtype === 'i32' ? Int32Array.from(x.data) : Float32Array.from(x.data), [...x.shape], x.dtype ?? 'f32'));
    const outs = outputs.map((shape) => d.empty([...shape], outDtype));
    await launch(d, art, ins, outs, dims, scalars, { validate: true });
    const read = await Promise.all(outs.map((o) => o.read()));
    for (const t of [...ins, ...outs]) t.destroy();
    return read;
  }

  it('vec4 elementwise loads and stores across five ranges, ragged end', async () => {
    const n = 4999;
    const [x, y] = [randomF32(n, 1), randomF32(n, 2)];
    const want = Array.from(x, (v, i) => Math.fround(Math.fround(0.5 * v) + (y[i] ?? 0)));
    for (const config of [{ vectorWidth: 4 as const }, { vectorWidth: 1 as const }]) {
      const [got] = await run(ctx.device, AXPY, config, [{ data: x, shape: [n] }, { data: y, shape: [n] }], [[n]], { N: n }, { a: 0.5 });
      expect(Array.from(got ?? [])).toEqual(want);
    }
  }, GPU_TIMEOUT);

  it('an artifact compiled for other sizes is refused at launch, naming the tensor and the ranges', async () => {
    const d = ctx.device;
    const ir = irFor(AXPY, { N: 5000 });
    const art = compileWgsl(ir, undefined, TINY, [...d.features], { ranges: storageRanges(ir, { N: 5000 }, TINY) });
    const [x, y, out] = [d.empty([3000]), d.empty([3000]), d.empty([3000])];
    const error = await launch(d, art, [x, y], [out], { N: 3000 }, { a: 1 }).then(() => undefined, (e: unknown) => e);
    expect((error as TesseraError).message).toContain("Argument 'x'");
    expect((error as TesseraError).message).toContain('expected a tensor of 5 ranges of 4096 bytes (the sizes the artifact was compiled for), got Tensor(f32[3000]), 12000 bytes (3 ranges)');
    for (const t of [x, y, out]) t.destroy();
  }, GPU_TIMEOUT);

  it('rmsnorm: vec4 row reads and stores of rows that cross range boundaries', async () => {
    const [m, n] = [37, 100];
    const [x, w] = [randomF32(m * n, 3), randomF32(n, 4)];
    const [got] = await run(ctx.device, rmsnorm.def.source.text, undefined, [{ data: x, shape: [m, n] }, { data: w, shape: [n] }], [[m, n]], { M: m, N: n }, { eps: 1e-5 });
    expect(maxAbsDiff(got ?? [], rmsnormReference(x, w, m, n, 1e-5))).toBeLessThan(1e-5);
  }, GPU_TIMEOUT);

  it('embedding gather from a table in seven ranges', async () => {
    const [v, dim, t] = [61, 100, 45];
    const table = randomF32(v * dim, 5);
    const ids = Int32Array.from({ length: t }, (_, i) => (i * 37) % v);
    const [got] = await run(ctx.device, embedding.def.source.text, undefined, [{ data: table, shape: [v, dim] }, { data: ids, shape: [t], dtype: 'i32' }], [[t, dim]], { V: v, D: dim, T: t });
    expect(Array.from(got ?? [])).toEqual(Array.from(embeddingReference(table, ids, v, dim)));
  }, GPU_TIMEOUT);

  it('matmul whose b spans seven ranges (vec4 operand loads)', async () => {
    const [m, k, n] = [13, 70, 90];
    const [a, b] = [randomF32(m * k, 6), randomF32(k * n, 7)];
    const want = new Float32Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
      want[i * n + j] = s;
    }
    for (const config of [undefined, { blocks: { tm: 16, tn: 16, tk: 16 }, microTile: [4, 4] as [number, number], vectorWidth: 4 as const }]) {
      const [got] = await run(ctx.device, MATMUL, config, [{ data: a, shape: [m, k] }, { data: b, shape: [k, n] }], [[m, n]], { M: m, K: k, N: n });
      expect(maxAbsDiff(got ?? [], want)).toBeLessThan(1e-4);
    }
  }, GPU_TIMEOUT);

  it('atomic adds into a ranged output: f32 (compare-exchange) and i32', async () => {
    const [m, n] = [3, 2500];
    const x = randomF32(m * n, 8);
    const colSums = `fn k(x: f32[M, N]) -> f32[N] {
  let out = zeros([N], f32);
  for (tm, tn) in tile([M, N]) {
    atomic_add(out[tn], sum(x[tm, tn], axis=0));
  }
  return out;
}`;
    const want = Array.from({ length: n }, (_, c) => Array.from({ length: m }, (_, r) => x[r * n + c] ?? 0).reduce((s, v) => s + v, 0));
    const [got] = await run(ctx.device, colSums, { blocks: { tm: 2, tn: 64 } }, [{ data: x, shape: [m, n] }], [[n]], { M: m, N: n });
    expect(maxAbsDiff(got ?? [], want)).toBeLessThan(1e-4);
    const xi = Int32Array.from(x, (v) => Math.round(v * 100));
    const [goti] = await run(ctx.device, colSums.replace(/f32/g, 'i32'), { blocks: { tm: 2, tn: 64 } }, [{ data: xi, shape: [m, n], dtype: 'i32' }], [[n]], { M: m, N: n }, {}, 'i32');
    expect(Array.from(goti ?? [])).toEqual(Array.from({ length: n }, (_, c) => Array.from({ length: m }, (_, r) => xi[r * n + c] ?? 0).reduce((s, v) => s + v, 0)));
  }, GPU_TIMEOUT);
});
