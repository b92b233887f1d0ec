import { dim, input, type Example } from './types.ts';

export const softmax: Example = {
  id: 'softmax',
  title: 'Row softmax',
  mirrors: 'examples/softmax.ts',
  source: `fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`,
  dims: { M: 256, N: 1000 },
  tolerance: 1e-6,
  reference(args) {
    const x = input(args, 'x');
    const [rows, cols] = [dim(args, 'M'), dim(args, 'N')];
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let m = -Infinity;
      for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c] ?? 0);
      let s = 0;
      for (let c = 0; c < cols; c++) s += Math.exp((x[r * cols + c] ?? 0) - m);
      for (let c = 0; c < cols; c++) out[r * cols + c] = Math.exp((x[r * cols + c] ?? 0) - m) / s;
    }
    return [out];
  },
};
