/**
 * Cross-entropy loss of logits against integer labels: per row,
 * loss[r] = logsumexp(logits[r, :]) − logits[r, labels[r]], and the mean over rows.
 *
 * The row max is subtracted before exp, so logsumexp never overflows. The label's logit
 * is a gather — `logits[tm, labels[tm]]` is one element per row (the index shares the row
 * axis). The mean is accumulated across workgroups with atomic_add, so its last bits may
 * differ between runs.
 */
import { kernel } from 'tessera-gpu';

export const crossEntropy = kernel.outputs(2)`
fn cross_entropy(logits: f32[M, N], labels: i32[M]) -> (f32[M], f32[1]) {
  let loss = empty([M], f32);
  let mean_loss = zeros([1], f32);
  for tm in tile(M) {
    let row = logits[tm, :];
    let top = max(row, axis=1, keepdim=true);
    let lse = log(sum(exp(row - top), axis=1)) + max(row, axis=1);
    let l = lse - logits[tm, labels[tm]];
    loss[tm] = l;
    atomic_add(mean_loss[0], sum(l) / f32(M));
  }
  return (loss, mean_loss);
}`;

/** Plain-JS reference in f64: the per-row losses and their mean. */
export function crossEntropyReference(logits: Float32Array, labels: Int32Array, rows: number, cols: number): { loss: Float64Array; mean: number } {
  const loss = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, logits[r * cols + c] ?? 0);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp((logits[r * cols + c] ?? 0) - m);
    const label = Math.min(Math.max(labels[r] ?? 0, 0), cols - 1);
    loss[r] = Math.log(s) + m - (logits[r * cols + label] ?? 0);
  }
  return { loss, mean: loss.reduce((a, b) => a + b, 0) / rows };
}
