/**
 * Lowering of tile positions and unit-axis views: the IR they become, the WGSL a
 * position turns into, and TSR3002 errors that say where the unsupported construct is.
 * (Their results on both backends are checked by test/conformance/cases-language.ts.)
 */
import { describe, expect, it } from 'vitest';
import { compileWgsl, dimsNeedingValues, printKernel, specializeDims, UnsupportedError } from 'tessera-gpu-compiler';
import { lower } from './support.ts';

const CAUSAL_MASK = `fn tril(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    if tn.begin < tm.end {
      out[tm, tn] = where(tm.index[:, None] >= tn.index[None, :], x[tm, tn], 0.0);
    } else {
      out[tm, tn] = zeros([tm, tn], f32);
    }
  }
  return out;
}`;

describe('positions and views in the IR', () => {
  it('tn.index is a position, tn.begin/tn.end tile bounds, [:, None] a view', () => {
    const ir = printKernel(lower(CAUSAL_MASK));
    expect(ir).toContain('lt(tn.begin, tm.end)');
    expect(ir).toContain('view(tm.index -> i32[tm, 1])');
    expect(ir).toContain('view(tn.index -> i32[1, tn])');
  });

  it('a [tm, 1] column stored into out[tm] is squeezed by a view', () => {
    const ir = printKernel(lower(`fn k(x: f32[M, N]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    out[tm] = max(x[tm, :], axis=1, keepdim=true);
  }
  return out;
}`));
    expect(ir).toMatch(/out\[tm\] = view\(@m\d+ -> f32\[tm\]\)/);
  });

  it('positions become offset + coordinate in WGSL, and tn.end is clamped to the dim', () => {
    const wgsl = compileWgsl(lower(CAUSAL_MASK), { blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }).wgsl;
    expect(wgsl).toMatch(/min\(off_tm\w* \+ 8, u\.M\)/);
    expect(wgsl).toMatch(/\(off_tm\w* \+ c\d+\) >= \(off_tn\w* \+ c\d+\)/);
  });
});

describe('TSR3002 points at the construct', () => {
  it('an unsupported statement names its kernel line:col', () => {
    const source = `fn k(x: f32[M, N]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    var r = zeros([tm, N], f32);
    r += x[tm, :];
    out[tm] = sum(r, axis=1);
  }
  return out;
}`;
    let caught: unknown;
    try {
      compileWgsl(lower(source));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnsupportedError);
    const err = caught as UnsupportedError;
    expect(err.code).toBe('TSR3002');
    expect(err.span?.start).toMatchObject({ line: 4, col: 5 });
    expect(err.message).toContain('at kernel:4:5');
    expect(err.hint).toBeTruthy();
  });
});

describe('symbolic dims of tile locals are specialised per value', () => {
  const ROW_ACC = `fn k(x: f32[M, D], w: f32[D, D]) -> f32[M, D] {
  let out = empty([M, D], f32);
  for tm in tile(M) {
    var acc = zeros([tm, D], f32);
    acc += x[tm, :] @ w[:, :];
    out[tm, :] = acc * f32(D);
  }
  return out;
}`;

  it('names the dims a WGSL lowering needs, and only those', () => {
    expect(dimsNeedingValues(lower(ROW_ACC))).toEqual(['D']);
    expect(dimsNeedingValues(lower(CAUSAL_MASK))).toEqual([]);
  });

  it('compiles once D is a constant, which the unspecialised kernel cannot', () => {
    const ir = lower(ROW_ACC);
    expect(() => compileWgsl(ir)).toThrow(UnsupportedError);
    const wgsl = compileWgsl(specializeDims(ir, { D: 80 })).wgsl;
    expect(wgsl).not.toMatch(/u\.D\b(?!:)/);
    expect(wgsl).toMatch(/80/);
    // The unspecialised IR is untouched (specializeDims copies).
    expect(printKernel(ir)).toContain(':D');
  });
});
