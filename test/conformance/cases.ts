/**
 * The conformance suite: each case is written once — a kernel, how to make its inputs,
 * and an independent plain-JS reference — and run on every backend (WebGPU and the
 * interpreter) over several configs and ragged shapes.
 */
import type { ConfigInput } from 'tessera-gpu';
import { rng } from '../support/random.ts';

export type HostArray = Float32Array | Int32Array | Uint32Array;

export interface CaseInput {
  readonly dtype: 'f32' | 'f16' | 'i32' | 'u32';
  readonly shape: readonly number[];
  readonly data: HostArray;
}

export interface Sized {
  readonly inputs: readonly CaseInput[];
  readonly scalars: readonly number[];
  /** Expected output(s), computed in f64 by plain JS. */
  readonly expected: readonly ArrayLike<number>[];
}

export interface ConformanceCase {
  readonly name: string;
  readonly source: string;
  /** Absolute + relative tolerance: |got - want| ≤ atol + rtol·|want|. */
  readonly atol: number;
  readonly rtol: number;
  readonly configs: readonly ConfigInput[];
  /** How long the case may take on a backend (default 60 s): big shaders compile slowly on CPU adapters. */
  readonly timeoutMs?: number;
  /** Input sets at ragged sizes (not multiples of any block size tried). */
  readonly sizes: readonly (() => Sized)[];
}

export function f32(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

export function i32(n: number, seed: number, lo: number, hi: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: n }, () => Math.floor(lo + (hi - lo) * r()));
}

const fr = Math.fround;

/** 2-D elementwise map over [M, N] tiles of (tm, tn): `out[tm, tn] = EXPR(x)`. */
function unaryCase(name: string, expr: string, ref: (x: number) => number, lo: number, hi: number, tol = 2e-6): ConformanceCase {
  return {
    name: `elementwise ${name}`,
    source: `fn k(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    let v = x[tm, tn];
    out[tm, tn] = ${expr};
  }
  return out;
}`,
    atol: tol, rtol: tol,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 4, tn: 64 }, workgroupSize: 128 }],
    sizes: [[1, 1], [13, 37], [70, 9]].map(([m, n], i) => () => {
      const x = f32((m ?? 1) * (n ?? 1), 100 + i, lo, hi);
      return { inputs: [{ dtype: 'f32', shape: [m ?? 1, n ?? 1], data: x }], scalars: [], expected: [Array.from(x, (v) => ref(fr(v)))] };
    }),
  };
}

function binaryCase(name: string, expr: string, ref: (a: number, b: number) => number, lo: number, hi: number, tol = 1e-6, blo = lo, bhi = hi): ConformanceCase {
  return {
    name: `binary ${name}`,
    source: `fn k(a: f32[N], b: f32[N]) -> f32[N] {
  let out = empty_like(a);
  for tn in tile(N) {
    let x = a[tn];
    let y = b[tn];
    out[tn] = ${expr};
  }
  return out;
}`,
    atol: tol, rtol: tol,
    configs: [{ blocks: { tn: 64 }, workgroupSize: 64 }, { blocks: { tn: 512 }, workgroupSize: 128 }],
    sizes: [1, 1000, 4099].map((n, i) => () => {
      const a = f32(n, 200 + i, lo, hi);
      const b = f32(n, 300 + i, blo, bhi);
      return { inputs: [{ dtype: 'f32', shape: [n], data: a }, { dtype: 'f32', shape: [n], data: b }], scalars: [], expected: [Array.from(a, (v, j) => ref(fr(v), fr(b[j] ?? 0)))] };
    }),
  };
}

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 is what the kernels use; the reference is a series to 1e-12.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

