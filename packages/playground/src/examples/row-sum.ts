import { dim, input, type Example } from './types.ts';

export const rowSum: Example = {
  id: 'row-sum',
  title: 'Row sum',
  source: `fn row_sum(x: f32[M, N]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    out[tm] = sum(x[tm, :], axis=1);
  }
  return out;
}`,
  dims: { M: 512, N: 1024 },
  tolerance: 1e-4,
  reference(args) {
    const x = input(args, 'x');
    const [rows, cols] = [dim(args, 'M'), dim(args, 'N')];
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += x[r * cols + c] ?? 0;
      out[r] = s;
    }
    return [out];
  },
};
