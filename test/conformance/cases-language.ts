/**
 * Conformance cases for the idioms Triton and Helion users write first: positions of a
 * tile (`tn.index`, `tn.begin`, `tn.end`) in arithmetic, comparisons, `where` and `if`;
 * unit-axis views (`m[:, None]`, unsqueeze, squeeze, reshape) so per-row [tm] statistics
 * broadcast against [tm, tn]; `[tm, 1]` columns stored into `out[tm]`; Welford with counts
 * from positions; a Helion-style online softmax; causal attention that skips key blocks
 * above the diagonal. Every case has a plain-JS reference, at ragged sizes.
 */
import type { ConformanceCase, Sized } from './cases.ts';
import { f32 } from './cases.ts';
import { causalAttentionKernel, causalAttentionReference } from '../../examples/causal-attention.ts';

/** A kernel's source with its number holes written in (conformance cases are plain text). */
function withHoles(k: { readonly def: { readonly source: { readonly text: string }; readonly holes: readonly unknown[] } }): string {
  return k.def.source.text.replace(/\$\{(\d+)\}/g, (_, i: string) => String(k.def.holes[Number(i)]));
}

function shapes<T extends readonly number[]>(list: readonly T[], make: (s: T, i: number) => Sized): (() => Sized)[] {
  return list.map((s, i) => () => make(s, i));
}

/** Row softmax in f64, the reference for the online softmax. */
function softmaxRows(x: Float32Array, m: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < m; r++) {
    let hi = -Infinity;
    for (let c = 0; c < n; c++) hi = Math.max(hi, x[r * n + c] ?? 0);
    let s = 0;
    for (let c = 0; c < n; c++) s += Math.exp((x[r * n + c] ?? 0) - hi);
    for (let c = 0; c < n; c++) out.push(Math.exp((x[r * n + c] ?? 0) - hi) / s);
  }
  return out;
}

