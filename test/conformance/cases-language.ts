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

const fr = Math.fround;

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

/**
 * Attention in f64 over [BH, S, D] (keys [BH, T, D]); with `causal`, query i sees keys
 * j ≤ i only.
 */
export function attentionRef(q: Float32Array, k: Float32Array, v: Float32Array, bh: number, s: number, t: number, d: number, scale: number, causal: boolean): number[] {
  const out: number[] = [];
  for (let b = 0; b < bh; b++) {
    for (let i = 0; i < s; i++) {
      const keys = causal ? Math.min(t, i + 1) : t;
      const scores: number[] = [];
      for (let j = 0; j < keys; j++) {
        let dot = 0;
        for (let p = 0; p < d; p++) dot += (q[(b * s + i) * d + p] ?? 0) * (k[(b * t + j) * d + p] ?? 0);
        scores.push(dot * scale);
      }
      const hi = Math.max(...scores);
      const w = scores.map((x) => Math.exp(x - hi));
      const sum = w.reduce((a, x) => a + x, 0);
      for (let p = 0; p < d; p++) {
        let acc = 0;
        for (let j = 0; j < keys; j++) acc += (w[j] ?? 0) * (v[(b * t + j) * d + p] ?? 0);
        out.push(acc / sum);
      }
    }
  }
  return out;
}

/** Causal flash attention: key blocks wholly above the diagonal are skipped by an `if`. */
export function causalAttentionSource(d: number): string {
  return `fn causal_attention(q: f32[BH, S, ${d}], k: f32[BH, T, ${d}], v: f32[BH, T, ${d}], scale: f32) -> f32[BH, S, ${d}] {
  let out = empty([BH, S, ${d}], f32);
  for bh in grid(BH) {
    for tm in tile(S) {
      let qb = q[bh, tm, :];
      var m = full([tm], -1.0e30);
      var l = zeros([tm], f32);
      var acc = zeros([tm, ${d}], f32);
      for tn in tile(T) {
        if tn.begin < tm.end {
          let s = (qb @ transpose(k[bh, tn, :])) * scale;
          let visible = tm.index[:, None] >= tn.index[None, :];
          let sm = where(visible, s, -1.0e30);
          let m_new = max(m, max(sm, axis=1));
          let p = exp(sm - m_new[:, None]);
          let alpha = exp(m - m_new);
          l = l * alpha + sum(p, axis=1);
          acc = acc * alpha[:, None] + p @ v[bh, tn, :];
          m = m_new;
        }
      }
      out[bh, tm, :] = acc / l[:, None];
    }
  }
  return out;
}`;
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
];
