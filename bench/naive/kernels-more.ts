/**
 * Naive WGSL baselines for the examples beyond the first four: batched matmul, attention,
 * embedding gather and cross-entropy. One invocation per output element or row, the
 * first thing one writes by hand.
 */
import { grid1d, naiveArtifact } from './artifact.ts';

const UNIFORMS = (binding: number): string => `struct U { d0: u32, d1: u32, d2: u32, d3: u32 }\n@group(0) @binding(${binding}) var<uniform> u: U;\n`;
const binding = (i: number, access: string, type = 'f32'): string => `@group(0) @binding(${i}) var<storage, ${access}> b${i}: array<${type}>;`;
const GID = 'let i = gid.x + gid.y * 65535u * 64u;';

/** c[b] = a[b] @ bm[b]: dims B, M, K, N. */
export const naiveBatchedMatmul = naiveArtifact({
  name: 'naive_bmm', inputs: ['a', 'b'], outputs: ['c'], dims: ['B', 'M', 'K', 'N'],
  shapes: { a: ['B', 'M', 'K'], b: ['B', 'K', 'N'], c: ['B', 'M', 'N'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil(((d['B'] ?? 0) * (d['M'] ?? 0) * (d['N'] ?? 0)) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read')}\n${binding(2, 'read_write')}\n${UNIFORMS(3)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0 * u.d1 * u.d3) { return; }
  let b = i / (u.d1 * u.d3);
  let row = (i / u.d3) % u.d1;
  let col = i % u.d3;
  var acc = 0.0;
  for (var k = 0u; k < u.d2; k++) { acc += b0[(b * u.d1 + row) * u.d2 + k] * b1[(b * u.d2 + k) * u.d3 + col]; }
  b2[i] = acc;
}`,
});

/**
 * Attention, one invocation per query row: scores against every key, online softmax,
 * and the weighted sum of values in a private array. Dims BH, S, D (D ≤ 128); scale 1/√D.
 */
export const naiveAttention = naiveArtifact({
  name: 'naive_attention', inputs: ['q', 'k', 'v'], outputs: ['out'], dims: ['BH', 'S', 'D'],
  shapes: { q: ['BH', 'S', 'D'], k: ['BH', 'S', 'D'], v: ['BH', 'S', 'D'], out: ['BH', 'S', 'D'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil(((d['BH'] ?? 0) * (d['S'] ?? 0)) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read')}\n${binding(2, 'read')}\n${binding(3, 'read_write')}\n${UNIFORMS(4)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0 * u.d1) { return; }
  let bh = i / u.d1;
  let qBase = i * u.d2;
  let scale = inverseSqrt(f32(u.d2));
  var acc: array<f32, 128>;
  for (var d = 0u; d < u.d2; d++) { acc[d] = 0.0; }
  var m = -3.4028234663852886e38;
  var l = 0.0;
  for (var j = 0u; j < u.d1; j++) {
    let kBase = (bh * u.d1 + j) * u.d2;
    var s = 0.0;
    for (var d = 0u; d < u.d2; d++) { s += b0[qBase + d] * b1[kBase + d]; }
    s *= scale;
    let mNew = max(m, s);
    let alpha = exp(m - mNew);
    let p = exp(s - mNew);
    l = l * alpha + p;
    for (var d = 0u; d < u.d2; d++) { acc[d] = acc[d] * alpha + p * b2[kBase + d]; }
    m = mNew;
  }
  for (var d = 0u; d < u.d2; d++) { b3[qBase + d] = acc[d] / l; }
}`,
});

/** out[t, :] = table[ids[t], :]: dims T, V, D; one invocation per output element. */
export const naiveEmbedding = naiveArtifact({
  name: 'naive_embedding', inputs: ['table', 'ids'], outputs: ['out'], dims: ['T', 'V', 'D'], dtypes: { ids: 'i32' },
  shapes: { table: ['V', 'D'], ids: ['T'], out: ['T', 'D'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil(((d['T'] ?? 0) * (d['D'] ?? 0)) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read', 'i32')}\n${binding(2, 'read_write')}\n${UNIFORMS(3)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0 * u.d2) { return; }
  let t = i / u.d2;
  let row = u32(clamp(b1[t], 0, i32(u.d1) - 1));
  b2[i] = b0[row * u.d2 + i % u.d2];
}`,
});

/** loss[r] = logsumexp(logits[r, :]) − logits[r, labels[r]]: dims M, N; one invocation per row. */
export const naiveCrossEntropy = naiveArtifact({
  name: 'naive_cross_entropy', inputs: ['logits', 'labels'], outputs: ['loss'], dims: ['M', 'N'], dtypes: { labels: 'i32' },
  shapes: { logits: ['M', 'N'], labels: ['M'], loss: ['M'] }, workgroupSize: 64,
  grid: (d) => grid1d(Math.ceil((d['M'] ?? 0) / 64)),
  wgsl: `${binding(0, 'read')}\n${binding(1, 'read', 'i32')}\n${binding(2, 'read_write')}\n${UNIFORMS(3)}
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID}
  if (i >= u.d0) { return; }
  let base = i * u.d1;
  var m = -3.4028234663852886e38;
  for (var c = 0u; c < u.d1; c++) { m = max(m, b0[base + c]); }
  var s = 0.0;
  for (var c = 0u; c < u.d1; c++) { s += exp(b0[base + c] - m); }
  let label = u32(clamp(b1[i], 0, i32(u.d1) - 1));
  b2[i] = log(s) + m - b0[base + label];
}`,
});
