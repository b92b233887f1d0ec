/**
 * Conformance cases for scalar subscripts known only while the kernel runs (a scalar
 * parameter, a value read from a tensor, arithmetic on a range-loop variable) that fall
 * outside their dim, below 0 and past the end: a read there gives 0 and a write there is
 * skipped, on every backend. The references test each index against the dim in plain JS.
 */
import type { ConformanceCase } from './cases.ts';
import { f32, i32 } from './cases.ts';

const fr = Math.fround;
const inside = (i: number, n: number): boolean => i >= 0 && i < n;

export const INDEX_RANGE: ConformanceCase[] = [
  {
    name: 'index range: rows read and written at indices from a tensor, outside [0, M) read 0 and skip the write',
    source: `fn k(x: f32[M, N], idx: i32[R]) -> (f32[M, N], f32[R, N], f32[R, N]) {
  let out = empty_like(x);
  let got = empty([R, N], f32);
  let moved = empty([R, N], f32);
  for tn in tile(N) {
    for m in range(0, M) {
      out[m, tn] = x[m, tn];
    }
    for r in range(0, R) {
      let i = idx[r];
      got[r, tn] = x[i, tn];
      moved[r, tn] = x[2 * r - 3, tn] + 1.0;
      out[i, tn] = x[i, tn] * 2.0 + f32(r);
      out[i - 1, tn] += 0.5;
    }
  }
  return (out, got, moved);
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tn: 16 }, workgroupSize: 32 }],
    sizes: [[1, 1, 4], [7, 37, 12], [13, 70, 30]].map(([m = 1, n = 1, r = 1], s) => () => {
      const x = f32(m * n, 8000 + s);
      // From well below 0 to well past M, and the extremes of i32.
      const idx = i32(r, 8100 + s, -m - 3, 2 * m + 3);
      idx[0] = -2147483648;
      if (r > 1) idx[1] = 2147483647;
      const out = Array.from(x);
      const got: number[] = [];
      const moved: number[] = [];
      const row = (i: number): number[] => (inside(i, m) ? Array.from(x.subarray(i * n, i * n + n)) : new Array<number>(n).fill(0));
      for (let q = 0; q < r; q++) {
        const i = idx[q] ?? 0;
        got.push(...row(i));
        moved.push(...row(2 * q - 3).map((v) => fr(v + 1)));
        if (inside(i, m)) for (let c = 0; c < n; c++) out[i * n + c] = fr((x[i * n + c] ?? 0) * 2 + q);
        // The i32 sum wraps, as the kernel's does.
        const j = (i - 1) | 0;
        if (inside(j, m)) for (let c = 0; c < n; c++) out[j * n + c] = fr((out[j * n + c] ?? 0) + 0.5);
      }
      return {
        inputs: [{ dtype: 'f32', shape: [m, n], data: x }, { dtype: 'i32', shape: [r], data: idx }],
        scalars: [], expected: [out, got, moved],
      };
    }),
  },
  {
    name: 'index range: scalar parameters as indices, x[i] and y[j, :] read 0 and hit[i] = … is skipped outside',
    source: `fn k(x: f32[N], y: f32[M, D], i: i32, j: i32) -> (f32[M, D], f32[N]) {
  let out = empty_like(y);
  let hit = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = y[tm, :] + x[i] + y[j, :];
    hit[i] = 3.0;
  }
  return (out, hit);
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tm: 4 }, workgroupSize: 32 }],
    // [N, M, D, i, j]: below 0, past the end, at the ends, in range.
    sizes: [[5, 3, 7, -1, 3], [5, 3, 7, 5, -4], [9, 20, 33, 8, 19], [9, 20, 33, 0, 0], [4, 11, 5, -2147483648, 2147483647], [6, 9, 17, 2, 4]].map(([n = 1, m = 1, d = 1, i = 0, j = 0], s) => () => {
      const x = f32(n, 8200 + s);
      const y = f32(m * d, 8300 + s);
      const xi = inside(i, n) ? x[i] ?? 0 : 0;
      const out = Array.from(y, (v, p) => fr(fr(v + xi) + (inside(j, m) ? y[j * d + (p % d)] ?? 0 : 0)));
      const hit = Array.from({ length: n }, (_, p) => (p === i ? 3 : 0));
      return {
        inputs: [{ dtype: 'f32', shape: [n], data: x }, { dtype: 'f32', shape: [m, d], data: y }],
        scalars: [i, j], expected: [out, hit],
      };
    }),
  },
  {
    name: 'index range: a @ operand picked by a scalar parameter, a[i, tm, tk], is 0 outside [0, B)',
    source: `fn k(a: f32[B, M, K], b: f32[K, N], i: i32) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[i, tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = acc;
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{}, { blocks: { tm: 16, tn: 16, tk: 8 } }],
    // [B, M, K, N, i]
    sizes: [[2, 5, 7, 3, 1], [3, 19, 21, 33, 3], [3, 19, 21, 33, -1], [2, 37, 9, 18, 0]].map(([bs = 1, m = 1, k = 1, n = 1, i = 0], s) => () => {
      const a = f32(bs * m * k, 8400 + s);
      const b = f32(k * n, 8500 + s);
      const out = Array.from({ length: m * n }, (_, p) => {
        if (!inside(i, bs)) return 0;
        const [r, c] = [Math.floor(p / n), p % n];
        let acc = 0;
        for (let q = 0; q < k; q++) acc += (a[(i * m + r) * k + q] ?? 0) * (b[q * n + c] ?? 0);
        return acc;
      });
      return {
        inputs: [{ dtype: 'f32', shape: [bs, m, k], data: a }, { dtype: 'f32', shape: [k, n], data: b }],
        scalars: [i], expected: [out],
      };
    }),
  },
];
