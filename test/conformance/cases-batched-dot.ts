/**
 * Conformance cases for a batched `@` over 3-D tiles ([tb, tm, tk] @ [tb, tk, tn]): a
 * matmul accumulated over a k loop, attention scores q @ transpose(k) per head over a
 * whole head dim, and a transposed left operand with a rescaled accumulator and an
 * operand held in a var — at batch, M, N and K sizes that are not multiples of any block.
 */
import type { ConformanceCase } from './cases.ts';
import { f32 } from './cases.ts';

/** C[q] = A(q)·B(q) in f64, where `at(q, i, p)` / `bt(q, p, j)` read the inputs. */
function batchedProduct(
  batch: number, m: number, k: number, n: number,
  at: (q: number, i: number, p: number) => number, bt: (q: number, p: number, j: number) => number,
): number[] {
  const out: number[] = [];
  for (let q = 0; q < batch; q++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += at(q, i, p) * bt(q, p, j);
        out.push(s);
      }
    }
  }
  return out;
}

/** [B, M, K, N]: ones, ragged against every block the configs use, a larger batch. */
const SIZES = [[1, 1, 1, 1], [3, 17, 23, 10], [5, 33, 9, 40]] as const;

export const BATCHED_DOT: ConformanceCase[] = [
  {
    name: 'batched @: [tb, tm, tk] @ [tb, tk, tn] accumulated over a k loop',
    source: `fn k(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {
  let out = empty([B, M, N], f32);
  for (tb, tm, tn) in tile([B, M, N]) {
    var acc = zeros([tb, tm, tn], f32);
    for tk in tile(K) {
      acc += a[tb, tm, tk] @ b[tb, tk, tn];
    }
    out[tb, tm, tn] = acc;
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: [
      {},
      { blocks: { tb: 2, tm: 16, tn: 16, tk: 8 }, microTile: [2, 2] },
      { blocks: { tb: 4, tm: 8, tn: 32, tk: 4 }, microTile: [2, 4], unroll: 2 },
    ],
    sizes: SIZES.map(([q, m, k, n], i) => () => {
      const a = f32(q * m * k, 7000 + i);
      const b = f32(q * k * n, 7100 + i);
      return {
        inputs: [{ dtype: 'f32', shape: [q, m, k], data: a }, { dtype: 'f32', shape: [q, k, n], data: b }],
        scalars: [],
        expected: [batchedProduct(q, m, k, n, (x, r, p) => a[(x * m + r) * k + p] ?? 0, (x, p, c) => b[(x * k + p) * n + c] ?? 0)],
      };
    }),
  },
  {
    name: 'batched @: attention scores q @ transpose(k) per head, over a whole head dim',
    source: `fn k(q: f32[H, M, D], kt: f32[H, N, D]) -> f32[H, M, N] {
  let out = empty([H, M, N], f32);
  for (th, tm, tn) in tile([H, M, N]) {
    out[th, tm, tn] = q[th, tm, :] @ transpose(kt[th, tn, :]) * 0.5;
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: [{}, { blocks: { th: 2, tm: 16, tn: 8 }, microTile: [2, 2], kChunk: 4 }],
    sizes: SIZES.map(([h, m, d, n], i) => () => {
      const q = f32(h * m * d, 7200 + i);
      const kt = f32(h * n * d, 7300 + i);
      const s = batchedProduct(h, m, d, n, (x, r, p) => q[(x * m + r) * d + p] ?? 0, (x, p, c) => kt[(x * n + c) * d + p] ?? 0);
      return {
        inputs: [{ dtype: 'f32', shape: [h, m, d], data: q }, { dtype: 'f32', shape: [h, n, d], data: kt }],
        scalars: [], expected: [s.map((v) => v * 0.5)],
      };
    }),
  },
  {
    name: 'batched @: transpose(a) on the left, a rescaled accumulator, an operand held in a var',
    // acc = acc * 0.5 + …: each k block's partial product is halved by every later block,
    // so the block of tk is fixed in the source and the reference follows it.
    source: `fn k(a: f32[B, K, M], b: f32[B, K, N], s: f32[K]) -> f32[B, M, N] {
  let out = empty([B, M, N], f32);
  for (tb, tm, tn) in tile([B, M, N]) {
    var acc = zeros([tb, tm, tn], f32);
    for tk in tile(K, block=8) {
      var w = b[tb, tk, tn] * 2.0;
      acc = acc * 0.5 + transpose(a[tb, tk, tm]) @ (w - s[tk][:, None]);
    }
    out[tb, tm, tn] = acc + 1.0;
  }
  return out;
}`,
    atol: 1e-4, rtol: 1e-4,
    configs: [{}, { blocks: { tb: 2, tm: 16, tn: 16 }, microTile: [2, 2] }],
    sizes: SIZES.map(([q, m, k, n], i) => () => {
      const a = f32(q * k * m, 7400 + i);
      const b = f32(q * k * n, 7500 + i);
      const s = f32(k, 7600 + i);
      const blocks = Math.ceil(k / 8);
      // Element p of block t is scaled by 0.5 for each of the blocks - 1 - t after it.
      const weight = (p: number): number => 0.5 ** (blocks - 1 - Math.floor(p / 8));
      const at = (x: number, r: number, p: number): number => (a[(x * k + p) * m + r] ?? 0) * weight(p);
      const bt = (x: number, p: number, c: number): number => Math.fround(Math.fround((b[(x * k + p) * n + c] ?? 0) * 2) - (s[p] ?? 0));
      return {
        inputs: [{ dtype: 'f32', shape: [q, k, m], data: a }, { dtype: 'f32', shape: [q, k, n], data: b }, { dtype: 'f32', shape: [k], data: s }],
        scalars: [], expected: [batchedProduct(q, m, k, n, at, bt).map((v) => v + 1)],
      };
    }),
  },
];
