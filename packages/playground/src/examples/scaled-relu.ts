import { input, scalar, type Example } from './types.ts';

export const scaledRelu: Example = {
  id: 'scaled-relu',
  title: 'Scaled ReLU (scalar argument)',
  source: `fn scaled_relu(x: f32[N], alpha: f32) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = max(x[tn] * alpha, 0.0);
  }
  return out;
}`,
  dims: { N: 65_536 },
  scalars: { alpha: 2.5 },
  tolerance: 0,
  reference(args) {
    const x = input(args, 'x');
    const alpha = scalar(args, 'alpha');
    return [x.map((v) => Math.max(Math.fround(v * Math.fround(alpha)), 0))];
  },
};
