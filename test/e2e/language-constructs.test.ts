/**
 * One kernel per construct of docs/language.md, run on the WebGPU adapter and compared
 * with a plain-JS reference on random inputs (never all zeros), at sizes that are not a
 * multiple of the block, so every test also covers the masked ragged edge. What the doc
 * says works is what this file proves.
 */
import { expect, it } from 'vitest';
import { UnsupportedError, func, kernel, type ConfigInput, type Kernel, type Tensor } from 'tessera-gpu';
import { kernelFromSource } from 'tessera-gpu-dsl';
import { makeKernel } from 'tessera-gpu-runtime';
import { describeWebGPU, type WebGPUContext } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32, rng } from '../support/random.ts';

/** A kernel from text built at run time (the tag needs a literal template). */
function kernelOf(text: string): Kernel {
  return makeKernel(kernelFromSource(text));
}

type Input = Float32Array | Int32Array | Uint32Array | number | { readonly data: Float32Array; readonly dtype: 'f16' };
interface Arg { readonly value: Input; readonly shape?: readonly number[] }

/** Uploads the inputs, runs, reads every output back and frees the tensors. */
async function runKernel(ctx: WebGPUContext, k: Kernel, args: readonly Arg[], config: ConfigInput = {}): Promise<ArrayLike<number>[]> {
  const d = ctx.device;
  const tensors: Tensor[] = [];
  const values = args.map((a) => {
    if (typeof a.value === 'number') return a.value;
    const v = a.value;
    const data = 'dtype' in v ? v.data : v;
    const dtype = 'dtype' in v ? v.dtype : v instanceof Int32Array ? 'i32' : v instanceof Uint32Array ? 'u32' : 'f32';
    const t = d.tensor(data, a.shape ?? [data.length], dtype);
    tensors.push(t);
    return t;
  });
  const outs = await k.run(values, { config });
  const read = await Promise.all(outs.map((o) => o.read()));
  for (const t of [...tensors, ...outs]) t.destroy();
  return read;
}

function randomI32(n: number, seed: number, lo: number, hi: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: n }, () => lo + Math.floor((hi - lo) * r()));
}

/** The largest |got - want| / max(1, |want|). */
function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? NaN;
    const err = Math.abs((got[i] ?? NaN) - w) / Math.max(1, Math.abs(w));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}

/** |got - want| ≤ tol · max(1, |want|) everywhere. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  let where = -1;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? NaN;
    const err = Math.abs((got[i] ?? NaN) - w) / Math.max(1, Math.abs(w));
    if (!(err <= worst)) {
      worst = Number.isNaN(err) ? Infinity : err;
      where = i;
    }
  }
  if (worst > tol) expect({ index: where, got: got[where], want: want[where] }).toBe(`within ${tol}`);
}

const f = Math.fround;
/** Per-test timeout: compiling a pipeline on a software adapter can take seconds on a busy machine. */
const T = 30_000;

// ---------------------------------------------------------------- elementwise math

/** erf to ~1e-7 (Abramowitz & Stegun 7.1.26 is only 1.5e-7 absolute; good enough for f32). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** Round half to even, as WGSL's round(). */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const UNARY: readonly (readonly [string, (x: number) => number, number, number])[] = [
  ['exp', Math.exp, -4, 4], ['exp2', (x) => 2 ** x, -4, 4], ['log', Math.log, 0.01, 50], ['log2', Math.log2, 0.01, 50],
  ['sqrt', Math.sqrt, 0, 50], ['rsqrt', (x) => 1 / Math.sqrt(x), 0.01, 50], ['sin', Math.sin, -6, 6], ['cos', Math.cos, -6, 6],
  ['tan', Math.tan, -1.3, 1.3], ['tanh', Math.tanh, -5, 5], ['sigmoid', (x) => 1 / (1 + Math.exp(-x)), -8, 8], ['erf', erf, -3, 3],
  ['floor', Math.floor, -9, 9], ['ceil', Math.ceil, -9, 9], ['round', roundEven, -9, 9], ['abs', Math.abs, -9, 9],
];

