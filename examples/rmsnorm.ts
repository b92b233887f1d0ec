/** RMS normalisation over the last axis: y = x / sqrt(mean(x²) + eps) * weight. */
import { kernel } from 'tessera-gpu';

export const rmsnorm = kernel`
fn rmsnorm(x: f32[M, N], weight: f32[N], eps: f32) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let ms = mean(row * row, axis=1, keepdim=true);
    out[tm, :] = row * rsqrt(ms + eps) * weight[:];
  }
  return out;
}`;

export function rmsnormReference(x: Float32Array, w: Float32Array, rows: number, cols: number, eps: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += (x[r * cols + c] ?? 0) ** 2;
    const inv = 1 / Math.sqrt(s / cols + eps);
    for (let c = 0; c < cols; c++) out[r * cols + c] = (x[r * cols + c] ?? 0) * inv * (w[c] ?? 0);
  }
  return out;
}