export const ELEMENTWISE: ConformanceCase[] = [
  unaryCase('neg', '-v', (x) => -x, -5, 5, 0),
  unaryCase('abs', 'abs(v)', Math.abs, -5, 5, 0),
  unaryCase('exp', 'exp(v)', Math.exp, -10, 10),
  unaryCase('exp2', 'exp2(v)', (x) => 2 ** x, -10, 10),
  unaryCase('log', 'log(v)', Math.log, 0.01, 100, 4e-6),
  unaryCase('log2', 'log2(v)', Math.log2, 0.01, 100, 4e-6),
  unaryCase('sqrt', 'sqrt(v)', Math.sqrt, 0, 100),
  unaryCase('rsqrt', 'rsqrt(v)', (x) => 1 / Math.sqrt(x), 0.01, 100, 4e-6),
  unaryCase('sin', 'sin(v)', Math.sin, -6, 6, 5e-6),
  unaryCase('cos', 'cos(v)', Math.cos, -6, 6, 5e-6),
  unaryCase('tanh', 'tanh(v)', Math.tanh, -5, 5, 5e-6),
  unaryCase('sigmoid', 'sigmoid(v)', (x) => 1 / (1 + Math.exp(-x)), -10, 10, 5e-6),
  unaryCase('erf', 'erf(v)', erf, -3, 3, 1e-6),
  unaryCase('floor', 'floor(v)', Math.floor, -50, 50, 0),
  unaryCase('ceil', 'ceil(v)', Math.ceil, -50, 50, 0),
  unaryCase('round (half to even)', 'round(v * 2.0) * 0.5', (x) => roundHalfEven(fr(x * 2)) * 0.5, -50, 50, 0),
  unaryCase('square via *', 'v * v', (x) => x * x, -30, 30),
  unaryCase('polynomial with literals', '2.0 * v * v - 3.0 * v + 1.5', (x) => 2 * x * x - 3 * x + 1.5, -5, 5, 1e-5),
  unaryCase('clamp', 'clamp(v, -0.5, 0.25)', (x) => Math.min(Math.max(x, -0.5), 0.25), -2, 2, 0),
  unaryCase('where', 'where(v > 0.0, v, v * 0.1)', (x) => (x > 0 ? x : fr(x * fr(0.1))), -2, 2, 0),
  unaryCase('max with scalar (relu)', 'max(v, 0.0)', (x) => Math.max(x, 0), -2, 2, 0),
  unaryCase('cast to i32 and back', 'f32(i32(v))', (x) => Math.trunc(x), -100, 100, 0),
  unaryCase('comparison to bool and back', 'f32(v >= 0.5) + f32(v < -0.5)', (x) => Number(x >= 0.5) + Number(x < -0.5), -1, 1, 0),
  unaryCase('logic', 'f32((v > 0.0) && (v < 0.5) || (v < -0.9))', (x) => Number((x > 0 && x < 0.5) || x < -0.9), -1, 1, 0),
  binaryCase('add', 'x + y', (a, b) => a + b, -100, 100),
  binaryCase('sub', 'x - y', (a, b) => a - b, -100, 100),
  binaryCase('mul', 'x * y', (a, b) => a * b, -100, 100),
  binaryCase('div', 'x / y', (a, b) => a / b, -100, 100, 1e-6, 0.5, 10),
  binaryCase('mod (truncated)', 'x % y', (a, b) => fr(a % b), -100, 100, 1e-5, 0.5, 10),
  binaryCase('min', 'min(x, y)', Math.min, -100, 100, 0),
  binaryCase('max', 'max(x, y)', Math.max, -100, 100, 0),
  binaryCase('pow', 'pow(x, y)', (a, b) => a ** b, 0.1, 4, 4e-6, -2, 2),
  binaryCase('eq/ne/le/gt', 'f32(x == y) + 2.0 * f32(x != y) + 4.0 * f32(x <= y) + 8.0 * f32(x > y)', (a, b) => Number(a === b) + 2 * Number(a !== b) + 4 * Number(a <= b) + 8 * Number(a > b), -2, 2, 0),
];

