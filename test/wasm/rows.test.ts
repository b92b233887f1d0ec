/**
 * Row kernels on the wasm backend at ragged row lengths: the unrolled vector folds (four
 * accumulators, then single vector steps, then a scalar tail), hoisted row addresses, and
 * a costly reduction operand kept in scratch and read back by a later statement — each
 * against an f64 JS reference, on one and two threads, with row blocks that do not
 * divide the row count. argmax/argmin fold four lanes of (value, index) at a time: rows
 * full of ties, NaN (never the answer) and infinities must give the first best index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, kernel, type Device } from 'tessera-gpu';
import { randomF32 } from '../support/random.ts';
import { softmax } from '../../examples/softmax.ts';
import { layernorm } from '../../examples/layernorm.ts';

// The kept operand (exp(x)) is read by a second reduction and a store; min/max/sum fold together.
const stats = kernel`
fn stats(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let e = exp(x[tm, :]);
    let s = sum(e, axis=1, keepdim=true);
    let w = sum(e * x[tm, :], axis=1, keepdim=true);
    let lo = min(x[tm, :], axis=1, keepdim=true);
    let hi = max(x[tm, :], axis=1, keepdim=true);
    out[tm, :] = e / s + w + (hi - lo);
  }
  return out;
}`;

// The second store must see the first one's result: its exp reads `out`, which the first store wrote.
const rewrite = kernel`
fn rewrite(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = x[tm, :];
    let s = sum(exp(out[tm, :]), axis=1, keepdim=true);
    out[tm, :] = exp(out[tm, :]) / s;
    out[tm, :] = exp(out[tm, :]) * 0.5 + s;
  }
  return out;
}`;

// exp(x) is kept for the store after the argmax reads it (the vector step's scratch write).
const argBest = kernel.outputs(3)`
fn arg_best(x: f32[M, N]) -> (i32[M], i32[M], f32[M, N]) {
  let hi = empty([M], i32);
  let lo = empty([M], i32);
  let out = empty_like(x);
  for tm in tile(M) {
    let e = exp(x[tm, :]);
    hi[tm] = argmax(e, axis=1);
    lo[tm] = argmin(x[tm, :], axis=1);
    out[tm, :] = e;
  }
  return (hi, lo, out);
}`;

/** The first index of the best value by the backends' rule (NaN never wins; a row of nothing but NaN gives index 0). */
function firstBest(row: ArrayLike<number>, better: (a: number, b: number) => boolean, identity: number): number {
  let best = identity;
  let at = 2147483647;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] ?? NaN;
    if (better(v, best) || (v === best && i < at)) {
      best = v;
      at = i;
    }
  }
  return at === 2147483647 ? 0 : at;
}

type RowFn = (row: Float64Array) => Float64Array;

function byRows(x: Float32Array, m: number, n: number, f: RowFn): Float64Array {
  const out = new Float64Array(m * n);
  for (let r = 0; r < m; r++) out.set(f(Float64Array.from(x.subarray(r * n, (r + 1) * n))), r * n);
  return out;
}

const sum = (a: Float64Array): number => a.reduce((p, q) => p + q, 0);

const softmaxRow: RowFn = (row) => {
  const mx = Math.max(...row);
  const e = row.map((v) => Math.exp(v - mx));
  const s = sum(e);
  return e.map((v) => v / s);
};

const layernormRow = (gamma: Float32Array, beta: Float32Array, eps: number): RowFn => (row) => {
  const mean = sum(row) / row.length;
  const c = row.map((v) => v - mean);
  const inv = 1 / Math.sqrt(sum(c.map((v) => v * v)) / row.length + eps);
  return c.map((v, i) => v * inv * (gamma[i] ?? 0) + (beta[i] ?? 0));
};

const statsRow: RowFn = (row) => {
  const e = row.map(Math.exp);
  const s = sum(e);
  const w = sum(e.map((v, i) => v * (row[i] ?? 0)));
  const spread = Math.max(...row) - Math.min(...row);
  return e.map((v) => v / s + w + spread);
};

const rewriteRow: RowFn = (row) => {
  const s = sum(row.map(Math.exp));
  return row.map((v) => Math.exp(Math.exp(v) / s) * 0.5 + s);
};

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
  expect(worst, what).toBeLessThan(tol);
}

