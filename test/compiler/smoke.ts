import { kernelFromSource } from '../../packages/dsl/src/parse.ts';
import { checkKernel } from '@tessera/dsl/check';
import { lowerToIR, compileWgsl, printKernel } from '@tessera/compiler';

const add = `fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + y[tn];
  }
  return out;
}`;
const softmax = `fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`;
for (const src of [add, softmax]) {
  const def = kernelFromSource(src);
  console.log(def.diagnostics);
  if (!def.ast) continue;
  const r = checkKernel(def.ast, def.holes);
  console.log(r.diagnostics);
  if (!r.kernel) continue;
  const ir = lowerToIR(r.kernel, { verify: true });
  console.log(printKernel(ir));
  console.log(compileWgsl(ir).wgsl);
}
