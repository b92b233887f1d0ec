import { kernelFromSource } from '../packages/dsl/src/parse.ts';
import { checkKernel } from '@tessera/dsl/check';
import { lowerToIR, compileWgsl, printKernel } from '@tessera/compiler';
const src = process.argv[2] === 'full' ? `fn mm2(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    let c = a[tm, :] @ b[:, tn];
    out[tm, tn] = c;
  }
  return out;
}` : process.argv[2] === 'cs' ? `fn cs(x: f32[M, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for tm in tile(M) {
    out[tm, :] = cumsum(x[tm, :], axis=1);
  }
  return out;
}` : `fn matmul(a: f32[M, K], b: f32[K, N], bias: f32[N], alpha: f32) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = max(alpha * acc + bias[tn], 0.0);
  }
  return out;
}`;
const def = kernelFromSource(src);
const r = checkKernel(def.ast!, def.holes);
const ir = lowerToIR(r.kernel!, { verify: true });
console.log(printKernel(ir));
const cfg = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
console.log(compileWgsl(ir, cfg, { maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupSizeX: 1024, maxComputeWorkgroupStorageSize: 32768, maxComputeWorkgroupsPerDimension: 65535, maxStorageBufferBindingSize: 1 << 27 }).wgsl);
