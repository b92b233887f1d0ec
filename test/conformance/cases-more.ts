/**
 * Conformance cases for `@`, cumsum, atomic_add and f16: matrix products with several
 * epilogues and config shapes, scans along each axis, atomic accumulation across tiles,
 * and half-precision storage and arithmetic.
 */
import type { ConformanceCase } from './cases.ts';
import { f32 } from './cases.ts';



function matmulRef(a: Float32Array, b: Float32Array, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
      out.push(s);
    }
  }
  return out;
}

const MATMUL_SIZES = [[1, 1, 1], [33, 47, 65], [70, 20, 9]] as const;
const MATMUL_CONFIGS = [{}, { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [2, 2] as [number, number] }, { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4] as [number, number], stageA: true, stageB: true }];

function matmulCase(name: string, epilogue: string, extra: string, ref: (acc: number, j: number, bias: Float32Array) => number): ConformanceCase {
  return {
    name: `@ ${name}`,
    source: `fn k(a: f32[M, K], b: f32[K, N]${extra}) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = ${epilogue};
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: MATMUL_CONFIGS,
    sizes: MATMUL_SIZES.map(([m, k, n], i) => () => {
      const a = f32(m * k, 2000 + i);
      const b = f32(k * n, 2100 + i);
      const bias = f32(n, 2200 + i);
      const inputs = [{ dtype: 'f32' as const, shape: [m, k], data: a }, { dtype: 'f32' as const, shape: [k, n], data: b }];
      if (extra) inputs.push({ dtype: 'f32' as const, shape: [n], data: bias });
      return { inputs, scalars: [], expected: [matmulRef(a, b, m, k, n).map((v, idx) => ref(v, idx % n, bias))] };
    }),
  };
}

export const MATMUL: ConformanceCase[] = [
  matmulCase('plain', 'acc', '', (v) => v),
  matmulCase('bias + relu epilogue', 'max(acc + bias[tn], 0.0)', ', bias: f32[N]', (v, j, bias) => Math.max(v + (bias[j] ?? 0), 0)),
  matmulCase('scaled sigmoid epilogue', 'sigmoid(acc * 0.5)', '', (v) => 1 / (1 + Math.exp(-v * 0.5))),
  {
    name: '@ over a whole (:) contraction dim',
    source: `fn k(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    out[tm, tn] = a[tm, :] @ b[:, tn];
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: [{}, { blocks: { tm: 16, tn: 16 }, microTile: [2, 2] }],
    sizes: MATMUL_SIZES.map(([m, k, n], i) => () => {
      const a = f32(m * k, 2300 + i);
      const b = f32(k * n, 2400 + i);
      return { inputs: [{ dtype: 'f32', shape: [m, k], data: a }, { dtype: 'f32', shape: [k, n], data: b }], scalars: [], expected: [matmulRef(a, b, m, k, n)] };
    }),
  },
];

function cumsumRows(x: Float32Array, m: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) out.push((s += x[r * n + c] ?? 0));
  }
  return out;
}

export const SCANS: ConformanceCase[] = [
  {
    name: 'cumsum along a whole row',
    source: `fn k(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = cumsum(x[tm, :], axis=1);
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-5,
    configs: [{ blocks: { tm: 1 }, workgroupSize: 64 }, { blocks: { tm: 4 }, workgroupSize: 128 }],
    sizes: [[1, 1], [5, 300], [13, 33]].map(([m, n], i) => () => {
      const x = f32((m ?? 1) * (n ?? 1), 2500 + i);
      return { inputs: [{ dtype: 'f32', shape: [m ?? 1, n ?? 1], data: x }], scalars: [], expected: [cumsumRows(x, m ?? 1, n ?? 1)] };
    }),
  },
  {
    name: 'cumsum along a block axis restarts per tile',
    source: `fn k(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = cumsum(x[tn], axis=0);
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{ blocks: { tn: 16 }, workgroupSize: 16 }],
    sizes: [1, 37, 100].map((n, i) => () => {
      const x = f32(n, 2600 + i);
      const out: number[] = [];
      let s = 0;
      for (let j = 0; j < n; j++) {
        if (j % 16 === 0) s = 0;
        out.push((s += x[j] ?? 0));
      }
      return { inputs: [{ dtype: 'f32', shape: [n], data: x }], scalars: [], expected: [out] };
    }),
  },
];

