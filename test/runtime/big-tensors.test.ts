/**
 * Tensors over one storage binding (maxStorageBufferBindingSize: 128 MiB on lavapipe)
 * are bound as several ranges of one buffer (compiler wgsl/ranges.ts): real kernels on
 * the adapter with 140-180 MB tensors, compared with JS references on sampled outputs
 * that include the elements and rows at and across the first range boundary, and the
 * typed error for a kernel that binds more storage buffers than the adapter allows. The
 * CPU backends bind nothing: the same gather runs there, and the wasm device's memory
 * limit is a typed error.
 */
import { describe, expect, it } from 'vitest';
import { kernelFromSource } from 'tessera-gpu-dsl';
import { ArgumentError, init, kernel, launch, makeKernel, TesseraError, type Device } from 'tessera-gpu-runtime';
import { embedding, embeddingReference } from '../../examples/embedding.ts';
import { matmul } from '../../examples/matmul.ts';
import { rmsnorm } from '../../examples/rmsnorm.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { randomF32, rng } from '../support/random.ts';

const TIMEOUT = 120_000;

/**
 * Uniform values in [-1, 1): a random block of a prime length, repeated. Filling 150 MB
 * element by element takes seconds on a loaded machine; copies do not. The period is
 * prime and over 10^6, so an element read from the wrong range (a multiple of 2^23
 * elements away) or the wrong row of any of these shapes holds a different value.
 */
function fill(n: number, seed: number): Float32Array {
  const period = 1_048_573;
  const out = new Float32Array(n);
  const block = randomF32(Math.min(n, period), seed);
  for (let i = 0; i < n; i += period) out.set(block.subarray(0, Math.min(period, n - i)), i);
  return out;
}

/** `count` distinct sorted picks from [0, n), plus the `always` ones. */
function sample(n: number, count: number, seed: number, always: readonly number[]): number[] {
  const next = rng(seed);
  const picks = new Set(always.filter((i) => i >= 0 && i < n));
  while (picks.size < count + always.length && picks.size < n) picks.add(Math.floor(next() * n));
  return [...picks].sort((a, b) => a - b);
}

/** The f32 element index where the adapter's second range starts (the step is the binding limit rounded down to the offset alignment). */
function boundaryElement(d: Device): number {
  const l = d.info.limits;
  const align = Math.max(16, l.minStorageBufferOffsetAlignment ?? 256);
  return Math.floor(l.maxStorageBufferBindingSize / align) * align / 4;
}

