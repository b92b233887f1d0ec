/**
 * lowerBatchedDot in the IR, without an adapter: a batched `@` over 3-D tiles becomes a
 * loop over the batch tile's elements of 2-D products (the only `@` the backends see),
 * accumulating in place where it can; transposes of 3-D tiles swap the last two axes.
 * The conformance suite (cases-batched-dot.ts) runs these kernels on every backend.
 */
import { describe, expect, it } from 'vitest';
import { batchAsGrid, compileWgsl, configProblems, configSpace, printKernel, resolveConfig, verifyKernel, type KernelIR, type Stmt, type Value } from 'tessera-gpu-compiler';
import { LAVAPIPE_LIMITS, lower } from './support.ts';

/** Every `@` left in a kernel after the passes. */
function walkDots(k: KernelIR): (Value & { kind: 'dot' })[] {
  const out: (Value & { kind: 'dot' })[] = [];
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'materialize' && s.value.kind === 'dot') out.push(s.value);
      if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') visit(s.body);
      if (s.kind === 'if') {
        visit(s.then);
        visit(s.otherwise);
      }
    }
  };
  visit(k.body);
  return out;
}

const BMM = `fn bmm(a: f32[B, M, K], b: f32[B, K, N]) -> f32[B, M, N] {
  let out = empty([B, M, N], f32);
  for (tb, tm, tn) in tile([B, M, N]) {
    var acc = zeros([tb, tm, tn], f32);
    for tk in tile(K) {
      acc += a[tb, tm, tk] @ b[tb, tk, tn];
    }
    out[tb, tm, tn] = acc;
  }
  return out;
}`;

const SCORES = `fn scores(q: f32[H, M, D], k: f32[H, N, D]) -> f32[H, M, N] {
  let out = empty([H, M, N], f32);
  for (th, tm, tn) in tile([H, M, N]) {
    var w = k[th, tn, :] * 2.0;
    out[th, tm, tn] = q[th, tm, :] @ transpose(w);
  }
  return out;
}`;