/** Row-wise (axis=1) and column-wise (axis=0) reductions over [tm, tn] tiles, keepdim. */
function reduceCase(op: string, axis: 0 | 1, ref: (xs: number[]) => number, tol: number): ConformanceCase {
  // axis 1: out[m] for each row of the tile; axis 0: a per-tile column result, atomically
  // free because each (tm) tile writes its own output row block of partials.
  const src = axis === 1
    ? `fn k(x: f32[M, N]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    let r = ${op}(x[tm, :], axis=1);
    out[tm] = ${op === 'argmax' || op === 'argmin' ? 'f32(r)' : 'r'};
  }
  return out;
}`
    : `fn k(x: f32[M, N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    let r = ${op}(x[:, tn], axis=0);
    out[tn] = ${op === 'argmax' || op === 'argmin' ? 'f32(r)' : 'r'};
  }
  return out;
}`;
  const loop = axis === 1 ? 'tm' : 'tn';
  return {
    name: `reduce ${op} axis=${axis}`,
    source: src,
    atol: tol, rtol: tol,
    configs: [{ blocks: { [loop]: 1 }, workgroupSize: 64 }, { blocks: { [loop]: 4 }, workgroupSize: 256 }],
    sizes: [[1, 1], [7, 1000], [33, 65]].map(([m, n], i) => () => {
      const M = m ?? 1;
      const N = n ?? 1;
      const x = f32(M * N, 400 + i, -5, 5);
      const lines = axis === 1
        ? Array.from({ length: M }, (_, r) => Array.from(x.subarray(r * N, (r + 1) * N)))
        : Array.from({ length: N }, (_, c) => Array.from({ length: M }, (_, r) => x[r * N + c] ?? 0));
      return { inputs: [{ dtype: 'f32', shape: [M, N], data: x }], scalars: [], expected: [lines.map(ref)] };
    }),
  };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const argBest = (xs: number[], better: (a: number, b: number) => boolean): number =>
  xs.reduce((best, v, i) => (better(v, xs[best] ?? v) ? i : best), 0);

export const REDUCTIONS: ConformanceCase[] = ([0, 1] as const).flatMap((axis) => [
  reduceCase('sum', axis, sum, 2e-5),
  reduceCase('mean', axis, (xs) => sum(xs) / xs.length, 2e-6),
  reduceCase('max', axis, (xs) => Math.max(...xs), 0),
  reduceCase('min', axis, (xs) => Math.min(...xs), 0),
  reduceCase('argmax', axis, (xs) => argBest(xs, (a, b) => a > b), 0),
  reduceCase('argmin', axis, (xs) => argBest(xs, (a, b) => a < b), 0),
]);

/** Integer semantics: i32 wrap-around, division toward zero, casts. */
export const INTEGER: ConformanceCase[] = [
  {
    name: 'i32 arithmetic wraps around',
    source: `fn k(a: i32[N], b: i32[N]) -> i32[N] {
  let out = empty_like(a);
  for tn in tile(N) {
    out[tn] = a[tn] * b[tn] + 2147483647;
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tn: 64 }, workgroupSize: 64 }, { blocks: { tn: 256 } }],
    sizes: [3, 1001].map((n, i) => () => {
      const a = i32(n, 700 + i, -100000, 100000);
      const b = i32(n, 800 + i, -100000, 100000);
      return { inputs: [{ dtype: 'i32', shape: [n], data: a }, { dtype: 'i32', shape: [n], data: b }], scalars: [], expected: [Array.from(a, (v, j) => (Math.imul(v, b[j] ?? 0) + 2147483647) | 0)] };
    }),
  },
  {
    name: 'i32 division and remainder truncate toward zero',
    source: `fn k(a: i32[N], b: i32[N]) -> (i32[N], i32[N]) {
  let q = empty_like(a);
  let r = empty_like(a);
  for tn in tile(N) {
    q[tn] = a[tn] / b[tn];
    r[tn] = a[tn] % b[tn];
  }
  return (q, r);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tn: 64 }, workgroupSize: 64 }, { blocks: { tn: 128 }, workgroupSize: 32 }],
    sizes: [5, 777].map((n, i) => () => {
      const a = i32(n, 900 + i, -1000, 1000);
      const b = Int32Array.from(i32(n, 950 + i, 1, 30), (v, j) => (j % 2 ? -v : v));
      return {
        inputs: [{ dtype: 'i32', shape: [n], data: a }, { dtype: 'i32', shape: [n], data: b }], scalars: [],
        expected: [Array.from(a, (v, j) => Math.trunc(v / (b[j] ?? 1))), Array.from(a, (v, j) => v % (b[j] ?? 1))],
      };
    }),
  },
];