describeWebGPU('tensors over one storage binding', (ctx) => {
  it('embedding gather from a 50257×768 f32 table (154 MB), ids in the last rows and at random', async () => {
    const d = ctx.device;
    const [vocab, dim, tokens] = [50257, 768, 517];
    expect(vocab * dim * 4).toBeGreaterThan(d.info.limits.maxStorageBufferBindingSize);
    const table = fill(vocab * dim, 1);
    const next = rng(2);
    // The last 100 rows (all past the first range), rows on both sides of the boundary, random rows.
    const boundaryRow = Math.floor(boundaryElement(d) / dim);
    const ids = Int32Array.from({ length: tokens }, (_, t) =>
      t < 100 ? vocab - 1 - t : t < 104 ? boundaryRow - 1 + (t - 100) : Math.floor(next() * vocab));
    const [t, i] = [d.tensor(table, [vocab, dim]), d.tensor(ids, [tokens])];
    expect(embedding.artifact(undefined, d, { V: vocab, D: dim, T: tokens }).tensors[0]?.ranges?.count).toBe(2);
    const out = await embedding(t, i);
    const [got, want] = [await out.read(), embeddingReference(table, ids, vocab, dim)];
    const wrong = want.findIndex((x, k) => got[k] !== x);
    expect(wrong, `first wrong element ${wrong}`).toBe(-1);
    // An artifact compiled without the call's sizes binds the table whole: refused with the numbers, before WebGPU sees it.
    const refused = await launch(d, embedding.artifact(), [t, i], [out], { V: vocab, D: dim, T: tokens }).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(ArgumentError);
    expect((refused as ArgumentError).message).toMatch(/Argument 'table'.*at most \d+ bytes \(maxStorageBufferBindingSize\) for an artifact that binds it as one range/);
    for (const x of [t, i, out]) x.destroy();
  }, TIMEOUT);

  it('rmsnorm over a 34500×1000 f32 tensor (138 MB in and out): rows that cross the range boundary', async () => {
    const d = ctx.device;
    const [rows, cols, eps] = [34500, 1000, 1e-5];
    const x = fill(rows * cols, 3);
    const w = fill(cols, 4);
    const [tx, tw] = [d.tensor(x, [rows, cols]), d.tensor(w, [cols])];
    const art = rmsnorm.artifact(undefined, d, { M: rows, N: cols });
    expect(art.tensors.map((b) => b.ranges?.count ?? 1)).toEqual([2, 1, 2]);
    // x is read in vec4 row vectors through its range-picking helper.
    expect(art.wgsl).toMatch(/tessera_r1_buf_x: array<vec4<f32>>/);
    // …and its elements one at a time through the component helper, for the stores.
    expect(art.wgsl).toContain('fn tessera_load_lane_buf_x(i: i32, c: i32) -> f32 {');
    const out = await rmsnorm(tx, tw, eps);
    const got = await out.read();
    // Row 33554 holds elements 33554000…33554999: the boundary (element 33554432 on lavapipe) is inside it.
    const cross = Math.floor(boundaryElement(d) / cols);
    for (const r of sample(rows, 40, 5, [0, cross - 1, cross, cross + 1, rows - 1])) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += (x[r * cols + c] ?? 0) ** 2;
      const inv = 1 / Math.sqrt(s / cols + eps);
      for (let c = 0; c < cols; c++) {
        const want = (x[r * cols + c] ?? 0) * inv * (w[c] ?? 0);
        expect(Math.abs((got[r * cols + c] ?? NaN) - want), `row ${r} col ${c}`).toBeLessThan(1e-5);
      }
    }
    for (const t of [tx, tw, out]) t.destroy();
  }, TIMEOUT);

  it('an elementwise kernel in vec4 loads and stores over 34000003 f32 elements (136 MB each)', async () => {
    const d = ctx.device;
    const axpy = kernel`
fn axpy(x: f32[N], y: f32[N], a: f32) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = a * x[tn] + y[tn];
  }
  return out;
}`;
    const n = 34_000_003;
    const [x, y] = [fill(n, 6), fill(n, 7)];
    const [tx, ty] = [d.tensor(x, [n]), d.tensor(y, [n])];
    const config = { vectorWidth: 4 as const };
    const wgsl = axpy.artifact(config, d, { N: n }).wgsl;
    // Both inputs and the output in vectors, each through its range-picking helper.
    expect(wgsl).toMatch(/tessera_r1_buf_out: array<vec4<f32>>/);
    expect(wgsl).toMatch(/tessera_store_buf_out\(/);
    const out = (await axpy.run([tx, ty, 0.75], { config }))[0];
    const got = await out?.read();
    const b = boundaryElement(d);
    for (const i of sample(n, 2000, 8, [0, b - 5, b - 4, b - 1, b, b + 1, b + 3, b + 4, n - 4, n - 3, n - 1])) {
      expect(got?.[i], `element ${i}`).toBe(Math.fround(Math.fround(0.75 * (x[i] ?? 0)) + (y[i] ?? 0)));
    }
    for (const t of [tx, ty, out]) t?.destroy();
  }, TIMEOUT);

  it('matmul with a 4096×11008 f32 weight (180 MB)', async () => {
    const d = ctx.device;
    const [m, k, n] = [5, 4096, 11008];
    const [a, b] = [fill(m * k, 9), fill(k * n, 10)];
    const [ta, tb] = [d.tensor(a, [m, k]), d.tensor(b, [k, n])];
    const out = await matmul(ta, tb);
    const got = await out.read();
    for (const idx of sample(m * n, 300, 11, [0, n - 1, m * n - 1])) {
      const [i, j] = [Math.floor(idx / n), idx % n];
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
      expect(Math.abs((got[idx] ?? NaN) - s), `out[${i}, ${j}]`).toBeLessThan(2e-3);
    }
    for (const t of [ta, tb, out]) t.destroy();
  }, TIMEOUT);

  it('a kernel binding more storage buffers than the adapter allows is a typed error naming it and the counts', async () => {
    const d = ctx.device;
    const limit = d.info.limits.maxStorageBuffersPerShaderStage ?? 8;
    const many = (inputs: number, big: boolean): string => {
      const params = Array.from({ length: inputs }, (_, i) => (i === 0 && big ? 'w: f32[V, D]' : `p${i}: f32[N]`));
      const sum = Array.from({ length: inputs - (big ? 1 : 0) }, (_, i) => `p${i + (big ? 1 : 0)}[tn]`).join(' + ');
      return `fn wide(${params.join(', ')}) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = ${sum}${big ? ' + w[0, 0]' : ''};
  }
  return out;
}`;
    };
    // One more tensor than the limit (the output is the last binding).
    const wide = makeKernel(kernelFromSource(many(limit, false)));
    const args = Array.from({ length: limit }, (_, i) => d.tensor(new Float32Array(10).fill(i), [10]));
    const error = await wide(...args).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe('TSR3004');
    // The output, the binding past the limit, is where the error points (`let out` on line 2).
    expect((error as TesseraError).message).toContain(`kernel 'wide' at kernel:2:7: binds ${limit + 1} storage buffers`);
    expect((error as TesseraError).message).toContain(`allows ${limit} per shader stage`);
    expect((error as TesseraError).hint).toMatch(/pack tensors of one dtype into one/);
    // Compiled without the adapter's limits, the launch itself refuses it the same way.
    const loose = wide.artifact();
    const out = d.empty([10]);
    const launched = await launch(d, loose, args, [out], { N: 10 }).then(() => undefined, (e: unknown) => e);
    expect((launched as TesseraError).code).toBe('TSR3004');
    expect((launched as TesseraError).message).toContain(`kernel 'wide' at kernel:2:7: binds`);
    for (const t of [...args, out]) t.destroy();

    // Within the limit at small sizes, over it once the table takes two ranges: the error names the table.
    const table = makeKernel(kernelFromSource(many(limit - 1, true)));
    expect(() => table.artifact(undefined, d, { V: 8, D: 8, N: 10 })).not.toThrow();
    const ranged = (() => { try { table.artifact(undefined, d, { V: 50257, D: 768, N: 10 }); } catch (e) { return e; } return undefined; })();
    expect((ranged as TesseraError).code).toBe('TSR3004');
    expect((ranged as TesseraError).message).toContain(`binds ${limit + 1} storage buffers ('w' ×2, 'p1'`);
    expect((ranged as TesseraError).hint).toMatch(/'w' is larger than one binding \(\d+ bytes\) and takes 2/);
  }, TIMEOUT);
});

