/**
 * Conformance cases for transpose(x): stored transposed, broadcast as a row, reduced
 * along either axis, and as either operand of `@` (in a tile loop over K, over a whole
 * dim, in a batch), at ragged sizes and with staged and unrolled configs.
 */
import type { ConformanceCase } from './cases.ts';
import { f32 } from './cases.ts';

const fr = Math.fround;

/**
 * out[i, j] = Σ_p A(i, p)·B(p, j) in f64, where A and B read the inputs through
 * `at(a, i, p)` / `bt(b, p, j)` (so transposed layouts are spelt out by the case).
 */
function product(m: number, k: number, n: number, A: (i: number, p: number) => number, B: (p: number, j: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
      out.push(s);
    }
  }
  return out;
}

const MATMUL_SIZES = [[1, 1, 1], [33, 48, 65], [70, 21, 9]] as const;
const MATMUL_CONFIGS = [
  {},
  { unroll: 4 },
  { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [2, 2] as [number, number], vectorWidth: 2 as const, unroll: 2 },
  { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4] as [number, number], stageA: true, stageB: true },
];

export const TRANSPOSE: ConformanceCase[] = [
  {
    name: 'transpose: stored transposed, and a column transposed into a row',
    source: `fn k(x: f32[M, N], c: f32[M, 1]) -> (f32[N, M], f32[N, M]) {
  let t = empty([N, M], f32);
  let u = empty([N, M], f32);
  for (tm, tn) in tile([M, N]) {
    t[tn, tm] = transpose(x[tm, tn]);
    u[tn, tm] = transpose(x[tm, tn] * 2.0) - transpose(c[tm, :]);
  }
  return (t, u);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 32, tn: 4 }, workgroupSize: 32 }],
    sizes: [[1, 1], [13, 37], [70, 9]].map(([m = 1, n = 1], i) => () => {
      const x = f32(m * n, 6000 + i);
      const c = f32(m, 6100 + i);
      const t: number[] = [];
      const u: number[] = [];
      for (let j = 0; j < n; j++) {
        for (let r = 0; r < m; r++) {
          t.push(x[r * n + j] ?? 0);
          u.push(fr(fr((x[r * n + j] ?? 0) * 2) - (c[r] ?? 0)));
        }
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }, { dtype: 'f32', shape: [m, 1], data: c }], scalars: [], expected: [t, u] };
    }),
  },
  {
    name: 'transpose: reductions along each axis of a transposed tile',
    source: `fn k(y: f32[N, M]) -> (f32[M], f32[M]) {
  let rows = empty([M], f32);
  let cols = empty([M], f32);
  for tm in tile(M) {
    rows[tm] = sum(transpose(y[:, tm]), axis=1);
    var best = full([tm], -1.0e30);
    for tn in tile(N) {
      best = max(best, max(transpose(y[tn, tm]), axis=1));
    }
    cols[tm] = best;
  }
  return (rows, cols);
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{ blocks: { tm: 4, tn: 8 }, workgroupSize: 32 }, { blocks: { tm: 16, tn: 32 } }],
    sizes: [[1, 1], [19, 40], [5, 70]].map(([m = 1, n = 1], i) => () => {
      const y = f32(n * m, 6200 + i);
      const rows: number[] = [];
      const cols: number[] = [];
      for (let r = 0; r < m; r++) {
        let s = 0;
        let mx = -Infinity;
        for (let j = 0; j < n; j++) {
          s += y[j * m + r] ?? 0;
          mx = Math.max(mx, y[j * m + r] ?? 0);
        }
        rows.push(s);
        cols.push(mx);
      }
      return { inputs: [{ dtype: 'f32', shape: [n, m], data: y }], scalars: [], expected: [rows, cols] };
    }),
  },
  {
    name: 'transpose: a @ transpose(b) over tiles of K',
    source: `fn k(a: f32[M, K], b: f32[N, K]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ transpose(b[tn, tk]);
    }
    out[tm, tn] = acc;
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: MATMUL_CONFIGS,
    sizes: MATMUL_SIZES.map(([m, k, n], i) => () => {
      const a = f32(m * k, 6300 + i);
      const b = f32(n * k, 6400 + i);
      const expected = product(m, k, n, (r, p) => a[r * k + p] ?? 0, (p, j) => b[j * k + p] ?? 0);
      return { inputs: [{ dtype: 'f32', shape: [m, k], data: a }, { dtype: 'f32', shape: [n, k], data: b }], scalars: [], expected: [expected] };
    }),
  },
  {
    name: 'transpose: transpose(a) @ b, and a batched q @ transpose(k) over a whole dim',
    source: `fn k(a: f32[K, M], b: f32[K, N], q: f32[B, M, K], kk: f32[B, N, K]) -> (f32[M, N], f32[B, M, N]) {
  let o1 = empty([M, N], f32);
  let o2 = empty([B, M, N], f32);
  for g in grid(B) {
    for (tm, tn) in tile([M, N]) {
      if g == 0 {
        o1[tm, tn] = transpose(a[:, tm]) @ b[:, tn];
      }
      o2[g, tm, tn] = q[g, tm, :] @ transpose(kk[g, tn, :]);
    }
  }
  return (o1, o2);
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: [{}, { unroll: 4 }, { blocks: { tm: 16, tn: 16 }, microTile: [2, 2], stageA: true, stageB: true, kChunk: 8 }],
    sizes: [[1, 1, 1, 1], [2, 33, 48, 65], [3, 70, 21, 9]].map(([bs = 1, m = 1, k = 1, n = 1], i) => () => {
      const a = f32(k * m, 6500 + i);
      const b = f32(k * n, 6600 + i);
      const q = f32(bs * m * k, 6700 + i);
      const kk = f32(bs * n * k, 6800 + i);
      const o1 = product(m, k, n, (r, p) => a[p * m + r] ?? 0, (p, j) => b[p * n + j] ?? 0);
      const o2: number[] = [];
      for (let g = 0; g < bs; g++) o2.push(...product(m, k, n, (r, p) => q[(g * m + r) * k + p] ?? 0, (p, j) => kk[(g * n + j) * k + p] ?? 0));
      return {
        inputs: [
          { dtype: 'f32', shape: [k, m], data: a }, { dtype: 'f32', shape: [k, n], data: b },
          { dtype: 'f32', shape: [bs, m, k], data: q }, { dtype: 'f32', shape: [bs, n, k], data: kk },
        ],
        scalars: [], expected: [o1, o2],
      };
    }),
  },
];
