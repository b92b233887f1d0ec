/**
 * Naive WGSL baselines for RMS normalisation, matmul with a bias + ReLU epilogue, row
 * sum + argmax and row prefix sums. One invocation per output element or row, the first
 * thing one writes by hand. (Softmax, online or not, uses naiveSoftmax from kernels.ts.)
 */
import { grid1d, naiveArtifact } from './artifact.ts';

const UNIFORMS = (binding: number): string => `struct U { d0: u32, d1: u32, d2: u32, d3: u32 }\n@group(0) @binding(${binding}) var<uniform> u: U;\n`;
const binding = (i: number, access: string, type = 'f32'): string => `@group(0) @binding(${i}) var<storage, ${access}> b${i}: array<${type}>;`;
const GID = 'let i = gid.x + gid.y * 65535u * 64u;';

/** out = x * rsqrt(mean(x², last axis) + 1e-5) * weight: dims M, N; one invocation per row. */
export const naiveRmsnorm = naiveArtifact({
  name: 'naive_rmsnorm', inputs: ['x', 'weight'], outputs: ['out'], dims: ['M', 'N'],
  shapes: { x: ['M', 'N'], weight: ['N'], out: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read')}\n${binding(2, 'read_write')}\n${UNIFORMS(3)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0) { return; }
  let base = i * u.d1;
  var s = 0.0;
  for (var c = 0u; c < u.d1; c++) { let v = b0[base + c]; s += v * v; }
  let inv = inverseSqrt(s / f32(u.d1) + 1e-5);
  for (var c = 0u; c < u.d1; c++) { b2[base + c] = b0[base + c] * inv * b1[c]; }
}`,
});

/** c = max(a @ b + bias, 0): dims M, K, N; one invocation per output element. */
export const naiveMatmulBiasRelu = naiveArtifact({
  name: 'naive_matmul_bias_relu', inputs: ['a', 'b', 'bias'], outputs: ['c'], dims: ['M', 'K', 'N'],
  shapes: { a: ['M', 'K'], b: ['K', 'N'], bias: ['N'], c: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil(((d['M'] ?? 0) * (d['N'] ?? 0)) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read')}\n${binding(2, 'read')}\n${binding(3, 'read_write')}\n${UNIFORMS(4)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0 * u.d2) { return; }
  let row = i / u.d2;
  let col = i % u.d2;
  var acc = 0.0;
  for (var k = 0u; k < u.d1; k++) { acc += b0[row * u.d1 + k] * b1[k * u.d2 + col]; }
  b3[i] = max(acc + b2[col], 0.0);
}`,
});

/**
 * total[r] = sum(x[r, :]) and best[r] = argmax(x[r, :]) (the first index on ties): dims
 * M, N; one invocation per row, both in one pass.
 */
export const naiveRowStats = naiveArtifact({
  name: 'naive_row_stats', inputs: ['x'], outputs: ['total', 'best'], dims: ['M', 'N'], dtypes: { best: 'i32' },
  shapes: { x: ['M', 'N'], total: ['M'], best: ['M'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read_write')}\n${binding(2, 'read_write', 'i32')}\n${UNIFORMS(3)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0) { return; }
  let base = i * u.d1;
  var s = 0.0;
  var m = -3.4028234663852886e38;
  var bi = 0u;
  for (var c = 0u; c < u.d1; c++) {
    let v = b0[base + c];
    s += v;
    if (v > m) { m = v; bi = c; }
  }
  b1[i] = s;
  b2[i] = i32(bi);
}`,
});

/** out[r, c] = x[r, 0] + … + x[r, c] (inclusive): dims M, N; one invocation per row. */
export const naiveCumsum = naiveArtifact({
  name: 'naive_cumsum', inputs: ['x'], outputs: ['out'], dims: ['M', 'N'],
  shapes: { x: ['M', 'N'], out: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read_write')}\n${UNIFORMS(2)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0) { return; }
  let base = i * u.d1;
  var s = 0.0;
  for (var c = 0u; c < u.d1; c++) { s += b0[base + c]; b1[base + c] = s; }
}`,
});