describe('a batched @ in the IR', () => {
  it('leaves only 2-D products, each of the operands at one batch element', () => {
    const ir = lower(BMM);
    const dots = walkDots(ir);
    expect(dots.map((d) => d.type.axes.length)).toEqual([2]);
    expect(printKernel(ir)).toMatch(/for %bdot\d+i in range\(0:i32, sub\(tb\.end, tb\.begin\)\) \{/);
    expect(printKernel(ir)).toMatch(/dot\(a\[add\(tb\.begin, %bdot\d+i\), tm, tk\], b\[add\(tb\.begin, %bdot\d+i\), tk, tn\]\) -> f32\[tm, tn\]/);
  });

  it('acc += a @ b accumulates into acc in place: no result local, no copy', () => {
    const text = printKernel(lower(BMM));
    expect(text).toMatch(/%acc_\d+ = select\(eq\(view\(tb\.index -> i32\[tb, 1, 1\]\), add\(tb\.begin, %bdot\d+i\)\), add\(%acc_\d+, @bdot\d+p\), %acc_\d+\)/);
    expect(text).not.toMatch(/%bdot\d+r/);
  });

  it('a rescaled accumulator starts a result local from its value, then is copied back', () => {
    const text = printKernel(lower(BMM.replace('acc += a[tb, tm, tk] @ b[tb, tk, tn];', 'acc = acc * 0.5 + a[tb, tm, tk] @ b[tb, tk, tn];')));
    expect(text).toMatch(/var %bdot\d+r = mul\(%acc_\d+, 0\.5:f32\)/);
    expect(text).toMatch(/%acc_\d+ = %bdot\d+r/);
  });

  it('an operand held in a var is sliced by summing it where the batch coordinate matches', () => {
    const text = printKernel(lower(SCORES));
    expect(text).toMatch(/@bdot\d+s = sum\(select\(eq\(view\(th\.index -> i32\[th, 1, 1\]\), add\(th\.begin, %bdot\d+i\)\), %w_\d+, 0:f32\), axis=0\) -> f32\[tn, :D\]/);
    expect(text).toMatch(/dot\(q\[add\(th\.begin, %bdot\d+i\), tm, :\], transpose\(@bdot\d+s\)\)/);
  });

  it('a product whose result is stored directly reads a zero-started result local', () => {
    const text = printKernel(lower(SCORES));
    expect(text).toMatch(/var %bdot\d+r = fill\(0:f32 -> f32\[th, tm, tn\]\)/);
    expect(text).toMatch(/out\[th, tm, tn\] = %bdot\d+r/);
  });

  it('a batch loop defaults to block 1 (one matrix per workgroup, like grid(B))', () => {
    expect(resolveConfig(lower(BMM), {}).blocks).toMatchObject({ tb: 1 });
  });

  it("the WGSL autotuner keeps the batch block at 1 (the slow workgroup-memory form is not searched); a config may still set it", () => {
    const ir = lower(BMM);
    const space = configSpace(ir, LAVAPIPE_LIMITS);
    expect(space.knobs.map((k) => k.name)).not.toContain('blocks.tb');
    expect(space.knobs.map((k) => k.name)).toEqual(expect.arrayContaining(['blocks.tm', 'blocks.tn', 'blocks.tk']));
    expect(space.build({}).blocks['tb']).toBe(1);
    expect(configProblems(ir, resolveConfig(ir, { blocks: { tb: 2, tm: 32, tn: 32 }, microTile: [4, 4] }), LAVAPIPE_LIMITS)).toEqual([]);
  });
});

describe('transpose of a 3-D tile', () => {
  it('the verifier takes the last two axes swapped and rejects a moved batch axis', () => {
    const ir = lower(SCORES.replace('var w = k[th, tn, :] * 2.0;', 'var w = transpose(transpose(k[th, tn, :]));'));
    verifyKernel(ir, { hoisted: true });
    const declare = ir.body.find((s) => s.kind === 'declare');
    if (declare?.kind !== 'declare' || declare.init.kind !== 'transpose') throw new Error('no transpose');
    const x: Value = declare.init.x;
    const [b, r, c] = x.type.axes;
    if (!b || !r || !c) throw new Error('not 3-D');
    const moved: Value = { kind: 'transpose', x, type: { dtype: 'f32', axes: [r, b, c] } };
    const broken: KernelIR = { ...ir, body: [{ ...declare, init: moved }, ...ir.body.slice(1)] };
    expect(() => verifyKernel(broken, { hoisted: true })).toThrow(/transpose must swap the last two axes of a 2-D or 3-D tile/);
  });
});

describe('a batch loop at block 1 in WGSL', () => {
  it('runs as a grid loop: the accumulator is the register micro-tile and the product fuses into it', () => {
    const wgsl = compileWgsl(lower(BMM), { blocks: { tb: 1, tm: 32, tn: 32, tk: 16 }, microTile: [4, 4] }).wgsl;
    expect(wgsl).not.toContain('var<workgroup>');
    expect(wgsl).toMatch(/reg_acc_\d+/);
    // One matrix per program: the batch index is the program's, no loop over the block.
    expect(wgsl).not.toMatch(/bdot\d+i/);
    expect(wgsl).toMatch(/let d_a0 = \(off_tb_\d+\) \* u\.M \* u\.K \+ /);
  });

  it('the rewritten kernel verifies, with the batch loop in the grid and no axis of it left', () => {
    const ir = lower(BMM);
    const grid = batchAsGrid(ir, resolveConfig(ir, { blocks: { tb: 1 } }));
    verifyKernel(grid, { hoisted: true }, 'batchAsGrid');
    expect(grid.grid.map((l) => `${l.name}:${l.iter}`)).toEqual(['tb:grid', 'tm:tile', 'tn:tile']);
    expect(printKernel(grid)).not.toMatch(/\[tb, /);
    expect(printKernel(grid)).toMatch(/@bdot\d+p = dot\(a\[pid\(tb\), tm, tk\], b\[pid\(tb\), tk, tn\], acc=%acc_\d+\)/);
  });

  it('a larger batch block keeps the 3-D accumulator in workgroup memory and loops over the block', () => {
    const wgsl = compileWgsl(lower(BMM), { blocks: { tb: 2, tm: 16, tn: 16, tk: 16 }, microTile: [2, 2] }).wgsl;
    expect(wgsl).toMatch(/var<workgroup> tile_acc_\d+: array<f32, 512>;/);
    expect(wgsl).toMatch(/for \(var bdot\d+i: i32 = /);
  });

  it('is left alone where the batch axis is one a reduction works along (an operand held in a var)', () => {
    const withVar = BMM.replace('acc += a[tb, tm, tk] @ b[tb, tk, tn];', 'var w = b[tb, tk, tn] * 2.0;\n      acc += a[tb, tm, tk] @ w;');
    const wgsl = compileWgsl(lower(withVar), { blocks: { tb: 1, tm: 16, tn: 16, tk: 16 }, microTile: [2, 2] }).wgsl;
    expect(wgsl).toMatch(/for \(var bdot\d+i: i32 = /);
  });
});
