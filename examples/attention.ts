/**
 * Flash-style attention (non-causal): out = softmax(q·kᵀ·scale) · v per (batch·head), for
 * q: [BH, S, D], k and v: [BH, T, D].
 *
 * One program per (batch·head) and block of query rows. It walks the keys block by block
 * and never holds a whole row of scores: a running row max `m` and a running sum `l` of
 * exponentials ([tm, 1] columns, from keepdim reductions) are rescaled whenever the max
 * grows, and so is the output accumulator `acc` ([tm, D]); the rows are divided by `l`
 * at the end. `q @ transpose(k[bh, tn, :])` reads k where it lies (no transposed copy).
 *
 * The head dim is a compile-time constant (a hole), so `acc` has a fixed size in
 * workgroup memory; `attentionKernel(d)` makes the kernel for head dim d.
 */
import { kernel, type Kernel } from 'tessera-gpu';

export function attentionKernel(d: number): Kernel {
  return kernel`
fn attention(q: f32[BH, S, ${d}], k: f32[BH, T, ${d}], v: f32[BH, T, ${d}], scale: f32) -> f32[BH, S, ${d}] {
  let out = empty([BH, S, ${d}], f32);
  for bh in grid(BH) {
    for tm in tile(S) {
      let qb = q[bh, tm, :];
      var m = full([tm, 1], -1.0e30);
      var l = zeros([tm, 1], f32);
      var acc = zeros([tm, ${d}], f32);
      for tn in tile(T) {
        let s = (qb @ transpose(k[bh, tn, :])) * scale;
        let m_new = max(m, max(s, axis=1, keepdim=true));
        let p = exp(s - m_new);
        let alpha = exp(m - m_new);
        l = l * alpha + sum(p, axis=1, keepdim=true);
        acc = acc * alpha + p @ v[bh, tn, :];
        m = m_new;
      }
      out[bh, tm, :] = acc / l;
    }
  }
  return out;
}`;
}

/** Head dim 64, the usual size. */
export const attention = attentionKernel(64);

/** Plain-JS reference in f64: softmax(q·kᵀ·scale)·v per (batch·head), three passes per row. */
export function attentionReference(q: Float32Array, k: Float32Array, v: Float32Array, bh: number, s: number, t: number, d: number, scale: number): Float32Array {
  const out = new Float32Array(bh * s * d);
  const scores = new Float64Array(t);
  for (let b = 0; b < bh; b++) {
    for (let i = 0; i < s; i++) {
      let m = -Infinity;
      for (let j = 0; j < t; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += (q[(b * s + i) * d + c] ?? 0) * (k[(b * t + j) * d + c] ?? 0);
        scores[j] = dot * scale;
        m = Math.max(m, scores[j] ?? 0);
      }
      let sum = 0;
      for (let j = 0; j < t; j++) sum += (scores[j] = Math.exp((scores[j] ?? 0) - m));
      for (let c = 0; c < d; c++) {
        let acc = 0;
        for (let j = 0; j < t; j++) acc += (scores[j] ?? 0) * (v[(b * t + j) * d + c] ?? 0);
        out[(b * s + i) * d + c] = acc / sum;
      }
    }
  }
  return out;
}
