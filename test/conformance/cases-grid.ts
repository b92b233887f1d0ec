/**
 * Conformance cases for grid loops (`for b in grid(B)`, one program per index): a
 * batched matmul whose tile loop joins the launch grid, a program walking a row block by
 * block with a scalar accumulator, 2-D and nested grids with `let`s between them, and a
 * program over a whole row. Also a `var` tile with a whole dim of constant size (the
 * accumulator shape attention needs), which the WGSL backend keeps in workgroup memory.
 */
import type { ConformanceCase } from './cases.ts';
import { f32 } from './cases.ts';

/** C[b] = A[b]·B[b] in f64, row-major batches. */
function bmmRef(a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let q = 0; q < batch; q++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[(q * m + i) * k + p] ?? 0) * (b[(q * k + p) * n + j] ?? 0);
        out.push(s);
      }
    }
  }
  return out;
}

export const GRID: ConformanceCase[] = [
  {
    name: 'grid: batched matmul (a tile loop joining the launch grid)',
    source: `fn k(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {
  let out = empty([B, M, N], f32);
  for q in grid(B) {
    for (tm, tn) in tile([M, N]) {
      var acc = zeros([tm, tn], f32);
      for tk in tile(K) {
        acc += a[q, tm, tk] @ b[q, tk, tn];
      }
      out[q, tm, tn] = acc;
    }
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: [{}, { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [2, 2] }, { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true }],
    // [3, 33, 48, 64] takes the vector loads (rows a multiple of 4); the others the scalar path.
    sizes: [[1, 1, 1, 1], [3, 33, 47, 65], [3, 33, 48, 64], [2, 70, 20, 9]].map(([q = 1, m = 1, k = 1, n = 1], i) => () => {
      const a = f32(q * m * k, 5000 + i);
      const b = f32(q * k * n, 5100 + i);
      return {
        inputs: [{ dtype: 'f32', shape: [q, m, k], data: a }, { dtype: 'f32', shape: [q, k, n], data: b }],
        scalars: [], expected: [bmmRef(a, b, q, m, k, n)],
      };
    }),
  },
  {
    name: 'grid: a program walks its row block by block (sequential tile loops, a scalar var)',
    source: `fn k(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for r in grid(M) {
    var s = 0.0;
    for tn in tile(N) {
      s += sum(x[r, tn]);
    }
    for tn in tile(N) {
      out[r, tn] = x[r, tn] - s / f32(N);
    }
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{}, { blocks: { tn: 16 }, workgroupSize: 32 }],
    sizes: [[1, 1], [7, 300], [70, 33]].map(([m = 1, n = 1], i) => () => {
      const x = f32(m * n, 5200 + i);
      const out: number[] = [];
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += x[r * n + c] ?? 0;
        for (let c = 0; c < n; c++) out.push((x[r * n + c] ?? 0) - s / n);
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [out] };
    }),
  },
  {
    name: 'grid: a 2-D grid, with a let before the tile loop',
    source: `fn k(x: f32[B, H, N], w: f32[H]) -> (f32[B, H, N], f32[B, H, N]) {
  let o1 = empty_like(x);
  let o2 = empty_like(x);
  for (b, h) in grid([B, H]) {
    let s = f32(b * 10 + h);
    for tn in tile(N) {
      o1[b, h, tn] = x[b, h, tn] * s + w[h];
      o2[b, h, tn] = x[b, h, tn] + f32(b * 100 + h);
    }
  }
  return (o1, o2);
}`,
    atol: 1e-5, rtol: 1e-6,
    configs: [{}, { blocks: { tn: 8 }, workgroupSize: 16 }],
    sizes: [[1, 1, 1], [3, 5, 37], [2, 9, 300]].map(([b = 1, h = 1, n = 1], i) => () => {
      const x = f32(b * h * n, 5300 + i);
      const w = f32(h, 5400 + i);
      const o1: number[] = [];
      const o2: number[] = [];
      for (let p = 0; p < b * h * n; p++) {
        const [q, r] = [Math.floor(p / (h * n)), Math.floor(p / n) % h];
        o1.push(Math.fround((x[p] ?? 0) * (q * 10 + r)) + (w[r] ?? 0));
        o2.push((x[p] ?? 0) + q * 100 + r);
      }
      return { inputs: [{ dtype: 'f32', shape: [b, h, n], data: x }, { dtype: 'f32', shape: [h], data: w }], scalars: [], expected: [o1, o2] };
    }),
  },
  {
    name: 'grid: a grid nested in a grid, with a let between them',
    source: `fn k(x: f32[B, H, N]) -> f32[B, H, N] {
  let out = empty_like(x);
  for b in grid(B) {
    let base = b * 100;
    for h in grid(H) {
      for tn in tile(N) {
        out[b, h, tn] = x[b, h, tn] + f32(base + h);
      }
    }
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-6,
    configs: [{ blocks: { tn: 16 }, workgroupSize: 16 }],
    sizes: [[1, 1, 1], [3, 5, 37]].map(([b = 1, h = 1, n = 1], i) => () => {
      const x = f32(b * h * n, 5600 + i);
      const out = Array.from(x, (v, p) => v + Math.floor(p / (h * n)) * 100 + (Math.floor(p / n) % h));
      return { inputs: [{ dtype: 'f32', shape: [b, h, n], data: x }], scalars: [], expected: [out] };
    }),
  },
  {
    // Each step's product starts from zero: its registers must not carry the last step's sums.
    name: 'grid: a product computed afresh in every step of a sequential loop (row sums of q·kᵀ)',
    source: `fn k(q: f32[B, S, 16], kk: f32[B, T, 16]) -> f32[B, S] {
  let out = empty([B, S], f32);
  for b in grid(B) {
    for tm in tile(S) {
      var l = zeros([tm], f32);
      for tn in tile(T) {
        l += sum(q[b, tm, :] @ transpose(kk[b, tn, :]), axis=1);
      }
      out[b, tm] = l;
    }
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: [{ blocks: { tm: 16, tn: 16 }, microTile: [2, 2] }, { blocks: { tm: 32, tn: 16 }, microTile: [4, 2] }],
    sizes: [[1, 1, 1], [2, 37, 45]].map(([b = 1, s = 1, t = 1], i) => () => {
      const q = f32(b * s * 16, 5700 + i);
      const kk = f32(b * t * 16, 5800 + i);
      const out: number[] = [];
      for (let g = 0; g < b; g++) {
        for (let r = 0; r < s; r++) {
          let sum = 0;
          for (let j = 0; j < t; j++) for (let c = 0; c < 16; c++) sum += (q[(g * s + r) * 16 + c] ?? 0) * (kk[(g * t + j) * 16 + c] ?? 0);
          out.push(sum);
        }
      }
      return { inputs: [{ dtype: 'f32', shape: [b, s, 16], data: q }, { dtype: 'f32', shape: [b, t, 16], data: kk }], scalars: [], expected: [out] };
    }),
  },
  {
    name: 'grid: a program over a whole row (no tile loop)',
    source: `fn k(x: f32[M, N]) -> (f32[M, N], f32[M]) {
  let out = empty_like(x);
  let top = empty([M], f32);
  for r in grid(M) {
    let row = x[r, :];
    out[r, :] = row - max(row);
    top[r] = max(row);
  }
  return (out, top);
}`,
    atol: 0, rtol: 0,
    configs: [{}, { workgroupSize: 32 }],
    sizes: [[1, 1], [5, 300], [33, 7]].map(([m = 1, n = 1], i) => () => {
      const x = f32(m * n, 5500 + i);
      const out: number[] = [];
      const top: number[] = [];
      for (let r = 0; r < m; r++) {
        const row = Array.from(x.subarray(r * n, (r + 1) * n));
        const mx = Math.max(...row);
        top.push(mx);
        for (const v of row) out.push(Math.fround(v - mx));
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [out, top] };
    }),
  },
  {
    name: 'a var tile with a whole dim of constant size: var acc = zeros([tm, 8], f32)',
    source: `fn k(x: f32[R, M, 8]) -> f32[M, 8] {
  let out = empty([M, 8], f32);
  for tm in tile(M) {
    var acc = zeros([tm, 8], f32);
    for r in range(0, R) {
      acc = acc * 0.5 + x[r, tm, :];
    }
    out[tm, :] = acc;
  }
  return out;
}`,
    atol: 1e-6, rtol: 1e-6,
    configs: [{}, { blocks: { tm: 16 }, workgroupSize: 32 }],
    sizes: [[1, 1], [5, 37], [3, 70]].map(([r = 1, m = 1], i) => () => {
      const x = f32(r * m * 8, 5900 + i);
      const out: number[] = [];
      for (let row = 0; row < m; row++) {
        for (let c = 0; c < 8; c++) {
          let acc = 0;
          for (let q = 0; q < r; q++) acc = acc * 0.5 + (x[(q * m + row) * 8 + c] ?? 0);
          out.push(acc);
        }
      }
      return { inputs: [{ dtype: 'f32', shape: [r, m, 8], data: x }], scalars: [], expected: [out] };
    }),
  },
];
