/**
 * Conformance cases for bounded slices (`x[tm, a:b]`, `out[tm, A:A + B] = …`: a part of a
 * dim as a whole axis; positions past the dim read 0 and are skipped by stores) and
 * scatters (stores and atomic_add through an index tile, `out[ids[tt], :] = …`:
 * out-of-range indices are skipped; atomic_add adds repeated indices up).
 */
import type { ConformanceCase } from './cases.ts';
import { f32, i32 } from './cases.ts';

const fr = Math.fround;

export const SLICES: ConformanceCase[] = [
  {
    name: 'slices: cat as out[tm, 0:A] = a[tm, :], out[tm, A:A + B] = b[tm, 0:B]',
    source: `fn k(a: f32[M, A], b: f32[M, B]) -> f32[M, A + B] {
  let out = empty([M, A + B], f32);
  for tm in tile(M) {
    out[tm, 0:A] = a[tm, :];
    out[tm, A:A + B] = b[tm, 0:B] * 2.0;
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 4 }, workgroupSize: 32 }, { blocks: { tm: 16 }, workgroupSize: 64 }],
    sizes: [[1, 1, 1], [13, 5, 7], [37, 20, 3]].map(([m = 1, na = 1, nb = 1], i) => () => {
      const a = f32(m * na, 9000 + i);
      const b = f32(m * nb, 9010 + i);
      const out: number[] = [];
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < na; c++) out.push(a[r * na + c] ?? 0);
        for (let c = 0; c < nb; c++) out.push(fr((b[r * nb + c] ?? 0) * 2));
      }
      return { inputs: [{ dtype: 'f32', shape: [m, na], data: a }, { dtype: 'f32', shape: [m, nb], data: b }], scalars: [], expected: [out] };
    }),
  },
  {
    name: 'slices: numpy diff x[tm, 1:N] - x[tm, 0:N - 1]; a window x[tm, 2:6] + w[1:5] reads 0 past the dim',
    source: `fn k(x: f32[M, N], w: f32[K]) -> (f32[M, N - 1], f32[M, 4]) {
  let diff = empty([M, N - 1], f32);
  let win = empty([M, 4], f32);
  for tm in tile(M) {
    diff[tm, :] = x[tm, 1:N] - x[tm, 0:N - 1];
    win[tm, :] = x[tm, 2:6] + w[1:5];
  }
  return (diff, win);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 4 }, workgroupSize: 32 }, { blocks: { tm: 16 }, workgroupSize: 64 }],
    // N = 4 and K = 3: the windows run past x's and w's ends.
    sizes: [[1, 2, 1], [13, 37, 9], [7, 4, 3]].map(([m = 1, n = 2, k = 1], i) => () => {
      const x = f32(m * n, 9100 + i);
      const w = f32(k, 9110 + i);
      const at = (r: number, c: number): number => (c < n ? x[r * n + c] ?? 0 : 0);
      const diff: number[] = [];
      const win: number[] = [];
      for (let r = 0; r < m; r++) {
        for (let c = 0; c + 1 < n; c++) diff.push(fr(at(r, c + 1) - at(r, c)));
        for (let c = 0; c < 4; c++) win.push(fr(at(r, c + 2) + (c + 1 < k ? w[c + 1] ?? 0 : 0)));
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }, { dtype: 'f32', shape: [k], data: w }], scalars: [], expected: [diff, win] };
    }),
  },
  {
    name: 'slices: compound out[tm, 0:D] += x[tm, D:2 * D] (past the end of x reads 0), a gather table[ids[tm], 1:D]',
    source: `fn k(x: f32[M, E], table: f32[V, D], ids: i32[M]) -> (f32[M, D], f32[M, D - 1]) {
  let out = empty([M, D], f32);
  let g = empty([M, D - 1], f32);
  for tm in tile(M) {
    out[tm, :] = x[tm, 0:D];
    out[tm, 0:D] += x[tm, D:2 * D];
    g[tm, :] = table[ids[tm], 1:D];
  }
  return (out, g);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 4 }, workgroupSize: 32 }, { blocks: { tm: 16 }, workgroupSize: 64 }],
    // E = 2D - 1 in the last: the last column of x[tm, D:2 * D] is past x's end.
    sizes: [[1, 2, 1, 4], [13, 9, 5, 18], [37, 3, 40, 5]].map(([m = 1, d = 2, v = 1, e = 4], i) => () => {
      const x = f32(m * e, 9200 + i);
      const at = (r: number, c: number): number => (c < e ? x[r * e + c] ?? 0 : 0);
      const table = f32(v * d, 9210 + i);
      const ids = i32(m, 9220 + i, 0, v);
      const out: number[] = [];
      for (let r = 0; r < m; r++) for (let c = 0; c < d; c++) out.push(fr(at(r, c) + at(r, d + c)));
      const g = Array.from(ids).flatMap((r) => Array.from(table.subarray(r * d + 1, r * d + d)));
      return {
        inputs: [{ dtype: 'f32', shape: [m, e], data: x }, { dtype: 'f32', shape: [v, d], data: table }, { dtype: 'i32', shape: [m], data: ids }],
        scalars: [], expected: [out, g],
      };
    }),
  },
  {
    name: 'slices: beside a moved index and a scalar, out[tm + 1, 1:N] = x[tm, 0:N - 1], first[0:3] = x[0, 0:3]',
    source: `fn k(x: f32[M, N]) -> (f32[M, N], f32[3]) {
  let out = zeros_like(x);
  let first = zeros([3], f32);
  for tm in tile(M) {
    out[tm + 1, 1:N] = x[tm, 0:N - 1];
    first[0:3] = x[0, 0:3] * 3.0;
  }
  return (out, first);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 4 }, workgroupSize: 32 }, { blocks: { tm: 16 }, workgroupSize: 64 }],
    // N = 2: x[0, 0:3] runs past the row (reads 0).
    sizes: [[1, 2], [13, 37], [37, 5]].map(([m = 1, n = 2], i) => () => {
      const x = f32(m * n, 9250 + i);
      const out = new Array<number>(m * n).fill(0);
      for (let r = 0; r + 1 < m; r++) for (let c = 1; c < n; c++) out[(r + 1) * n + c] = x[r * n + c - 1] ?? 0;
      const first = [0, 1, 2].map((c) => (c < n ? fr((x[c] ?? 0) * 3) : 0));
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [out, first] };
    }),
  },
];