export const ATOMICS: ConformanceCase[] = [
  {
    name: 'atomic_add: column sums across row tiles (f32)',
    source: `fn k(x: f32[M, N]) -> f32[N] {
  let out = zeros([N], f32);
  for (tm, tn) in tile([M, N]) {
    atomic_add(out[tn], sum(x[tm, tn], axis=0));
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-5,
    configs: [{ blocks: { tm: 4, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 16, tn: 8 }, workgroupSize: 32 }],
    sizes: [[1, 1], [37, 21], [100, 3]].map(([m, n], i) => () => {
      const M = m ?? 1;
      const N = n ?? 1;
      const x = f32(M * N, 2700 + i);
      return { inputs: [{ dtype: 'f32', shape: [M, N], data: x }], scalars: [], expected: [Array.from({ length: N }, (_, c) => Array.from({ length: M }, (_, r) => x[r * N + c] ?? 0).reduce((a, b) => a + b, 0))] };
    }),
  },
  {
    name: 'atomic_add: histogram-like integer counts (i32)',
    source: `fn k(x: i32[N]) -> i32[1] {
  let out = zeros([1], i32);
  for tn in tile(N) {
    atomic_add(out[0], sum(x[tn]));
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tn: 32 }, workgroupSize: 32 }, { blocks: { tn: 256 } }],
    sizes: [5, 1001].map((n, i) => () => {
      const x = Int32Array.from(f32(n, 2800 + i), (v) => Math.round(v * 100));
      return { inputs: [{ dtype: 'i32', shape: [n], data: x }], scalars: [], expected: [[x.reduce((a, b) => a + b, 0)]] };
    }),
  },
];



/** f16 rounding as the adapter stores it: round to nearest even at 11 significant bits. */
function toHalf(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const e = Math.max(Math.floor(Math.log2(Math.abs(x))), -14);
  const q = 2 ** (e - 10);
  const r = x / q;
  const n = Math.round(r);
  const even = Math.abs(r % 1) === 0.5 && n % 2 !== 0 ? n - Math.sign(r) : n;
  return even * q;
}

export const HALF: ConformanceCase[] = [
  {
    name: 'f16 storage and arithmetic',
    source: `fn k(x: f16[N]) -> f16[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = x[tn] * 2.0 + 1.0;
  }
  return out;
}`,
    atol: 0, rtol: 1e-3,
    configs: [{ blocks: { tn: 64 }, workgroupSize: 64 }, { blocks: { tn: 256 } }],
    sizes: [3, 999].map((n, i) => () => {
      const x = Float32Array.from(f32(n, 2900 + i, -8, 8), toHalf);
      return { inputs: [{ dtype: 'f16', shape: [n], data: x }], scalars: [], expected: [Array.from(x, (v) => toHalf(toHalf(v * 2) + 1))] };
    }),
  },
  {
    name: 'f16 inputs summed in f32',
    source: `fn k(x: f16[M, N]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    out[tm] = sum(f32(x[tm, :]), axis=1);
  }
  return out;
}`,
    atol: 1e-3, rtol: 1e-5,
    configs: [{ blocks: { tm: 1 }, workgroupSize: 64 }, { blocks: { tm: 4 } }],
    sizes: [[2, 3], [9, 500]].map(([m, n], i) => () => {
      const M = m ?? 1;
      const N = n ?? 1;
      const x = Float32Array.from(f32(M * N, 3000 + i, -4, 4), toHalf);
      return { inputs: [{ dtype: 'f16', shape: [M, N], data: x }], scalars: [], expected: [Array.from({ length: M }, (_, r) => Array.from(x.subarray(r * N, (r + 1) * N)).reduce((a, b) => a + b, 0))] };
    }),
  },
];

export const MORE_CASES: ConformanceCase[] = [...MATMUL, ...SCANS, ...ATOMICS, ...HALF];
