/**
 * Grid loops in the IR and the WGSL backend, without an adapter: the launch grid and the
 * program's index in the IR, the verifier's checks on them, no config knob for them,
 * and the `@` fast path (vector loads) on one matrix of a batch.
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, configSpace, printKernel, resolveConfig, verifyKernel, DEFAULT_LIMITS, type KernelIR, type Stmt } from 'tessera-gpu-compiler';
import { batchedMatmul } from '../../examples/batched-matmul.ts';
import { lower } from './support.ts';

// The batched matmul example's own text (the IR and WGSL below are checked against it).
const BMM = batchedMatmul.def.source.text;

describe('grid loops in the IR', () => {
  it('the grid loop and the tile loop it holds form the launch grid; the index is pid(q)', () => {
    const text = printKernel(lower(BMM));
    expect(text).toContain('grid pid(q), tm, tn {');
    expect(text).toMatch(/@m0 = dot\(a\[pid\(q\), tm, tk\], b\[pid\(q\), tk, tn\], acc=%acc_\d+\)/);
  });

  it('grid loops are not config knobs: no block, nothing in the config space', () => {
    const ir = lower(BMM);
    expect(ir.loops.map((l) => l.name)).toEqual(['tm', 'tn', 'tk']);
    expect(Object.keys(resolveConfig(ir, {}).blocks)).toEqual(['tm', 'tn', 'tk']);
    expect(configSpace(ir, DEFAULT_LIMITS).knobs.map((k) => k.name)).not.toContain('blocks.q');
    expect(() => compileWgsl(ir, { blocks: { q: 2 } })).toThrow(/no tile loop named 'q'/);
  });

  it('the default block of a tile loop in a grid loop counts only the tiled grid loops', () => {
    const ir = lower(`fn k(x: f32[B, N]) -> f32[B, N] {
  let out = empty_like(x);
  for q in grid(B) {
    for tn in tile(N) {
      out[q, tn] = x[q, tn] * 2.0;
    }
  }
  return out;
}`);
    expect(resolveConfig(ir, {}).blocks).toEqual({ tn: 256 });
  });

  it('the verifier rejects an index of a loop outside the launch grid, and a grid loop run as a nested loop', () => {
    const ir = lower(BMM);
    const q = ir.grid[0];
    if (!q) throw new Error('no grid');
    const stranger = { ...q, id: 'elsewhere#9' };
    const withStranger: KernelIR = { ...ir, body: [{ kind: 'declare', id: 'x_1', name: 'x', init: { kind: 'gridIndex', loop: stranger, type: { dtype: 'i32', axes: [] } } }, ...ir.body] };
    expect(() => verifyKernel(withStranger, { hoisted: true })).toThrow(/pid\(q\) must be an i32 scalar of a grid loop of the launch grid/);
    const nested: Stmt = { kind: 'tileLoop', loop: q, body: [] };
    expect(() => verifyKernel({ ...ir, body: [...ir.body, nested] }, { hoisted: true })).toThrow(/q is a launch-grid or grid loop, not a nested tile loop/);
  });
});

describe('grid loops in WGSL', () => {
  it('the program index is the grid loop offset (block 1), decoded from the tile id like any grid loop', () => {
    const wgsl = compileWgsl(lower(BMM), { groupM: 1 }).wgsl;
    expect(wgsl).toMatch(/let n_q_\d+ = \(u\.B \+ 0\) \/ 1;/);
    expect(wgsl).toMatch(/let off_q_\d+ = \(t_\d+\) \* 1;/);
  });

  it('the @ reads one matrix of a batch with the vector loads of a 2-D operand, offset by q·M·K', () => {
    const wgsl = compileWgsl(lower(BMM), {}).wgsl;
    expect(wgsl).toContain('var<storage, read> buf_a: array<vec4<f32>>;');
    expect(wgsl).toContain('var<storage, read> buf_b: array<vec4<f32>>;');
    expect(wgsl).toMatch(/let d_a0 = \(off_q_\d+\) \* u\.M \* u\.K \+ min\(/);
    expect(wgsl).toMatch(/let d_bv0 = \(off_q_\d+\) \* u\.K \* u\.N \+ min\(/);
  });
});