describeWebGPU('elementwise math', (ctx) => {
  it('every float builtin, one column of a [N, 16] output each (scalar indices drop an axis)', async () => {
    // Each function gets its own input range: x in [0, 1) is mapped to [lo, hi) in the kernel.
    const stores = UNARY.map(([name, , lo, hi], i) => `    out[tn, ${i}] = ${name}(x[tn] * ${hi - lo} + ${lo});`).join('\n');
    const k = kernelOf(`fn unary(x: f32[N]) -> f32[N, ${UNARY.length}] {
  let out = empty([N, ${UNARY.length}], f32);
  for tn in tile(N) {
${stores}
  }
  return out;
}`);
    const n = 1003;
    const xs = randomF32(n, 11, 0.001, 1);
    const [got = []] = await runKernel(ctx, k, [{ value: xs }], { blocks: { tn: 128 } });
    for (const [j, [name, ref, lo, hi]] of UNARY.entries()) {
      const column = Array.from(xs, (_, i) => got[i * UNARY.length + j] ?? NaN);
      const want = Array.from(xs, (x) => ref(f(f(x * (hi - lo)) + lo)));
      expect.soft(maxRelErr(column, want), name).toBeLessThan(name === 'tan' ? 1e-5 : 2e-6);
    }
  }, T);

  it('operators, precedence, unary minus, literals adopting the dtype, min/max/pow', async () => {
    const k = kernel`
fn ops(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    let a = x[tn];
    let b = y[tn];
    out[tn] = -a * 2 + b / 4.0 - a % 1.5 + min(a, b) * max(a, 0.5) + pow(abs(b), 1.5) + f32(N);
  }
  return out;
}`;
    const n = 777;
    const xs = randomF32(n, 1, -5, 5);
    const ys = randomF32(n, 2, -5, 5);
    const [got = []] = await runKernel(ctx, k, [{ value: xs }, { value: ys }]);
    const want = Array.from(xs, (a, i) => {
      const b = ys[i] ?? 0;
      return -a * 2 + b / 4 - (a % 1.5) + Math.min(a, b) * Math.max(a, 0.5) + Math.abs(b) ** 1.5 + n;
    });
    expectClose(got, want, 1e-5);
  }, T);

  it('integer arithmetic on i32 tiles: + - * / % and comparisons give bools', async () => {
    const k = kernel`
fn iops(x: i32[N], y: i32[N]) -> (i32[N], bool[N]) {
  let q = empty_like(x);
  let c = empty([N], bool);
  for tn in tile(N) {
    q[tn] = x[tn] / y[tn] + x[tn] % y[tn] * 3 - 1;
    c[tn] = x[tn] > y[tn] && !(x[tn] == 0) || y[tn] <= -50;
  }
  return (q, c);
}`;
    const n = 530;
    const xs = randomI32(n, 3, -100, 100);
    const ys = Int32Array.from(randomI32(n, 4, 1, 60), (v, i) => (i % 2 ? v : -v));
    const [q = [], c = []] = await runKernel(ctx, k, [{ value: xs }, { value: ys }]);
    expect(Array.from(q)).toEqual(Array.from(xs, (x, i) => Math.trunc(x / (ys[i] ?? 1)) + (x % (ys[i] ?? 1)) * 3 - 1));
    expect(Array.from(c)).toEqual(Array.from(xs, (x, i) => Number((x > (ys[i] ?? 0) && x !== 0) || (ys[i] ?? 0) <= -50)));
  }, T);
});

// ---------------------------------------------------------------- casts, where, clamp