const SHAPES = [[3, 1], [5, 3], [2, 4], [3, 15], [2, 16], [3, 17], [5, 1001], [3, 1027]] as const;
const CONFIGS = [{ blocks: { tm: 1 } }, { blocks: { tm: 2 }, threads: 2 }, { blocks: { tm: 4 } }];

describe('wasm row kernels at ragged row lengths', () => {
  const devices: Device[] = [];
  beforeAll(async () => {
    for (const threads of [1, 2]) devices.push(await init({ backend: 'wasm', threads }));
  });
  afterAll(() => {
    for (const d of devices) d.dispose();
  });

  async function check(
    k: typeof softmax, makeArgs: (d: Device, x: Float32Array, m: number, n: number) => (ReturnType<Device['tensor']> | number)[],
    ref: (x: Float32Array, m: number, n: number) => Float64Array, tol: number, lo = -4, hi = 4,
  ): Promise<void> {
    for (const [m, n] of SHAPES) {
      const x = randomF32(m * n, 31 * m + n, lo, hi);
      const want = ref(x, m, n);
      for (const d of devices) {
        for (const config of CONFIGS) {
          const outs = await k.run(makeArgs(d, x, m, n), { config });
          expectNear(await (outs[0]?.read() ?? Promise.resolve([])), want, tol, `${m}x${n} ${JSON.stringify(config)} on ${d.describe()}`);
        }
      }
    }
  }

  it('softmax (one exp per element, kept for the store)', async () => {
    await check(softmax, (d, x, m, n) => [d.tensor(x, [m, n])], (x, m, n) => byRows(x, m, n, softmaxRow), 2e-6, -60, 60);
  });

  it('layernorm (two dependent mean folds and the normalised store)', async () => {
    const n = 1027;
    const gamma = randomF32(n, 5);
    const beta = randomF32(n, 6);
    await check(layernorm, (d, x, m, cols) => [d.tensor(x, [m, cols]), d.tensor(gamma.subarray(0, cols), [cols]), d.tensor(beta.subarray(0, cols), [cols]), 1e-5],
      (x, m, cols) => byRows(x, m, cols, layernormRow(gamma, beta, 1e-5)), 2e-5);
  });

  it('sum, max and min folds with a kept exp read by a second reduction and a store', async () => {
    await check(stats, (d, x, m, n) => [d.tensor(x, [m, n])], (x, m, n) => byRows(x, m, n, statsRow), 2e-5);
  });

  it('argmax / argmin: ties, NaN and infinities give the first best index', async () => {
    for (const [m, n] of [...SHAPES, [4, 64], [3, 131]] as const) {
      // Few distinct values, so every row has ties; NaN and ±inf sprinkled; the last row all NaN.
      const pick = randomF32(m * n, 7 * m + n, 0, 1);
      const x = Float32Array.from(pick, (u, i) => (i >= (m - 1) * n && m > 2 ? NaN : u < 0.1 ? NaN : u < 0.15 ? -Infinity : u < 0.2 ? Infinity : Math.floor(u * 5) - 2));
      const rowsOf = (a: Float32Array, f: (row: Float32Array) => number): number[] => Array.from({ length: m }, (_, r) => f(a.subarray(r * n, (r + 1) * n)));
      const e = Float32Array.from(x, (v) => Math.fround(Math.exp(v)));
      const wantHi = rowsOf(e, (row) => firstBest(row, (a, b) => a > b, -Infinity));
      const wantLo = rowsOf(x, (row) => firstBest(row, (a, b) => a < b, Infinity));
      for (const d of devices) {
        for (const config of CONFIGS) {
          const [hi, lo] = await argBest.run([d.tensor(x, [m, n])], { config });
          const what = `${m}x${n} ${JSON.stringify(config)} on ${d.describe()}`;
          expect(Array.from(await hi!.read()), `argmax ${what}`).toEqual(wantHi);
          expect(Array.from(await lo!.read()), `argmin ${what}`).toEqual(wantLo);
        }
      }
    }
  });

  it('a store to the tensor a kept value reads ends its reuse', async () => {
    await check(rewrite, (d, x, m, n) => [d.tensor(x, [m, n])], (x, m, n) => byRows(x, m, n, rewriteRow), 2e-5, -1, 1);
  });
});
