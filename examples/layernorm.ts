/**
 * Layer normalisation over the last axis, with a learned scale and shift:
 * y = (x - mean) / sqrt(var + eps) * gamma + beta, one tile of rows per workgroup.
 */
import { kernel } from 'tessera-gpu';

export const layernorm = kernel`
fn layernorm(x: f32[M, N], gamma: f32[N], beta: f32[N], eps: f32) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let centered = row - mean(row, axis=1, keepdim=true);
    let variance = mean(centered * centered, axis=1, keepdim=true);
    out[tm, :] = centered * rsqrt(variance + eps) * gamma[:] + beta[:];
  }
  return out;
}`;

export function layernormReference(x: Float32Array, gamma: Float32Array, beta: Float32Array, rows: number, cols: number, eps: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let c = 0; c < cols; c++) mean += x[r * cols + c] ?? 0;
    mean /= cols;
    let v = 0;
    for (let c = 0; c < cols; c++) v += ((x[r * cols + c] ?? 0) - mean) ** 2;
    v /= cols;
    const inv = 1 / Math.sqrt(v + eps);
    for (let c = 0; c < cols; c++) out[r * cols + c] = ((x[r * cols + c] ?? 0) - mean) * inv * (gamma[c] ?? 0) + (beta[c] ?? 0);
  }
  return out;
}
