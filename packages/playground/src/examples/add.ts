import { input, type Example } from './types.ts';

export const add: Example = {
  id: 'add',
  title: 'Vector add',
  mirrors: 'examples/add.ts',
  source: `fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + y[tn];
  }
  return out;
}`,
  dims: { N: 100_003 },
  tolerance: 0,
  reference(args) {
    const x = input(args, 'x');
    const y = input(args, 'y');
    return [x.map((v, i) => Math.fround(v + (y[i] ?? 0)))];
  },
};
