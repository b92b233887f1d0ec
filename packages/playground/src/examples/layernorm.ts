import { dim, input, scalar, type Example } from './types.ts';

export const layernorm: Example = {
  id: 'layernorm',
  title: 'Layer norm',
  mirrors: 'examples/layernorm.ts',
  source: `fn layernorm(x: f32[M, N], gamma: f32[N], beta: f32[N], eps: f32) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let centered = row - mean(row, axis=1, keepdim=true);
    let variance = mean(centered * centered, axis=1, keepdim=true);
    out[tm, :] = centered * rsqrt(variance + eps) * gamma[:] + beta[:];
  }
  return out;
}`,
  dims: { M: 256, N: 768 },
  scalars: { eps: 1e-5 },
  tolerance: 1e-4,
  reference(args) {
    const x = input(args, 'x');
    const gamma = input(args, 'gamma');
    const beta = input(args, 'beta');
    const eps = scalar(args, 'eps');
    const [rows, cols] = [dim(args, 'M'), dim(args, 'N')];
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let mean = 0;
      for (let c = 0; c < cols; c++) mean += x[r * cols + c] ?? 0;
      mean /= cols;
      let v = 0;
      for (let c = 0; c < cols; c++) v += ((x[r * cols + c] ?? 0) - mean) ** 2;
      const inv = 1 / Math.sqrt(v / cols + eps);
      for (let c = 0; c < cols; c++) out[r * cols + c] = ((x[r * cols + c] ?? 0) - mean) * inv * (gamma[c] ?? 0) + (beta[c] ?? 0);
    }
    return [out];
  },
};