describeWebGPU('casts, where and clamp', (ctx) => {
  it('f32 → i32 truncates toward zero; i32 → f32; bool → i32 and f32', async () => {
    const k = kernel`
fn casts(x: f32[N], n: i32[N]) -> (i32[N], f32[N], u32[N]) {
  let a = empty([N], i32);
  let b = empty([N], f32);
  let c = empty([N], u32);
  for tn in tile(N) {
    a[tn] = i32(x[tn]) + i32(x[tn] > 0.0);
    b[tn] = f32(n[tn]) * 0.5 + f32(n[tn] < 0);
    c[tn] = u32(abs(n[tn])) * 3 + 1;
  }
  return (a, b, c);
}`;
    const n = 601;
    const xs = randomF32(n, 5, -20, 20);
    const ns = randomI32(n, 6, -1000, 1000);
    const [a = [], b = [], c = []] = await runKernel(ctx, k, [{ value: xs }, { value: ns }]);
    expect(Array.from(a)).toEqual(Array.from(xs, (x) => Math.trunc(x) + (x > 0 ? 1 : 0)));
    expect(Array.from(b)).toEqual(Array.from(ns, (v) => v * 0.5 + (v < 0 ? 1 : 0)));
    expect(Array.from(c)).toEqual(Array.from(ns, (v) => Math.abs(v) * 3 + 1));
  }, T);

  it('f16 inputs: f16 + f32 computes in f32; f16(x) rounds', async () => {
    const k = kernel`
fn half(h: f16[N], x: f32[N]) -> (f32[N], f16[N]) {
  let s = empty([N], f32);
  let r = empty([N], f16);
  for tn in tile(N) {
    s[tn] = h[tn] + x[tn];
    r[tn] = f16(x[tn]) * h[tn];
  }
  return (s, r);
}`;
    const n = 300;
    const hs = Float32Array.from(randomF32(n, 7, -4, 4), (v) => Math.round(v * 256) / 256); // exact in f16
    const xs = randomF32(n, 8, -4, 4);
    const [s = [], r = []] = await runKernel(ctx, k, [{ value: { data: hs, dtype: 'f16' } }, { value: xs }]);
    expectClose(s, Array.from(hs, (h, i) => f(h + (xs[i] ?? 0))), 1e-6);
    expectClose(r, Array.from(hs, (h, i) => h * (xs[i] ?? 0)), 2e-3);
  }, T);

  it('where(cond, a, b) and clamp(x, lo, hi)', async () => {
    const k = kernel`
fn pick(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = where(x[tn] > y[tn], x[tn] - y[tn], 0.0) + clamp(y[tn], -1.0, 1.0);
  }
  return out;
}`;
    const n = 999;
    const xs = randomF32(n, 9, -3, 3);
    const ys = randomF32(n, 10, -3, 3);
    const [got = []] = await runKernel(ctx, k, [{ value: xs }, { value: ys }]);
    expectClose(got, Array.from(xs, (x, i) => {
      const y = ys[i] ?? 0;
      return (x > y ? x - y : 0) + Math.min(1, Math.max(-1, y));
    }), 1e-6);
  }, T);
});

// ---------------------------------------------------------------- broadcasting

describeWebGPU('broadcasting', (ctx) => {
  it('[tm, tn] with a row vector bias[tn], a scalar, and a keepdim [tm, 1] column', async () => {
    const k = kernel`
fn bcast(x: f32[M, N], bias: f32[N], s: f32) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    let t = x[tm, tn];
    out[tm, tn] = (t + bias[tn]) * s - sum(t, axis=1, keepdim=true);
  }
  return out;
}`;
    const [m, n] = [37, 45];
    const xs = randomF32(m * n, 12, -2, 2);
    const bs = randomF32(n, 13, -1, 1);
    const bm = 8;
    const bn = 16;
    const [got = []] = await runKernel(ctx, k, [{ value: xs, shape: [m, n] }, { value: bs }, { value: 1.5 }], { blocks: { tm: bm, tn: bn } });
    const want = new Float32Array(m * n);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < n; c++) {
        // The keepdim sum runs over this tile's part of the row: columns c0 … c0+bn (masked at N).
        const c0 = c - (c % bn);
        let rowPart = 0;
        for (let j = c0; j < Math.min(c0 + bn, n); j++) rowPart += xs[r * n + j] ?? 0;
        want[r * n + c] = ((xs[r * n + c] ?? 0) + (bs[c] ?? 0)) * 1.5 - rowPart;
      }
    }
    expectClose(got, want, 1e-5);
  }, T);

  it('a size-1 dimension taken whole is a unit axis: c[tm, :] with c: f32[M, 1] is a column', async () => {
    const k = kernel`
fn scale_rows(x: f32[M, N], c: f32[M, 1]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    out[tm, tn] = x[tm, tn] * c[tm, :];
  }
  return out;
}`;
    const [m, n] = [21, 35];
    const xs = randomF32(m * n, 14, -2, 2);
    const cs = randomF32(m, 15, -2, 2);
    const [got = []] = await runKernel(ctx, k, [{ value: xs, shape: [m, n] }, { value: cs, shape: [m, 1] }], { blocks: { tm: 8, tn: 16 } });
    expectClose(got, Array.from(xs, (v, i) => f(v * (cs[Math.floor(i / n)] ?? 0))), 0);
  }, T);
});

