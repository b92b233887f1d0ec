/** The naive WGSL baselines: one invocation per output element (or per row). */
import { grid1d, naiveArtifact } from './artifact.ts';

const header = (n: number, access: string[]) =>
  access.map((a, i) => `@group(0) @binding(${i}) var<storage, ${a}> b${i}: array<f32>;`).join('\n') +
  `\nstruct U { d0: u32, d1: u32, d2: u32, d3: u32 }\n@group(0) @binding(${n}) var<uniform> u: U;\n`;

const gid = 'let i = gid.x + gid.y * 65535u * 64u;';

export const naiveAdd = naiveArtifact({
  name: 'naive_add', inputs: ['x', 'y'], outputs: ['out'], dims: ['N'], shapes: { x: ['N'], y: ['N'], out: ['N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['N'] ?? 0) / 64)),
  wgsl: `${header(3, ['read', 'read', 'read_write'])}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${gid}
  if (i < u.d0) { b2[i] = b0[i] + b1[i]; }
}`,
});

export const naiveMatmul = naiveArtifact({
  name: 'naive_matmul', inputs: ['a', 'b'], outputs: ['c'], dims: ['M', 'K', 'N'], shapes: { a: ['M', 'K'], b: ['K', 'N'], c: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil(((d['M'] ?? 0) * (d['N'] ?? 0)) / 64)),
  wgsl: `${header(3, ['read', 'read', 'read_write'])}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${gid}
  if (i >= u.d0 * u.d2) { return; }
  let row = i / u.d2;
  let col = i % u.d2;
  var acc = 0.0;
  for (var k = 0u; k < u.d1; k++) { acc += b0[row * u.d1 + k] * b1[k * u.d2 + col]; }
  b2[i] = acc;
}`,
});

export const naiveSoftmax = naiveArtifact({
  name: 'naive_softmax', inputs: ['x'], outputs: ['out'], dims: ['M', 'N'], shapes: { x: ['M', 'N'], out: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${header(2, ['read', 'read_write'])}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${gid}
  if (i >= u.d0) { return; }
  let base = i * u.d1;
  var m = -3.4028234663852886e38;
  for (var c = 0u; c < u.d1; c++) { m = max(m, b0[base + c]); }
  var s = 0.0;
  for (var c = 0u; c < u.d1; c++) { s += exp(b0[base + c] - m); }
  for (var c = 0u; c < u.d1; c++) { b1[base + c] = exp(b0[base + c] - m) / s; }
}`,
});

export const naiveLayernorm = naiveArtifact({
  name: 'naive_layernorm', inputs: ['x', 'gamma', 'beta'], outputs: ['out'], dims: ['M', 'N'], shapes: { x: ['M', 'N'], gamma: ['N'], beta: ['N'], out: ['M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${header(4, ['read', 'read', 'read', 'read_write'])}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${gid}
  if (i >= u.d0) { return; }
  let base = i * u.d1;
  var mean = 0.0;
  for (var c = 0u; c < u.d1; c++) { mean += b0[base + c]; }
  mean /= f32(u.d1);
  var v = 0.0;
  for (var c = 0u; c < u.d1; c++) { let d = b0[base + c] - mean; v += d * d; }
  let inv = inverseSqrt(v / f32(u.d1) + 1e-5);
  for (var c = 0u; c < u.d1; c++) { b3[base + c] = (b0[base + c] - mean) * inv * b1[c] + b2[c]; }
}`,
});