export const SCATTER: ConformanceCase[] = [
  {
    name: 'scatter: out[perm[tt], :] = x[tt, :] (i32 and u32 indices), out-of-range indices skipped',
    source: `fn k(x: f32[T, D], perm: i32[T], uperm: u32[T]) -> (f32[T, D], f32[T, D]) {
  let out = zeros([T, D], f32);
  let uout = zeros([T, D], f32);
  for tt in tile(T) {
    out[perm[tt], :] = x[tt, :];
    uout[uperm[tt], :] = x[tt, :] + 1.0;
  }
  return (out, uout);
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tt: 8 }, workgroupSize: 32 }],
    sizes: [[1, 1], [37, 5], [70, 19]].map(([t = 1, d = 1], i) => () => {
      const x = f32(t * d, 9300 + i);
      // A permutation, with every 7th index moved out of range (-1, T): those rows stay 0.
      const order = Array.from({ length: t }, (_, j) => j);
      const r = f32(t, 9310 + i);
      order.sort((a, b) => (r[a] ?? 0) - (r[b] ?? 0));
      const perm = Int32Array.from(order, (p, j) => (j % 7 === 6 ? (j % 2 === 0 ? -1 : t) : p));
      const uperm = Uint32Array.from(order, (p, j) => (j % 7 === 5 ? 4294967295 : p));
      const out = new Array<number>(t * d).fill(0);
      const uout = new Array<number>(t * d).fill(0);
      for (let j = 0; j < t; j++) {
        const p = perm[j] ?? -1;
        const q = uperm[j] ?? 0;
        for (let c = 0; c < d; c++) {
          if (p >= 0 && p < t) out[p * d + c] = x[j * d + c] ?? 0;
          if (q < t) uout[q * d + c] = fr((x[j * d + c] ?? 0) + 1);
        }
      }
      return {
        inputs: [{ dtype: 'f32', shape: [t, d], data: x }, { dtype: 'i32', shape: [t], data: perm }, { dtype: 'u32', shape: [t], data: uperm }],
        scalars: [], expected: [out, uout],
      };
    }),
  },
  {
    name: 'scatter: a one-hot out[tm, labels[tm]] = 1 (the index shares the row axis)',
    source: `fn k(labels: i32[M], x: f32[M, N]) -> f32[M, N] {
  let out = zeros_like(x);
  for tm in tile(M) {
    out[tm, labels[tm]] = x[tm, 0] + 1.0;
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tm: 8 }, workgroupSize: 32 }],
    sizes: [[1, 1], [37, 5], [70, 19]].map(([m = 1, n = 1], i) => () => {
      const labels = i32(m, 9400 + i, -1, n + 1);
      const x = f32(m * n, 9410 + i);
      const out = new Array<number>(m * n).fill(0);
      for (let r = 0; r < m; r++) {
        const l = labels[r] ?? -1;
        if (l >= 0 && l < n) out[r * n + l] = fr((x[r * n] ?? 0) + 1);
      }
      return { inputs: [{ dtype: 'i32', shape: [m], data: labels }, { dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [out] };
    }),
  },
  {
    name: 'scatter: atomic_add histogram hist[bins[tn]] += 1 (i32), repeated bins add up',
    source: `fn k(bins: i32[N], h: i32[B]) -> i32[B] {
  let hist = zeros_like(h);
  for tn in tile(N) {
    atomic_add(hist[bins[tn]], 1);
  }
  return hist;
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tn: 16 }, workgroupSize: 32 }],
    sizes: [[1, 1], [70, 5], [300, 21]].map(([n = 1, b = 1], i) => () => {
      // Bins repeat, and run one past each end (skipped).
      const bins = i32(n, 9500 + i, -1, b + 1);
      const hist = new Array<number>(b).fill(0);
      for (const x of bins) if (x >= 0 && x < b) hist[x] = (hist[x] ?? 0) + 1;
      return { inputs: [{ dtype: 'i32', shape: [n], data: bins }, { dtype: 'i32', shape: [b], data: new Int32Array(b) }], scalars: [], expected: [hist] };
    }),
  },
  {
    name: 'scatter: embedding backward atomic_add(grad[ids[tt], :], dy[tt, :]) (f32), repeated ids add up',
    source: `fn k(ids: i32[T], dy: f32[T, D], table: f32[V, D]) -> f32[V, D] {
  let grad = zeros_like(table);
  for tt in tile(T) {
    atomic_add(grad[ids[tt], :], dy[tt, :]);
  }
  return grad;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{}, { blocks: { tt: 8 }, workgroupSize: 32 }],
    sizes: [[1, 1, 1], [37, 3, 9], [40, 6, 7]].map(([t = 1, d = 1, v = 1], i) => () => {
      // Ids repeat, and run one past each end (skipped).
      const ids = i32(t, 9510 + i, -1, v + 1);
      const dy = f32(t * d, 9520 + i);
      const grad = new Array<number>(v * d).fill(0);
      for (let j = 0; j < t; j++) {
        const r = ids[j] ?? -1;
        if (r >= 0 && r < v) for (let c = 0; c < d; c++) grad[r * d + c] = (grad[r * d + c] ?? 0) + (dy[j * d + c] ?? 0);
      }
      return {
        inputs: [{ dtype: 'i32', shape: [t], data: ids }, { dtype: 'f32', shape: [t, d], data: dy }, { dtype: 'f32', shape: [v, d], data: f32(v * d, 9530 + i) }],
        scalars: [], expected: [grad],
      };
    }),
  },
  {
    name: 'scatter: a 2-D index tile sharing a tile variable, atomic_add(out[rows[tm, tn], tn], x[tm, tn])',
    source: `fn k(rows: i32[M, N], x: f32[M, N], o: f32[R, N]) -> f32[R, N] {
  let out = zeros_like(o);
  for (tm, tn) in tile([M, N]) {
    atomic_add(out[rows[tm, tn], tn], x[tm, tn]);
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{ blocks: { tm: 4, tn: 8 }, workgroupSize: 32 }, { blocks: { tm: 16, tn: 16 }, workgroupSize: 64 }],
    sizes: [[1, 1, 1], [37, 13, 5], [20, 33, 3]].map(([m = 1, n = 1, r = 1], i) => () => {
      const rows = i32(m * n, 9600 + i, -1, r + 1);
      const x = f32(m * n, 9610 + i);
      const out = new Array<number>(r * n).fill(0);
      for (let a = 0; a < m; a++) {
        for (let c = 0; c < n; c++) {
          const p = rows[a * n + c] ?? -1;
          if (p >= 0 && p < r) out[p * n + c] = (out[p * n + c] ?? 0) + (x[a * n + c] ?? 0);
        }
      }
      return {
        inputs: [{ dtype: 'i32', shape: [m, n], data: rows }, { dtype: 'f32', shape: [m, n], data: x }, { dtype: 'f32', shape: [r, n], data: new Float32Array(r * n) }],
        scalars: [], expected: [out],
      };
    }),
  },
];
