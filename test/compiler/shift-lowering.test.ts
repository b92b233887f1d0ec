/**
 * Lowering of dims written as arithmetic and of moved tile indices: the IR they become
 * (verified after every pass) and the WGSL a moved store turns into. (Their results on
 * every backend are checked by test/conformance/cases-shapes.ts.)
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, printKernel } from 'tessera-gpu-compiler';
import { lower } from './support.ts';

const CAT = `fn cat(a: f32[M, A], b: f32[M, B]) -> f32[M, A + B] {
  let out = empty([M, A + B], f32);
  for tm in tile(M) {
    for tn in tile(B) {
      out[tm, A + tn] = b[tm, tn];
    }
  }
  return out;
}`;

describe('dim arithmetic and moved indices in the IR', () => {
  it('a derived dim is listed with its expression; a moved store keeps its amount', () => {
    const ir = lower(CAT);
    expect(ir.derivedDims.map((d) => d.name)).toEqual(['A + B']);
    expect(ir.outputs[0]?.dims).toEqual([{ kind: 'sym', name: 'M' }, { kind: 'sym', name: 'A + B' }]);
    expect(printKernel(ir)).toContain('out[tm, A + tn] = b[tm, tn]');
  });

  it('a moved read is a gather at the moved positions under a select that gives 0 outside', () => {
    const ir = printKernel(lower(`fn k(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    out[tm, tn] = x[tm, tn - 1];
  }
  return out;
}`));
    expect(ir).toContain('out[tm, tn] = select(view(and(ge(add(tn.index, -1:i32), 0:i32), lt(add(tn.index, -1:i32), N)) -> bool[1, tn]), x[tm, add(tn.index, -1:i32)], 0:f32)');
  });

  it('the WGSL store is guarded by the moved position against the output dim, read from the uniforms', () => {
    const wgsl = compileWgsl(lower(CAT), { blocks: { tm: 4, tn: 16 }, workgroupSize: 64 }).wgsl;
    expect(wgsl).toMatch(/\(u\.A \+ off_tn_\d+ \+ [^)]*\) >= 0 && \(u\.A \+ off_tn_\d+ \+ [^)]*\) < u\._m_Ax20x2bx20B/);
  });
});
