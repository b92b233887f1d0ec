/**
 * Two outputs from one pass over each row: its sum and the index of its largest element
 * (the first one on ties, like numpy).
 */
import { kernel } from 'tessera-gpu';

export const rowStats = kernel.outputs(2)`
fn row_stats(x: f32[M, N]) -> (f32[M], i32[M]) {
  let total = empty([M], f32);
  let best = empty([M], i32);
  for tm in tile(M) {
    let row = x[tm, :];
    total[tm] = sum(row, axis=1);
    best[tm] = argmax(row, axis=1);
  }
  return (total, best);
}`;

export function rowStatsReference(x: Float32Array, rows: number, cols: number): [Float32Array, Int32Array] {
  const total = new Float32Array(rows);
  const best = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    let bi = 0;
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c] ?? 0;
      s += v;
      if (v > (x[r * cols + bi] ?? 0)) bi = c;
    }
    total[r] = s;
    best[r] = bi;
  }
  return [total, best];
}
