/**
 * Matrix multiply with a fused bias + ReLU epilogue. The top-level tile loop over
 * (tm, tn) is the launch grid; the nested loop over tk runs inside the workgroup,
 * accumulating products of operand tiles into `acc` (in registers on WebGPU).
 */
import { kernel } from 'tessera-gpu';

export const matmul = kernel`
fn matmul(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

export const matmulBiasRelu = kernel`
fn matmul_bias_relu(a: f32[M, K], b: f32[K, N], bias: f32[N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = max(acc + bias[tn], 0.0);
  }
  return out;
}`;

/** Plain-JS reference (f64 accumulation), with an optional bias + ReLU epilogue. */
export function matmulReference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, bias?: Float32Array): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
      out[i * n + j] = bias ? Math.max(s + (bias[j] ?? 0), 0) : s;
    }
  }
  return out;
}