// ---------------------------------------------------------------- reductions

type RedOp = 'sum' | 'mean' | 'max' | 'min' | 'argmax' | 'argmin';
const RED_OPS: readonly RedOp[] = ['sum', 'mean', 'max', 'min', 'argmax', 'argmin'];

/** A reduction of values `v` at tensor indices `idx`: arg ops give the index (first on ties). */
function reduceRef(op: RedOp, v: readonly number[], idx: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) {
    const x = v[i] ?? NaN;
    const b = v[best] ?? NaN;
    if ((op === 'argmax' || op === 'max') ? x > b : x < b) best = i;
  }
  switch (op) {
    case 'sum': return v.reduce((a, b) => a + b, 0);
    case 'mean': return v.reduce((a, b) => a + b, 0) / v.length;
    case 'max': case 'min': return v[best] ?? NaN;
    case 'argmax': case 'argmin': return idx[best] ?? -1;
  }
}

describeWebGPU('reductions', (ctx) => {
  const [m, n] = [29, 45];
  const [bm, bn] = [8, 16];
  const xs = randomF32(m * n, 21, -10, 10);
  const x = (r: number, c: number): number => xs[r * n + c] ?? NaN;

  /** The reduction of element (r, c)'s tile-row (axis 1) or tile-column (axis 0), masked at the edge. */
  function tileRef(op: RedOp, axis: 0 | 1, r: number, c: number): number {
    const vals: number[] = [];
    const idx: number[] = [];
    if (axis === 1) {
      const c0 = c - (c % bn);
      for (let j = c0; j < Math.min(c0 + bn, n); j++) { vals.push(x(r, j)); idx.push(j); }
    } else {
      const r0 = r - (r % bm);
      for (let i = r0; i < Math.min(r0 + bm, m); i++) { vals.push(x(i, c)); idx.push(i); }
    }
    return reduceRef(op, vals, idx);
  }

  it('each reduction along each axis of a [tm, tn] tile, keepdim=true, broadcast back', async () => {
    const fl = RED_OPS.filter((op) => !op.startsWith('arg'));
    const ar = RED_OPS.filter((op) => op.startsWith('arg'));
    const line = (o: string, i: number, op: string, axis: number): string =>
      `    ${o}[tm, tn, ${i}] = ${op}(t, axis=${axis}, keepdim=true);`;
    const k = kernelOf(`fn reductions(x: f32[M, N]) -> (f32[M, N, 10], i32[M, N, 4]) {
  let vals = empty([M, N, 10], f32);
  let idx = empty([M, N, 4], i32);
  for (tm, tn) in tile([M, N]) {
    let t = x[tm, tn];
${fl.flatMap((op, i) => [line('vals', 2 * i, op, 0), line('vals', 2 * i + 1, op, 1)]).join('\n')}
${ar.flatMap((op, i) => [line('idx', 2 * i, op, 0), line('idx', 2 * i + 1, op, 1)]).join('\n')}
    vals[tm, tn, 8] = sum(t);
    vals[tm, tn, 9] = max(t, keepdim=true);
  }
  return (vals, idx);
}`);
    const [vals = [], idx = []] = await runKernel(ctx, k, [{ value: xs, shape: [m, n] }], { blocks: { tm: bm, tn: bn } });
    for (const [group, ops, got, width] of [['vals', fl, vals, 10], ['idx', ar, idx, 4]] as const) {
      for (const [i, op] of ops.entries()) {
        for (const axis of [0, 1] as const) {
          const want: number[] = [];
          const have: number[] = [];
          for (let r = 0; r < m; r++) {
            for (let c = 0; c < n; c++) {
              want.push(tileRef(op, axis, r, c));
              have.push(got[(r * n + c) * width + 2 * i + axis] ?? NaN);
            }
          }
          expect.soft(maxRelErr(have, want), `${group}: ${op} axis=${axis}`).toBeLessThan(1e-5);
        }
      }
    }
    // No axis: the whole (masked) tile reduces to one scalar; keepdim keeps it as [1, 1].
    for (const [col, op] of [[8, 'sum'], [9, 'max']] as const) {
      const want: number[] = [];
      const have: number[] = [];
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < n; c++) {
          const r0 = r - (r % bm);
          const c0 = c - (c % bn);
          const tileVals: number[] = [];
          for (let i = r0; i < Math.min(r0 + bm, m); i++) for (let j = c0; j < Math.min(c0 + bn, n); j++) tileVals.push(x(i, j));
          want.push(reduceRef(op, tileVals, []));
          have.push(vals[(r * n + c) * 10 + col] ?? NaN);
        }
      }
      expect.soft(maxRelErr(have, want), `${op} over all axes`).toBeLessThan(1e-5);
    }
  }, T);

  it('without keepdim: accumulate row sums over a nested tile loop (axis 1) and column maxima (axis 0)', async () => {
    const rows = kernel`
fn row_sums(x: f32[M, N]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    var acc = zeros([tm], f32);
    for tn in tile(N) {
      acc += sum(x[tm, tn], axis=1);
    }
    out[tm] = acc;
  }
  return out;
}`;
    const cols = kernel`
fn col_max(x: f32[M, N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    var best = full([tn], -1.0e9);
    for tm in tile(M) {
      best = max(best, max(x[tm, tn], axis=0));
    }
    out[tn] = best;
  }
  return out;
}`;
    const [rs = []] = await runKernel(ctx, rows, [{ value: xs, shape: [m, n] }], { blocks: { tm: 4, tn: 16 } });
    const [cs = []] = await runKernel(ctx, cols, [{ value: xs, shape: [m, n] }], { blocks: { tm: 8, tn: 16 } });
    const rowsWant = Array.from({ length: m }, (_, r) => Array.from({ length: n }, (_, c) => x(r, c)).reduce((a, b) => a + b, 0));
    const colsWant = Array.from({ length: n }, (_, c) => Math.max(...Array.from({ length: m }, (_, r) => x(r, c))));
    expectClose(rs, rowsWant, 1e-5);
    expectClose(cs, colsWant, 0);
  }, T);

  it('whole rows x[tm, :]: every reduction along axis 1, several outputs, no axis = all axes', async () => {
    const k = kernel`
fn row_stats(x: f32[M, N]) -> (f32[M], f32[M], f32[M], f32[M], i32[M], i32[M]) {
  let s = empty([M], f32);
  let mu = empty([M], f32);
  let hi = empty([M], f32);
  let lo = empty([M], f32);
  let am = empty([M], i32);
  let an = empty([M], i32);
  for tm in tile(M) {
    let row = x[tm, :];
    s[tm] = sum(row, axis=1);
    mu[tm] = mean(row, axis=-1);
    hi[tm] = max(row, axis=1);
    lo[tm] = min(row, axis=1);
    am[tm] = argmax(row, axis=1);
    an[tm] = argmin(row, axis=1);
  }
  return (s, mu, hi, lo, am, an);
}`;
    const got = await runKernel(ctx, k, [{ value: xs, shape: [m, n] }], { blocks: { tm: 2 } });
    const cols = Array.from({ length: n }, (_, c) => c);
    for (const [i, op] of RED_OPS.entries()) {
      const want = Array.from({ length: m }, (_, r) => reduceRef(op, cols.map((c) => x(r, c)), cols));
      expect.soft(maxRelErr(got[i] ?? [], want), op).toBeLessThan(1e-5);
    }
  }, T);
});

