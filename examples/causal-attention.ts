/**
 * Causal flash attention: query i attends to keys j ≤ i only, for q: [BH, S, D] and k,
 * v: [BH, T, D] (T = S in self-attention).
 *
 * The kernel is the non-causal one (attention.ts) with two additions, both written with
 * the tile's positions:
 * - `if tn.begin < tm.end` skips every key block wholly above the diagonal: the first
 *   key of the block comes after the last query of the tile. About half the blocks are
 *   skipped, so about half the work.
 * - on the blocks it keeps, `tm.index[:, None] >= tn.index[None, :]` masks the scores of
 *   keys after their query (the diagonal blocks are cut through).
 * The running max `m` and sum `l` are 1-D ([tm]) and broadcast against the [tm, tn]
 * scores as columns with `m[:, None]`, as in Helion.
 */
import { kernel, type Kernel } from 'tessera-gpu';

export function causalAttentionKernel(d: number): Kernel {
  return kernel`
fn causal_attention(q: f32[BH, S, ${d}], k: f32[BH, T, ${d}], v: f32[BH, T, ${d}], scale: f32) -> f32[BH, S, ${d}] {
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

/** Head dim 64. */
export const causalAttention = causalAttentionKernel(64);

/** Plain-JS reference in f64: query i sees keys 0..i (and `causal: false` sees all). */
export function causalAttentionReference(q: Float32Array, k: Float32Array, v: Float32Array, bh: number, s: number, t: number, d: number, scale: number, causal = true): Float64Array {
  const out = new Float64Array(bh * s * d);
  for (let b = 0; b < bh; b++) {
    for (let i = 0; i < s; i++) {
      const keys = causal ? Math.min(t, i + 1) : t;
      const w = new Float64Array(keys);
      let hi = -Infinity;
      for (let j = 0; j < keys; j++) {
        let dot = 0;
        for (let p = 0; p < d; p++) dot += (q[(b * s + i) * d + p] ?? 0) * (k[(b * t + j) * d + p] ?? 0);
        w[j] = dot * scale;
        hi = Math.max(hi, dot * scale);
      }
      let sum = 0;
      for (let j = 0; j < keys; j++) sum += (w[j] = Math.exp((w[j] ?? 0) - hi));
      for (let p = 0; p < d; p++) {
        let acc = 0;
        for (let j = 0; j < keys; j++) acc += (w[j] ?? 0) * (v[(b * t + j) * d + p] ?? 0);
        out[(b * s + i) * d + p] = acc / sum;
      }
    }
  }
  return out;
}
