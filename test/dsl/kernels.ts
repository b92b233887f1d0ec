/** Example kernels from the language sketch, as kernel text (holes rendered as `${i}`). */
export const MATMUL = `fn matmul_bias_relu(a: f32[M, K], b: f32[K, N], bias: f32[N], alpha: f32) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {        // top-level tile loop = launch grid
    var acc = zeros([tm, tn], f32);
    for tk in tile(K, block=32) {       // nested tile loop
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = \${0}(acc * alpha + bias[tn]);
  }
  return out;
}`;

export const SOFTMAX = `fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`;

export const STATS = `fn stats(x: f32[N]) -> (f32[1], i32[1]) {
  let s = empty([1], f32);
  let i = empty([1], i32);
  for tn in tile(N) {
    /* block comment
       over two lines */
    atomic_add(s, sum(x[tn]));
    atomic_add(i, i32(sum(x[tn] > 0.0)));
  }
  return (s, i);
}`;

export const RELU = 'fn relu(x: f32) -> f32 { return max(x, 0.0); }';