// ---------------------------------------------------------------- control flow

describeWebGPU('scalar parameters, range loops and if', (ctx) => {
  it('a range loop over a scalar parameter, with a scalar var and a scalar index x[i, tn]', async () => {
    const k = kernel`
fn col_poly(x: f32[K, N], rows: i32, div: f32) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    var acc = zeros([tn], f32);
    var w = 1.0;
    for i in range(0, rows) {
      acc += x[i, tn] * w;
      w /= div;
    }
    out[tn] = acc;
  }
  return out;
}`;
    const [kk, n] = [9, 300];
    const xs = randomF32(kk * n, 31, -1, 1);
    const rows = 7;
    const [got = []] = await runKernel(ctx, k, [{ value: xs, shape: [kk, n] }, { value: rows }, { value: 2 }], { blocks: { tn: 64 } });
    const want = Array.from({ length: n }, (_, c) => {
      let acc = 0;
      for (let i = 0; i < rows; i++) acc += (xs[i * n + c] ?? 0) * 0.5 ** i;
      return acc;
    });
    expectClose(got, want, 1e-6);
  }, T);

  it('range(end), if / else if / else on scalars, nested in a range loop', async () => {
    const k = kernel`
fn branches(x: f32[N], mode: i32) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    var acc = x[tn];
    for i in range(4) {
      if i % 2 == 0 && mode > 0 {
        acc += 1.0;
      } else if i == 3 {
        acc *= 2.0;
      } else {
        acc -= 0.5;
      }
    }
    if mode == 2 {
      out[tn] = -acc;
    } else {
      out[tn] = acc;
    }
  }
  return out;
}`;
    const n = 333;
    const xs = randomF32(n, 32, -3, 3);
    for (const mode of [0, 1, 2]) {
      const [got = []] = await runKernel(ctx, k, [{ value: xs }, { value: mode }]);
      const want = Array.from(xs, (x) => {
        let acc = x;
        for (let i = 0; i < 4; i++) {
          if (i % 2 === 0 && mode > 0) acc += 1;
          else if (i === 3) acc *= 2;
          else acc -= 0.5;
        }
        return mode === 2 ? -acc : acc;
      });
      expectClose(got, want, 1e-6);
    }
  }, T);
});