export const LANGUAGE: ConformanceCase[] = [
  {
    name: 'positions: tn.index in arithmetic, comparisons and where; tn.begin and tn.end',
    source: `fn k(x: f32[M, N]) -> (f32[M, N], i32[M, N], i32[M, N], i32[1]) {
  let lower = empty_like(x);
  let pos = empty([M, N], i32);
  let inside = empty([M, N], i32);
  let count = zeros([1], i32);
  for (tm, tn) in tile([M, N]) {
    lower[tm, tn] = where(tm.index[:, None] >= tn.index[None, :], x[tm, tn], 0.0);
    pos[tm, tn] = tm.index[:, None] * 1000 + tn.index + 1;
    inside[tm, tn] = i32(tn.index >= tn.begin && tn.index < tn.end) + i32(tm.index < tm.end)[:, None];
    if tm.begin == 0 {
      atomic_add(count[0], tn.end - tn.begin);
    }
  }
  return (lower, pos, inside, count);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 4, tn: 32 }, workgroupSize: 32 }],
    sizes: [[1, 1], [13, 37], [40, 9]].map(([m = 1, n = 1], i) => () => {
      const x = f32(m * n, 7000 + i);
      const lower: number[] = [];
      const pos: number[] = [];
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < n; c++) {
          lower.push(r >= c ? x[r * n + c] ?? 0 : 0);
          pos.push(r * 1000 + c + 1);
        }
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [lower, pos, lower.map(() => 2), [n]] };
    }),
  },
  {
    name: 'views: m[:, None], unsqueeze, squeeze, reshape; a [tm, 1] column stored into out[tm]',
    source: `fn k(x: f32[M, N], b: f32[N]) -> (f32[M, N], f32[M], f32[M], f32[M, N]) {
  let centered = empty_like(x);
  let hi = empty([M], f32);
  let lo = empty([M], f32);
  let scaled = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let mu = mean(row, axis=1);
    centered[tm, :] = row - mu[:, None] + b[None, :];
    hi[tm] = max(row, axis=1, keepdim=true);
    lo[tm] = squeeze(min(row, axis=1, keepdim=true), axis=1) + squeeze(reshape(mu, [tm, 1]) - unsqueeze(mu, 1));
    scaled[tm, :] = row * reshape(sum(row, axis=1), [tm, 1]);
  }
  return (centered, hi, lo, scaled);
}`,
    atol: 2e-5, rtol: 2e-5,
    configs: [{ blocks: { tm: 4 }, workgroupSize: 32 }, { blocks: { tm: 16 }, workgroupSize: 64 }],
    sizes: shapes([[1, 1], [19, 37], [6, 70]] as const, ([m, n], i) => {
      const x = f32(m * n, 7100 + i);
      const b = f32(n, 7150 + i);
      const centered: number[] = [];
      const hi: number[] = [];
      const lo: number[] = [];
      const scaled: number[] = [];
      for (let r = 0; r < m; r++) {
        const row = Array.from(x.subarray(r * n, (r + 1) * n));
        const mu = row.reduce((a, v) => a + v, 0) / n;
        const total = row.reduce((a, v) => a + v, 0);
        row.forEach((v, c) => centered.push(v - mu + (b[c] ?? 0)));
        hi.push(Math.max(...row));
        lo.push(Math.min(...row));
        row.forEach((v) => scaled.push(v * total));
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }, { dtype: 'f32', shape: [n], data: b }], scalars: [], expected: [centered, hi, lo, scaled] };
    }),
  },
  {
    name: 'Welford: per-row mean and variance block by block, counts from tn.begin/tn.end, masks from tn.index',
    source: `fn welford(x: f32[M, N]) -> (f32[M], f32[M]) {
  let mean_out = empty([M], f32);
  let var_out = empty([M], f32);
  for tm in tile(M) {
    var mean = zeros([tm], f32);
    var m2 = zeros([tm], f32);
    var count = 0.0;
    for tn in tile(N) {
      let chunk = x[tm, tn];
      let n = f32(tn.end - tn.begin);
      let valid = tn.index[None, :] < N;
      let cmean = sum(where(valid, chunk, 0.0), axis=1) / n;
      let d = where(valid, chunk - cmean[:, None], 0.0);
      let cm2 = sum(d * d, axis=1);
      let total = count + n;
      let delta = cmean - mean;
      mean = mean + delta * (n / total);
      m2 = m2 + cm2 + delta * delta * (count * n / total);
      count = total;
    }
    mean_out[tm] = mean;
    var_out[tm] = m2 / count;
  }
  return (mean_out, var_out);
}`,
    atol: 2e-5, rtol: 1e-4,
    configs: [{ blocks: { tm: 4, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 8, tn: 64 }, workgroupSize: 128 }],
    sizes: shapes([[1, 1], [21, 45], [9, 130]] as const, ([m, n], i) => {
      const x = f32(m * n, 7200 + i, -2, 3);
      const means: number[] = [];
      const vars: number[] = [];
      for (let r = 0; r < m; r++) {
        const row = Array.from(x.subarray(r * n, (r + 1) * n));
        const mu = row.reduce((a, v) => a + v, 0) / n;
        means.push(mu);
        vars.push(row.reduce((a, v) => a + (v - mu) * (v - mu), 0) / n);
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [means, vars] };
    }),
  },
  {
    name: "online softmax written Helion's way: a 1-D running max [tm] from -inf, broadcast with mi[:, None]",
    source: `fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    var mi = full([tm], -inf);
    var di = zeros([tm], f32);
    for tn in tile(N) {
      let values = x[tm, tn];
      let local_amax = max(values, axis=1);
      let mi_next = max(mi, local_amax);
      di = di * exp(mi - mi_next) + sum(exp(values - mi_next[:, None]), axis=1);
      mi = mi_next;
    }
    for tn in tile(N) {
      out[tm, tn] = exp(x[tm, tn] - mi[:, None]) / di[:, None];
    }
  }
  return out;
}`,
    atol: 1e-6, rtol: 2e-5,
    configs: [{ blocks: { tm: 4, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 2, tn: 128 }, workgroupSize: 128 }],
    sizes: shapes([[1, 1], [11, 50], [5, 300]] as const, ([m, n], i) => {
      const x = f32(m * n, 7300 + i, -4, 4);
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [softmaxRows(x, m, n)] };
    }),
  },
  {
    name: 'causal attention: key blocks above the diagonal skipped with if tn.begin < tm.end, the diagonal masked with positions',
    source: withHoles(causalAttentionKernel(16)),
    atol: 2e-5, rtol: 2e-4,
    // One config (its shader takes seconds to compile on a CPU adapter), with blocks of
    // different sizes along queries and keys, so the diagonal cuts key blocks unevenly.
    configs: [{ blocks: { tm: 16, tn: 8 }, microTile: [4, 2], workgroupSize: 16 }],
    timeoutMs: 240_000,
    sizes: shapes([[1, 1], [2, 45], [3, 70]] as const, ([bh, s], i) => {
      const d = 16;
      const q = f32(bh * s * d, 7400 + i);
      const k = f32(bh * s * d, 7410 + i);
      const v = f32(bh * s * d, 7420 + i);
      const scale = 1 / Math.sqrt(d);
      const shape = [bh, s, d];
      return {
        inputs: [{ dtype: 'f32', shape, data: q }, { dtype: 'f32', shape, data: k }, { dtype: 'f32', shape, data: v }],
        scalars: [scale],
        expected: [causalAttentionReference(q, k, v, bh, s, s, d, scale)],
      };
    }),
  },
  {
    name: 'one attention kernel for head dims 32, 64 and 80: zeros([tm, D]) with a symbolic D',
    source: `fn attention(q: f32[BH, S, D], k: f32[BH, T, D], v: f32[BH, T, D], scale: f32) -> f32[BH, S, D] {
  let out = empty([BH, S, D], f32);
  for bh in grid(BH) {
    for tm in tile(S) {
      let qb = q[bh, tm, :];
      var m = full([tm], -1.0e30);
      var l = zeros([tm], f32);
      var acc = zeros([tm, D], f32);
      for tn in tile(T) {
        let s = (qb @ transpose(k[bh, tn, :])) * scale;
        let m_new = max(m, max(s, axis=1));
        let p = exp(s - m_new[:, None]);
        let alpha = exp(m - m_new);
        l = l * alpha + sum(p, axis=1);
        acc = acc * alpha[:, None] + p @ v[bh, tn, :];
        m = m_new;
      }
      out[bh, tm, :] = acc / l[:, None];
    }
  }
  return out;
}`,
    atol: 2e-5, rtol: 2e-4,
    configs: [{ blocks: { tm: 16, tn: 8 }, microTile: [4, 2], workgroupSize: 16 }],
    timeoutMs: 400_000,
    sizes: shapes([[2, 37, 29, 32], [1, 21, 40, 64], [2, 19, 23, 80]] as const, ([bh, s, t, d], i) => {
      const q = f32(bh * s * d, 7500 + i);
      const k = f32(bh * t * d, 7510 + i);
      const v = f32(bh * t * d, 7520 + i);
      const scale = 1 / Math.sqrt(d);
      return {
        inputs: [{ dtype: 'f32', shape: [bh, s, d], data: q }, { dtype: 'f32', shape: [bh, t, d], data: k }, { dtype: 'f32', shape: [bh, t, d], data: v }],
        scalars: [scale],
        expected: [causalAttentionReference(q, k, v, bh, s, t, d, scale, false)],
      };
    }),
  },
  {
    name: 'the same reduction of a let written twice (keepdim and not) reads one result; one inside an if (never taken here) is not read after it',
    source: `fn k(x: f32[M, N]) -> (f32[M], f32[M, N], f32[M], f32[M]) {
  let lse = empty([M], f32);
  let centered = empty_like(x);
  let inside = zeros([M], f32);
  let after = empty([M], f32);
  for tm in tile(M) {
    let row = x[tm, :];
    let top = max(row, axis=1, keepdim=true);
    lse[tm] = log(sum(exp(row - top), axis=1)) + max(row, axis=1);
    centered[tm, :] = row - max(row, axis=1)[:, None];
    if tm.begin < 0 {
      inside[tm] = min(row, axis=1) + 1.0;
    }
    after[tm] = min(row, axis=1);
  }
  return (lse, centered, inside, after);
}`,
    atol: 2e-6, rtol: 2e-6,
    configs: [{ blocks: { tm: 4 }, workgroupSize: 32 }, { blocks: { tm: 1 }, workgroupSize: 64 }],
    sizes: shapes([[1, 1], [13, 37], [9, 130]] as const, ([m, n], i) => {
      const x = f32(m * n, 7600 + i, -4, 4);
      const lse: number[] = [];
      const centered: number[] = [];
      const inside: number[] = [];
      const after: number[] = [];
      for (let r = 0; r < m; r++) {
        const row = Array.from(x.subarray(r * n, (r + 1) * n));
        const hi = Math.max(...row);
        const lo = Math.min(...row);
        lse.push(Math.log(row.reduce((s, v) => s + Math.exp(v - hi), 0)) + hi);
        for (const v of row) centered.push(v - hi);
        inside.push(0);
        after.push(lo);
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [lse, centered, inside, after] };
    }),
  },
];
