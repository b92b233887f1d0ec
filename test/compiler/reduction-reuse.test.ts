/**
 * hoistMaterializations reads one result for the same reduction of the same `let` written
 * twice, and only then: a `var` may change between two reductions of it, and a reduction
 * inside an `if` is not computed where the branch is not taken. (The results of such
 * kernels on every backend: test/conformance/cases-language.ts.)
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, printKernel } from 'tessera-gpu-compiler';
import { crossEntropy } from '../../examples/cross-entropy.ts';
import { lower } from './support.ts';

const materialized = (ir: string, op: string): number => ir.split('\n').filter((l) => new RegExp(`@m\\d+ = ${op}\\(`).test(l)).length;

describe('one reduction for the same reduction of a let', () => {
  it("cross-entropy's max with and without keepdim is one reduction; the second reads it through a view", () => {
    const ir = printKernel(lower(crossEntropy.def.source.text));
    expect(materialized(ir, 'max')).toBe(1);
    expect(ir).toMatch(/view\(@m\d+ -> f32\[tm\]\)/);
    // One max tree over the row fewer in the shader (19 max( calls with two, 10 with one).
    const wgsl = compileWgsl(lower(crossEntropy.def.source.text), { blocks: { tm: 4 }, workgroupSize: 64 }).wgsl;
    expect(wgsl.match(/max\(/g)?.length ?? 0).toBeLessThan(15);
  });

  it('a var reassigned between two reductions of it reduces twice', () => {
    const ir = printKernel(lower(`fn k(x: f32[M]) -> f32[1] {
  let out = zeros([1], f32);
  for tm in tile(M) {
    var v = x[tm];
    let a = sum(v);
    v = v * 2.0;
    atomic_add(out[0], sum(v) - a);
  }
  return out;
}`));
    expect(materialized(ir, 'sum')).toBe(2);
  });

  it('different ops or axes of the same let are separate reductions', () => {
    const ir = printKernel(lower(`fn k(x: f32[M, N]) -> (f32[M], f32[N], f32[M]) {
  let a = empty([M], f32);
  let b = zeros([N], f32);
  let c = empty([M], f32);
  for tm in tile(M) {
    let row = x[tm, :];
    a[tm] = max(row, axis=1);
    atomic_add(b[:], sum(row, axis=0));
    c[tm] = min(row, axis=1) + sum(row, axis=1);
  }
  return (a, b, c);
}`));
    expect(materialized(ir, 'max') + materialized(ir, 'min') + materialized(ir, 'sum')).toBe(4);
  });
});
