/** Inclusive prefix sums along each row. */
import { kernel } from 'tessera-gpu';

export const rowCumsum = kernel`
fn row_cumsum(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    out[tm, :] = cumsum(x[tm, :], axis=1);
  }
  return out;
}`;

export function rowCumsumReference(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) out[r * cols + c] = s += x[r * cols + c] ?? 0;
  }
  return out;
}
