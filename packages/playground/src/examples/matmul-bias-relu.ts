import { dim, input, type Example } from './types.ts';

export const matmulBiasRelu: Example = {
  id: 'matmul-bias-relu',
  title: 'Matmul + bias + ReLU',
  mirrors: 'examples/matmul.ts',
  source: `fn matmul_bias_relu(a: f32[M, K], b: f32[K, N], bias: f32[N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = max(acc + bias[tn], 0.0);
  }
  return out;
}`,
  dims: { M: 256, K: 256, N: 256 },
  tolerance: 1e-3,
  reference(args) {
    const a = input(args, 'a');
    const b = input(args, 'b');
    const bias = input(args, 'bias');
    const [m, k, n] = [dim(args, 'M'), dim(args, 'K'), dim(args, 'N')];
    const out = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
        out[i * n + j] = Math.max(s + (bias[j] ?? 0), 0);
      }
    }
    return [out];
  },
};