// ---------------------------------------------------------------- holes and funcs

const relu = func`fn relu(x: f32) -> f32 { return max(x, 0.0); }`;
const leaky = func`fn leaky(x: f32) -> f32 { return where(x > 0.0, x, ${0.1} * x); }`;
/** A func calling a func, with a let, an if and a range loop of its own. */
const squash = func`
fn squash(x: f32, y: f32) -> f32 {
  let r = ${relu}(x) - ${leaky}(y);
  var p = 1.0;
  for _ in range(0, 3) {
    p = p * 0.5 + r;
  }
  if p > 4.0 {
    return 4.0;
  }
  return p;
}`;

describeWebGPU('holes and device functions', (ctx) => {
  it('number and boolean holes are compile-time constants (and part of the cache key)', async () => {
    const scaleBy = (s: number, neg: boolean) => kernel`
fn scale(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N, block=${64}) {
    if ${neg} {
      out[tn] = -x[tn] * ${s};
    } else {
      out[tn] = x[tn] * ${s};
    }
  }
  return out;
}`;
    const n = 200;
    const xs = randomF32(n, 41, -2, 2);
    for (const [s, neg] of [[2.5, false], [3, true]] as const) {
      const k = scaleBy(s, neg);
      expect(k.wgsl()).toContain(s === 3 ? '3' : '2.5');
      const [got = []] = await runKernel(ctx, k, [{ value: xs }]);
      expectClose(got, Array.from(xs, (x) => f((neg ? -x : x) * s)), 1e-7);
    }
  }, T);

  it('funcs applied to tiles element by element, funcs calling funcs, a func holding a number hole', async () => {
    const k = kernel`
fn act(x: f32[M, N], y: f32[M, N]) -> (f32[M, N], f32[M, N]) {
  let a = empty_like(x);
  let b = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    a[tm, tn] = ${relu}(x[tm, tn]) + ${leaky}(y[tm, tn]);
    b[tm, tn] = ${squash}(x[tm, tn], y[tm, tn]);
  }
  return (a, b);
}`;
    const [m, n] = [19, 23];
    const xs = randomF32(m * n, 42, -3, 3);
    const ys = randomF32(m * n, 43, -3, 3);
    const [a = [], b = []] = await runKernel(ctx, k, [{ value: xs, shape: [m, n] }, { value: ys, shape: [m, n] }]);
    const reluRef = (v: number): number => Math.max(v, 0);
    const leakyRef = (v: number): number => (v > 0 ? v : f(0.1) * v);
    expectClose(a, Array.from(xs, (x, i) => reluRef(x) + leakyRef(ys[i] ?? 0)), 1e-6);
    expectClose(b, Array.from(xs, (x, i) => {
      const r = reluRef(x) - leakyRef(ys[i] ?? 0);
      let p = 1;
      for (let j = 0; j < 3; j++) p = p * 0.5 + r;
      return p > 4 ? 4 : p;
    }), 1e-6);
  }, T);
});

// ---------------------------------------------------------------- whole kernels