/** Scalars, loops, control flow, holes-free device code. */
export const CONTROL: ConformanceCase[] = [
  {
    name: 'scalar parameter and broadcast row vector',
    source: `fn k(x: f32[M, N], bias: f32[N], alpha: f32) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = alpha * x[tm, :] + bias[:];
  }
  return out;
}`,
    atol: 1e-6, rtol: 1e-6,
    configs: [{ blocks: { tm: 1 }, workgroupSize: 64 }, { blocks: { tm: 4 }, workgroupSize: 128 }],
    sizes: [[3, 5], [9, 301]].map(([m, n], i) => () => {
      const M = m ?? 1;
      const N = n ?? 1;
      const x = f32(M * N, 1000 + i);
      const b = f32(N, 1100 + i);
      return {
        inputs: [{ dtype: 'f32', shape: [M, N], data: x }, { dtype: 'f32', shape: [N], data: b }], scalars: [1.75],
        expected: [Array.from(x, (v, j) => fr(fr(1.75) * v) + (b[j % N] ?? 0))],
      };
    }),
  },
  {
    name: 'range loop with a scalar var accumulator (row dot with a fixed vector)',
    source: `fn k(x: f32[M, K], w: f32[K]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    var acc = zeros([tm], f32);
    for k in range(0, K) {
      acc += x[tm, k] * w[k];
    }
    out[tm] = acc;
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{ blocks: { tm: 16 }, workgroupSize: 64 }, { blocks: { tm: 64 }, workgroupSize: 64 }],
    sizes: [[1, 1], [70, 33]].map(([m, k], i) => () => {
      const M = m ?? 1;
      const K = k ?? 1;
      const x = f32(M * K, 1200 + i);
      const w = f32(K, 1300 + i);
      return {
        inputs: [{ dtype: 'f32', shape: [M, K], data: x }, { dtype: 'f32', shape: [K], data: w }], scalars: [],
        expected: [Array.from({ length: M }, (_, r) => sum(Array.from({ length: K }, (_, c) => (x[r * K + c] ?? 0) * (w[c] ?? 0))))],
      };
    }),
  },
  {
    name: 'if on a scalar parameter',
    source: `fn k(x: f32[N], flag: i32) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    if flag > 0 {
      out[tn] = x[tn] * 2.0;
    } else {
      out[tn] = -x[tn];
    }
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tn: 64 }, workgroupSize: 64 }, { blocks: { tn: 256 } }],
    sizes: [[1, 37], [0, 1000]].map(([flag, n], i) => () => {
      const x = f32(n ?? 1, 1400 + i);
      return { inputs: [{ dtype: 'f32', shape: [n ?? 1], data: x }], scalars: [flag ?? 0], expected: [Array.from(x, (v) => ((flag ?? 0) > 0 ? v * 2 : -v))] };
    }),
  },
  {
    name: 'nested tile loop accumulating a tile var',
    source: `fn k(x: f32[M, K]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    var acc = zeros([tm, 1], f32);
    for tk in tile(K) {
      acc += sum(x[tm, tk], axis=1, keepdim=true);
    }
    out[tm] = sum(acc, axis=1);
  }
  return out;
}`,
    atol: 2e-5, rtol: 2e-5,
    configs: [{ blocks: { tm: 4, tk: 16 }, workgroupSize: 64 }, { blocks: { tm: 1, tk: 128 }, workgroupSize: 128 }],
    sizes: [[3, 5], [21, 300]].map(([m, k], i) => () => {
      const M = m ?? 1;
      const K = k ?? 1;
      const x = f32(M * K, 1500 + i);
      return { inputs: [{ dtype: 'f32', shape: [M, K], data: x }], scalars: [], expected: [Array.from({ length: M }, (_, r) => sum(Array.from(x.subarray(r * K, (r + 1) * K))))] };
    }),
  },
  {
    name: 'multiple outputs',
    source: `fn k(x: f32[M, N]) -> (f32[M], f32[M]) {
  let lo = empty([M], f32);
  let hi = empty([M], f32);
  for tm in tile(M) {
    lo[tm] = min(x[tm, :], axis=1);
    hi[tm] = max(x[tm, :], axis=1);
  }
  return (lo, hi);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 2 }, workgroupSize: 64 }, { blocks: { tm: 8 }, workgroupSize: 256 }],
    sizes: [[5, 7], [19, 200]].map(([m, n], i) => () => {
      const M = m ?? 1;
      const N = n ?? 1;
      const x = f32(M * N, 1600 + i, -9, 9);
      const rows = Array.from({ length: M }, (_, r) => Array.from(x.subarray(r * N, (r + 1) * N)));
      return { inputs: [{ dtype: 'f32', shape: [M, N], data: x }], scalars: [], expected: [rows.map((r) => Math.min(...r)), rows.map((r) => Math.max(...r))] };
    }),
  },
];

export const BASE_CASES: ConformanceCase[] = [...ELEMENTWISE, ...REDUCTIONS, ...INTEGER, ...CONTROL];
