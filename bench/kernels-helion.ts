/**
 * Kernels in the style of Helion's examples whose shapes showed lowering pathologies on a
 * CPU adapter: a gated GELU over a wide activation, a one-pass Welford mean/variance that
 * loops over column tiles, and a long-row sum written with a nested tile loop. Benchmarked
 * in workloads-helion.ts and tested in test/compiler/helion-shapes.test.ts.
 */
import { kernel } from 'tessera-gpu';

/** out = gelu(a) · b, GELU with the exact erf. */
export const geglu = kernel`
fn geglu(a: f32[M, N], b: f32[M, N]) -> f32[M, N] {
  let out = empty_like(a);
  for (tm, tn) in tile([M, N]) {
    let x = a[tm, tn];
    out[tm, tn] = 0.5 * x * (1.0 + erf(x * 0.7071067811865476)) * b[tm, tn];
  }
  return out;
}`;

/** out = silu(a) · b (SwiGLU's gate), silu(x) = x · sigmoid(x). */
export const swiglu = kernel`
fn swiglu(a: f32[M, N], b: f32[M, N]) -> f32[M, N] {
  let out = empty_like(a);
  for (tm, tn) in tile([M, N]) {
    let x = a[tm, tn];
    out[tm, tn] = x * sigmoid(x) * b[tm, tn];
  }
  return out;
}`;

/**
 * Per-row mean and (population) variance in one pass over column tiles: each tile's count,
 * mean and sum of squared deviations are merged into the running ones (Chan et al.).
 * Masked elements of a ragged tile take no part in the tile's reductions.
 */
export const welford = kernel.outputs(2)`
fn welford(x: f32[M, N]) -> (f32[M, 1], f32[M, 1]) {
  let mean_out = empty([M, 1], f32);
  let var_out = empty([M, 1], f32);
  for tm in tile(M) {
    var cnt = zeros([tm, 1], f32);
    var mean = zeros([tm, 1], f32);
    var m2 = zeros([tm, 1], f32);
    for tn in tile(N) {
      let chunk = x[tm, tn];
      let nb = sum(chunk * 0.0 + 1.0, axis=1, keepdim=true);
      let mb = sum(chunk, axis=1, keepdim=true) / nb;
      let dev = chunk - mb;
      let m2b = sum(dev * dev, axis=1, keepdim=true);
      let total = cnt + nb;
      let delta = mb - mean;
      mean = mean + delta * nb / total;
      m2 = m2 + m2b + delta * delta * cnt * nb / total;
      cnt = total;
    }
    mean_out[tm, :] = mean;
    var_out[tm, :] = m2 / cnt;
  }
  return (mean_out, var_out);
}`;

/** Row sums of a few very long rows, the columns walked by a nested tile loop. */
export const longSum = kernel`
fn long_sum(x: f32[M, N]) -> f32[M, 1] {
  let out = empty([M, 1], f32);
  for tm in tile(M) {
    var acc = zeros([tm, 1], f32);
    for tn in tile(N) {
      acc = acc + sum(x[tm, tn], axis=1, keepdim=true);
    }
    out[tm, :] = acc;
  }
  return out;
}`;

/** References in f64. */
export function gegluReference(a: Float32Array, b: Float32Array): Float64Array {
  return Float64Array.from(a, (x, i) => 0.5 * x * (1 + erf(x / Math.SQRT2)) * (b[i] ?? 0));
}

export function rowMomentsReference(x: Float32Array, m: number, n: number): { mean: Float64Array; variance: Float64Array; sum: Float64Array } {
  const [mean, variance, sum] = [new Float64Array(m), new Float64Array(m), new Float64Array(m)];
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += x[r * n + c] ?? 0;
    const mu = s / n;
    let v = 0;
    for (let c = 0; c < n; c++) v += ((x[r * n + c] ?? 0) - mu) ** 2;
    [sum[r], mean[r], variance[r]] = [s, mu, v / n];
  }
  return { mean, variance, sum };
}

/** Abramowitz–Stegun 7.1.26 is too coarse for a reference: a series / continued fraction instead. */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 3) {
    let term = t;
    let sum = t;
    for (let k = 1; k < 60; k++) {
      term *= (-t * t) / k;
      sum += term / (2 * k + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  return Math.sign(x) * (1 - Math.exp(-t * t) / (t * Math.sqrt(Math.PI)) * (1 - 1 / (2 * t * t)));
}
