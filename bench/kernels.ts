/** Kernel sources shared by the benchmarks (the examples import the same text through tags). */
export const MATMUL_BIAS_RELU = `
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

export const SOFTMAX = `
fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`;
