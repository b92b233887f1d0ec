/**
 * Row softmax: one tile of rows per workgroup; each row is reduced twice (max, then the
 * sum of exponentials) by the whole workgroup, then normalised. The max is subtracted
 * first so exp never overflows.
 */
import { kernel } from 'tessera-gpu';

export const softmax = kernel`
fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`;

/** Plain-JS reference in f64, for comparison with a tolerance. */
export function softmaxReference(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c] ?? 0);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp((x[r * cols + c] ?? 0) - m);
    for (let c = 0; c < cols; c++) out[r * cols + c] = Math.exp((x[r * cols + c] ?? 0) - m) / s;
  }
  return out;
}