describe('tensors over 128 MiB on the CPU backends', () => {
  const [vocab, dim, tokens] = [50257, 768, 300];
  const table = fill(vocab * dim, 12);
  const next = rng(13);
  const ids = Int32Array.from({ length: tokens }, (_, t) => (t < 50 ? vocab - 1 - t : Math.floor(next() * vocab)));
  const want = embeddingReference(table, ids, vocab, dim);

  for (const backend of ['interpreter', 'wasm'] as const) {
    it(`${backend}: embedding gather from a 154 MB table`, async () => {
      const d = await init({ backend });
      try {
        const out = await embedding(d.tensor(table, [vocab, dim]), d.tensor(ids, [tokens]));
        const got = await out.read();
        const wrong = want.findIndex((x, k) => got[k] !== x);
        expect(wrong, `first wrong element ${wrong}`).toBe(-1);
      } finally {
        d.dispose();
      }
    }, TIMEOUT);
  }

  it('wasm: a table over the device memory is a typed error naming the limit', async () => {
    const d = await init({ backend: 'wasm', wasmMemoryBytes: 64 * 2 ** 20 });
    try {
      const error = (() => { try { d.tensor(table, [vocab, dim]); } catch (e) { return e; } return undefined; })();
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).message).toMatch(/at most \d+ bytes in all on the wasm device/);
      expect((error as ArgumentError).hint).toMatch(/wasmMemoryBytes/);
    } finally {
      d.dispose();
    }
  }, TIMEOUT);
});