describeWebGPU('complete kernels', (ctx) => {
  it('softmax over whole rows', async () => {
    const k = kernel`
fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`;
    const [m, n] = [13, 301];
    const xs = randomF32(m * n, 51, -6, 6);
    const [got = []] = await runKernel(ctx, k, [{ value: xs, shape: [m, n] }], { blocks: { tm: 4 } });
    const want = new Float32Array(m * n);
    for (let r = 0; r < m; r++) {
      const row = Array.from(xs.subarray(r * n, (r + 1) * n));
      const mx = Math.max(...row);
      const s = row.reduce((acc, v) => acc + Math.exp(v - mx), 0);
      row.forEach((v, c) => { want[r * n + c] = Math.exp(v - mx) / s; });
    }
    expectClose(got, want, 1e-6);
  }, T);

  it('layernorm with gamma, beta and a scalar eps', async () => {
    const k = kernel`
fn layernorm(x: f32[M, N], gamma: f32[N], beta: f32[N], eps: f32) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let centered = row - mean(row, axis=1, keepdim=true);
    let variance = mean(centered * centered, axis=1, keepdim=true);
    out[tm, :] = centered * rsqrt(variance + eps) * gamma[:] + beta[:];
  }
  return out;
}`;
    const [m, n] = [11, 257];
    const xs = randomF32(m * n, 52, -3, 3);
    const g = randomF32(n, 53, 0.5, 1.5);
    const b = randomF32(n, 54, -1, 1);
    const eps = 1e-5;
    const [got = []] = await runKernel(ctx, k, [{ value: xs, shape: [m, n] }, { value: g }, { value: b }, { value: eps }], { blocks: { tm: 2 } });
    const want = new Float32Array(m * n);
    for (let r = 0; r < m; r++) {
      const row = Array.from(xs.subarray(r * n, (r + 1) * n));
      const mu = row.reduce((a, v) => a + v, 0) / n;
      const v = row.reduce((a, x) => a + (x - mu) ** 2, 0) / n;
      row.forEach((x, c) => { want[r * n + c] = ((x - mu) / Math.sqrt(v + eps)) * (g[c] ?? 0) + (b[c] ?? 0); });
    }
    expectClose(got, want, 2e-5);
  }, T);

  it('outputs from zeros()/zeros_like() start at zero; compound stores; block= fixes a block size', async () => {
    const k = kernel`
fn halves(x: f32[N]) -> (f32[N], f32[N]) {
  let lo = zeros([N], f32);
  let hi = zeros_like(x);
  for tn in tile(N, block=32) {
    let v = x[tn];
    lo[tn] += min(v, 0.0);     // lo starts at zero: allocated with zeros()
    hi[tn] = max(v, 0.0);
    hi[tn] *= 2.0;             // a compound store reads the output back
  }
  return (lo, hi);
}`;
    // The source's block=32 is the block; a config cannot change it.
    expect(k.resolveConfig({}).blocks['tn']).toBe(32);
    expect(k.wgsl()).toMatch(/\(u\.N \+ 31\) \/ 32/);
    const n = 101;
    const xs = randomF32(n, 55, -1, 1);
    const [lo = [], hi = []] = await runKernel(ctx, k, [{ value: xs }]);
    expectClose(lo, Array.from(xs, (v) => Math.min(v, 0)), 0);
    expectClose(hi, Array.from(xs, (v) => 2 * Math.max(v, 0)), 0);
  }, T);
});

// ---------------------------------------------------------------- not in the WGSL backend yet

/**
 * Constructs the checker accepts but the WGSL backend may not support yet (each has a
 * Status note in docs/language.md). Until it does, compiling must fail with the typed
 * UnsupportedError (TSR3002) — never a WebGPU validation error or a wrong result; once it
 * does, the result must match the reference, and the Status note can go.
 */
async function unsupportedOrCorrect(ctx: WebGPUContext, k: Kernel, args: readonly Arg[], want: ArrayLike<number>, tol: number): Promise<'unsupported' | 'works'> {
  try {
    k.wgsl();
  } catch (e) {
    expect(e).toBeInstanceOf(UnsupportedError);
    expect((e as UnsupportedError).code).toBe('TSR3002');
    return 'unsupported';
  }
  const [got = []] = await runKernel(ctx, k, args);
  expectClose(got, want, tol);
  return 'works';
}

