/**
 * Conformance cases for gathers (integer tiles as indices): rows of a table picked by
 * ids (i32 and u32, out-of-range ids clamped, an empty table reading 0), one element per
 * row picked by a label (the index shares the row axis), a 2-D index tile, an index
 * computed in the kernel (argmax, hoisted before the read), and gathers in a grid loop.
 */
import type { ConformanceCase } from './cases.ts';
import { f32, i32 } from './cases.ts';

const clampTo = (i: number, n: number): number => Math.min(Math.max(i, 0), n - 1);

export const GATHER: ConformanceCase[] = [
  {
    name: 'gather: embedding rows table[ids[tt], :], ids clamped into the table',
    source: `fn k(table: f32[V, D], ids: i32[T], uids: u32[T]) -> (f32[T, D], f32[T, D]) {
  let out = empty([T, D], f32);
  let uout = empty([T, D], f32);
  for tt in tile(T) {
    out[tt, :] = table[ids[tt], :];
    uout[tt, :] = table[uids[tt], :] * 2.0;
  }
  return (out, uout);
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tt: 16 }, workgroupSize: 64 }],
    // [0, 5, 9]: an empty table (every gather reads 0).
    sizes: [[1, 1, 1], [11, 37, 70], [300, 8, 33], [0, 5, 9]].map(([v = 1, d = 1, t = 1], i) => () => {
      const table = f32(v * d, 7000 + i);
      // Ids run past both ends of the table: -3 … V+2; u32 ids past the end, up to 2³²-1.
      const ids = i32(t, 7100 + i, -3, v + 3);
      const uids = Uint32Array.from(i32(t, 7200 + i, 0, v + 3), (x, j) => (j % 5 === 4 ? 4294967295 : x));
      const row = (r: number): number[] => (v === 0 ? new Array<number>(d).fill(0) : Array.from(table.subarray(clampTo(r, v) * d, clampTo(r, v) * d + d)));
      const out = Array.from(ids).flatMap(row);
      const uout = Array.from(uids).flatMap((r) => row(r).map((x) => x * 2));
      return {
        inputs: [{ dtype: 'f32', shape: [v, d], data: table }, { dtype: 'i32', shape: [t], data: ids }, { dtype: 'u32', shape: [t], data: uids }],
        scalars: [], expected: [out, uout],
      };
    }),
  },
  {
    name: 'gather: logits[tm, labels[tm]] shares the row axis; a 2-D index tile',
    source: `fn k(logits: f32[M, N], labels: i32[M], idx: i32[M, C]) -> (f32[M], f32[M, C]) {
  let picked = empty([M], f32);
  let cols = empty([M, C], f32);
  for tm in tile(M) {
    picked[tm] = logits[tm, labels[tm]];
    for tc in tile(C) {
      cols[tm, tc] = logits[tm, idx[tm, tc]] - logits[0, 0];
    }
  }
  return (picked, cols);
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tm: 4, tc: 8 }, workgroupSize: 32 }],
    sizes: [[1, 1, 1], [33, 20, 5], [70, 300, 17]].map(([m = 1, n = 1, c = 1], i) => () => {
      const logits = f32(m * n, 7300 + i);
      const labels = i32(m, 7400 + i, -2, n + 2);
      const idx = i32(m * c, 7500 + i, 0, n);
      const picked = Array.from(labels, (l, r) => logits[r * n + clampTo(l, n)] ?? 0);
      const cols = Array.from(idx, (x, p) => {
        const r = Math.floor(p / c);
        return Math.fround((logits[r * n + x] ?? 0) - (logits[0] ?? 0));
      });
      return {
        inputs: [{ dtype: 'f32', shape: [m, n], data: logits }, { dtype: 'i32', shape: [m], data: labels }, { dtype: 'i32', shape: [m, c], data: idx }],
        scalars: [], expected: [picked, cols],
      };
    }),
  },
  {
    name: 'gather: an index computed in the kernel (the argmax of each row picks a row of w)',
    source: `fn k(x: f32[M, N], w: f32[N, D]) -> f32[M, D] {
  let out = empty([M, D], f32);
  for tm in tile(M) {
    out[tm, :] = w[argmax(x[tm, :], axis=1), :] + 1.0;
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tm: 4 }, workgroupSize: 32 }],
    sizes: [[1, 1, 1], [13, 300, 7], [40, 9, 33]].map(([m = 1, n = 1, d = 1], i) => () => {
      const x = f32(m * n, 7600 + i);
      const w = f32(n * d, 7700 + i);
      const out: number[] = [];
      for (let r = 0; r < m; r++) {
        let at = 0;
        for (let c = 1; c < n; c++) if ((x[r * n + c] ?? 0) > (x[r * n + at] ?? 0)) at = c;
        for (let j = 0; j < d; j++) out.push(Math.fround((w[at * d + j] ?? 0) + 1));
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }, { dtype: 'f32', shape: [n, d], data: w }], scalars: [], expected: [out] };
    }),
  },
  {
    name: 'gather: per-batch embeddings in a grid loop (table[ids[b, tt], :])',
    source: `fn k(table: f32[V, D], ids: i32[B, T], pos: f32[T, D]) -> f32[B, T, D] {
  let out = empty([B, T, D], f32);
  for b in grid(B) {
    for tt in tile(T) {
      out[b, tt, :] = table[ids[b, tt], :] + pos[tt, :];
    }
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{}, { blocks: { tt: 8 }, workgroupSize: 32 }],
    sizes: [[1, 1, 1, 1], [5, 16, 3, 21], [50, 7, 2, 40]].map(([v = 1, d = 1, b = 1, t = 1], i) => () => {
      const table = f32(v * d, 7800 + i);
      const ids = i32(b * t, 7900 + i, 0, v);
      const pos = f32(t * d, 8000 + i);
      const out: number[] = [];
      for (let q = 0; q < b; q++) {
        for (let r = 0; r < t; r++) {
          const id = ids[q * t + r] ?? 0;
          for (let j = 0; j < d; j++) out.push(Math.fround((table[id * d + j] ?? 0) + (pos[r * d + j] ?? 0)));
        }
      }
      return {
        inputs: [{ dtype: 'f32', shape: [v, d], data: table }, { dtype: 'i32', shape: [b, t], data: ids }, { dtype: 'f32', shape: [t, d], data: pos }],
        scalars: [], expected: [out],
      };
    }),
  },
];
