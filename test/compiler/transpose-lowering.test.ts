/**
 * transpose(x) in the IR and the WGSL backend, without an adapter: the IR node and its
 * verification, and the `@` reading a transposed operand in place — no copy, and for b
 * the same row bases and vector loads along k as a.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, printKernel, verifyKernel, type KernelIR, type Value } from 'tessera-gpu-compiler';
import { lower } from './support.ts';

const MM_BT = `fn mmbt(a: f32[M, K], b: f32[N, K]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ transpose(b[tn, tk]);
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

describe('transpose in the IR', () => {
  it('is a node over its operand, fused into the accumulating dot like any operand', () => {
    expect(printKernel(lower(MM_BT))).toMatch(/@m0 = dot\(a\[tm, tk\], transpose\(b\[tn, tk\]\), acc=%acc_\d+\)/);
  });

  it('the verifier rejects a transpose whose axes are not the operand\'s, swapped', () => {
    const ir = lower(MM_BT);
    const load = (v: Value): Value => (v.kind === 'transpose' ? v.x : v);
    const dot = ir.body.flatMap((s) => (s.kind === 'tileLoop' ? s.body : [])).find((s) => s.kind === 'materialize');
    if (dot?.kind !== 'materialize' || dot.value.kind !== 'dot') throw new Error('no dot');
    const x = load(dot.value.b);
    const bad: Value = { kind: 'transpose', x, type: x.type };
    const broken: KernelIR = { ...ir, body: [{ kind: 'declare', id: 't_9', name: 't', init: bad }, ...ir.body] };
    expect(() => verifyKernel(broken, { hoisted: true })).toThrow(/transpose must swap the last two axes of a 2-D or 3-D tile/);
  });
});

describe('a transposed @ operand in WGSL', () => {
  it('b is read in place like a: one row base per owned column, k along the row', () => {
    const wgsl = compileWgsl(lower(MM_BT), { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [2, 2] }).wgsl;
    expect(wgsl).toMatch(/let d_b0 = min\(off_tn_\d+ \+ mt_c0, u\.N - 1\) \* u\.K \+ off_tk_\d+;/);
    expect(wgsl).toMatch(/let d_b0_0 = buf_b\[d_b0 \+ d_k0 \+ d_kk\];/);
    // No copy anywhere: nothing of b goes through workgroup memory.
    expect(wgsl).not.toContain('var<workgroup>');
  });

  it('with unroll covering a vector, b is read in vectors along k', () => {
    const wgsl = compileWgsl(lower(MM_BT), { unroll: 4 }).wgsl;
    expect(wgsl).toContain('var<storage, read> buf_b: array<vec4<f32>>;');
    expect(wgsl).toMatch(/let d_bk0_0 = buf_b\[\(d_b0 \+ d_k0 \+ d_kk\) \/ 4\];/);
    expect(wgsl).toMatch(/let d_b0_1 = d_bk0_0\[1\];/);
  });

  it('staged, b is copied k fastest (consecutive invocations read consecutive elements)', () => {
    const wgsl = compileWgsl(lower(MM_BT), { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [2, 2], stageB: true, vectorWidth: 2 }).wgsl;
    expect(wgsl).toMatch(/let d_v = buf_b\[\(\(min\(off_tn_\d+ \+ d_p, u\.N - 1\)\) \* u\.K \+ off_tk_\d+ \+ d_k0 \+ d_q\) \/ 2\];/);
    expect(wgsl).toContain('let d_vec = u.K % 2 == 0;');
  });
});