describeWebGPU('constructs that may not be in the WGSL backend yet', (ctx) => {
  it('a @ b, with a bias and a ReLU epilogue', async () => {
    const relu = func`fn relu(x: f32) -> f32 { return max(x, 0.0); }`;
    const k = kernel`
fn matmul_bias_relu(a: f32[M, K], b: f32[K, N], bias: f32[N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = ${relu}(acc + bias[tn]);
  }
  return out;
}`;
    const [m, kk, n] = [37, 45, 29];
    const as = randomF32(m * kk, 61, -1, 1);
    const bs = randomF32(kk * n, 62, -1, 1);
    const bias = randomF32(n, 63, -1, 1);
    const want = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < kk; p++) acc += (as[i * kk + p] ?? 0) * (bs[p * n + j] ?? 0);
        want[i * n + j] = Math.max(acc + (bias[j] ?? 0), 0);
      }
    }
    await unsupportedOrCorrect(ctx, k, [{ value: as, shape: [m, kk] }, { value: bs, shape: [kk, n] }, { value: bias }], want, 1e-5);
  }, T);

  it('f16 @ f16 accumulates and returns f32', async () => {
    const k = kernel`
fn matmul_f16(a: f16[M, K], b: f16[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = acc;
  }
  return out;
}`;
    const [m, kk, n] = [19, 70, 23];
    // Multiples of 1/64 in [-1, 1) are exact in f16, so only the accumulation rounds.
    const as = Float32Array.from(randomF32(m * kk, 68, -1, 1), (v) => Math.round(v * 64) / 64);
    const bs = Float32Array.from(randomF32(kk * n, 69, -1, 1), (v) => Math.round(v * 64) / 64);
    const want = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < kk; p++) acc += (as[i * kk + p] ?? 0) * (bs[p * n + j] ?? 0);
        want[i * n + j] = acc;
      }
    }
    await unsupportedOrCorrect(ctx, k, [{ value: { data: as, dtype: 'f16' }, shape: [m, kk] }, { value: { data: bs, dtype: 'f16' }, shape: [kk, n] }], want, 1e-5);
  }, T);

  it('cumsum along a row', async () => {
    const k = kernel`
fn prefix(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = cumsum(x[tm, :], axis=1);
  }
  return out;
}`;
    const [m, n] = [5, 77];
    const xs = randomF32(m * n, 64, -1, 1);
    const want = new Float32Array(m * n);
    for (let r = 0; r < m; r++) {
      let acc = 0;
      for (let c = 0; c < n; c++) want[r * n + c] = acc += xs[r * n + c] ?? 0;
    }
    await unsupportedOrCorrect(ctx, k, [{ value: xs, shape: [m, n] }], want, 1e-5);
  }, T);

  it('atomic_add into a zero-filled output', async () => {
    const k = kernel`
fn total(x: f32[N]) -> f32[1] {
  let out = zeros([1], f32);
  for tn in tile(N) {
    atomic_add(out[0], sum(x[tn]));
  }
  return out;
}`;
    const n = 1001;
    const xs = randomF32(n, 65, -1, 1);
    await unsupportedOrCorrect(ctx, k, [{ value: xs }], [xs.reduce((a, b) => a + b, 0)], 1e-4);
  }, T);

  it("a var tile with a whole ':' dimension", async () => {
    const k = kernel`
fn twice(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    var row = x[tm, :];
    row *= 2.0;
    out[tm, :] = row;
  }
  return out;
}`;
    const [m, n] = [7, 50];
    const xs = randomF32(m * n, 66, -1, 1);
    await unsupportedOrCorrect(ctx, k, [{ value: xs, shape: [m, n] }], Array.from(xs, (v) => 2 * v), 0);
  }, T);

  it("a reduction whose result keeps a whole ':' dimension", async () => {
    const k = kernel`
fn col_sums(x: f32[M, N]) -> f32[N] {
  let out = zeros([N], f32);
  for tm in tile(M, block=64) {
    out[:] = sum(x[tm, :], axis=0);
  }
  return out;
}`;
    const [m, n] = [40, 9];
    const xs = randomF32(m * n, 67, -1, 1);
    const want = Array.from({ length: n }, (_, c) => Array.from({ length: m }, (_, r) => xs[r * n + c] ?? 0).reduce((a, b) => a + b, 0));
    await unsupportedOrCorrect(ctx, k, [{ value: xs, shape: [m, n] }], want, 1e-5);
  }, T);
});
