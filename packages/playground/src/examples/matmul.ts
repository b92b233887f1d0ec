import { dim, input, type Example } from './types.ts';

export const matmul: Example = {
  id: 'matmul',
  title: 'Matmul',
  mirrors: 'examples/matmul.ts',
  source: `fn matmul(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = acc;
  }
  return out;
}`,
  dims: { M: 256, K: 256, N: 256 },
  // f32 accumulation over K terms of size ≤ 1: rounding grows like sqrt(K)·2⁻²⁴.
  tolerance: 1e-3,
  reference(args) {
    const a = input(args, 'a');
    const b = input(args, 'b');
    const [m, k, n] = [dim(args, 'M'), dim(args, 'K'), dim(args, 'N')];
    const out = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = a[i * k + p] ?? 0;
        for (let j = 0; j < n; j++) out[i * n + j] = (out[i * n + j] ?? 0) + av * (b[p * n + j] ?? 0);
      }
    }
    return [out];
  },
};
