/**
 * Block sizes declared once and used twice (Helion's `hl.register_block_size`):
 *
 *   let bd = block_size(D);                 // a config knob: blocks: { bd: 32 }
 *   var acc = zeros([tm, bd], f32);         // an accumulator one block of D wide
 *   for td in tile(D, block=bd) {           // the loop walks D in blocks of bd
 *     acc += x[tm, td];                     // [tm, bd]: the same axis
 *   }
 *
 * `bd` is a nested tile loop declared before it runs: one LoopInfo (flagged `blockSize`)
 * that every loop written with `block=bd` shares, so a tile `[tm, td]` inside such a loop
 * and the accumulator `[tm, bd]` outside it have the same block axis. Outside every loop
 * over it the axis reads as the loop's first tile (offset 0), so a ragged D masks the
 * accumulator's columns past D, which no tile ever wrote. As a value, `bd` is the i32 block.
 */
import type { Call, Expr, VarDecl } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { arithDim } from './dim-of.ts';
import { typeExpr, type Mode } from './expr.ts';
import { dimEquals, dimText, type Dim, type LoopInfo } from './types.ts';

/** `block_size(…)`: a call that only a `let` may bind. */
export function isBlockSizeCall(e: Expr): e is Call {
  return e.kind === 'call' && e.callee.kind === 'named' && e.callee.name === 'block_size';
}

const DECLARE_HINT = 'declare it once before the loops that use it: let bd = block_size(D); then for td in tile(D, block=bd) { … } and zeros([tm, bd], f32)';

/** A `block_size(…)` call anywhere but as a `let`'s whole value. */
export function reportBlockSizeCall(ctx: CheckContext, e: Call): void {
  ctx.report('TSR2059', e.span, 'block_size(…)', 'is only the whole value of a let', DECLARE_HINT);
}

/** `let bd = block_size(D);` in host or device code: declares `bd`, or reports why not. */
export function declareBlockSize(ctx: CheckContext, s: VarDecl, init: Call, mode: Mode): void {
  const declareAsError = (): void => {
    ctx.declare(s.name, { kind: 'local', name: s.name, id: ctx.freshId(`${s.name}_`), mutable: false, type: { kind: 'error' }, span: s.nameSpan }, s.nameSpan, false);
  };
  ctx.setType(init, { kind: 'scalar', dtype: 'i32' });
  if (mode === 'func') {
    ctx.report('TSR2016', init.span, 'block_size(…)', 'a block size belongs to a kernel: declare it there and pass values in', 'a device function');
    return declareAsError();
  }
  if (s.mutable) {
    ctx.report('TSR2059', s.span, `'${s.name}'`, 'is declared with var', `a block size is fixed for a run (the config picks it): let ${s.name} = block_size(…);`);
    return declareAsError();
  }
  const kw = init.kwargs[0];
  if (kw) {
    ctx.report('TSR2008', kw.span, 'block_size', kw.name, 'none (the config chooses the block: blocks: { name: 32 })');
    return declareAsError();
  }
  const arg = init.args[0];
  const dim = arg && init.args.length === 1 ? blockSizeDim(ctx, arg) : undefined;
  if (!dim) {
    const got = init.args.length !== 1 ? `${init.args.length} arguments` : arg?.kind === 'ident' ? `'${arg.name}'` : 'an expression';
    ctx.report('TSR2007', arg && init.args.length === 1 ? arg.span : init.span, 'block_size', 'one dimension name from the parameter types', got, `block_size(D) where D appears in a parameter type, as in tile(D)`);
    return declareAsError();
  }
  const loop: LoopInfo = { id: ctx.freshId(`${s.name}#`), name: s.name, dim, fixedBlock: undefined, level: 'nested', iter: 'tile', blockSize: true };
  ctx.blockSizes.push(loop);
  const sym = { kind: 'blockSize' as const, loop, span: s.nameSpan };
  ctx.declare(s.name, sym, s.nameSpan, true);
  ctx.decls.set(s, sym);
}

/** The dim of `block_size(D)`: a dim name or dim arithmetic, as `tile(…)` takes. */
function blockSizeDim(ctx: CheckContext, d: Expr): Dim | undefined {
  if (d.kind === 'ident' && ctx.scope.lookup(d.name)?.symbol.kind === 'dim') {
    ctx.resolve(d);
    ctx.setType(d, { kind: 'scalar', dtype: 'i32' });
    return { kind: 'sym', name: d.name };
  }
  if (d.kind === 'number' && Number.isInteger(d.value) && d.value > 0) return { kind: 'const', value: d.value };
  if (d.kind === 'binary' && arithDim(ctx, d)) {
    typeExpr(ctx, d, 'host');
    return arithDim(ctx, d);
  }
  return undefined;
}

/**
 * `tile(D, block=bd)` with `bd` a declared block size: the loop it shares, or undefined
 * after a diagnostic. `dims` are the loop's dims; `level` where it runs.
 */
export function blockSizeLoop(ctx: CheckContext, value: Expr, loop: LoopInfo, dims: readonly Dim[], level: LoopInfo['level']): LoopInfo | undefined {
  const name = loop.name;
  if (dims.length !== 1) {
    ctx.report('TSR2059', value.span, `'${name}'`, `is the block of one dimension (${dimText(loop.dim)}), not of ${dims.length}`, `split the loop: for tm in tile(M) { for td in tile(${dimText(loop.dim)}, block=${name}) { … } }`);
    return undefined;
  }
  const dim = dims[0];
  if (dim && !dimEquals(dim, loop.dim)) {
    ctx.report('TSR2059', value.span, `'${name}'`, `is a block of ${dimText(loop.dim)}, not of ${dimText(dim)}`, `tile ${dimText(loop.dim)} with it (tile(${dimText(loop.dim)}, block=${name})), or declare one for ${dimText(dim)}: let b = block_size(${dimText(dim)});`);
    return undefined;
  }
  if (level === 'grid') {
    ctx.report('TSR2059', value.span, `'${name}'`, 'sets the block of a loop in the launch grid', `a launch loop's block is already a config knob named by its variable (blocks: { tm: 64 }), and zeros([tm], f32) inside it is one block long; use block sizes for nested loops`);
    return undefined;
  }
  return loop;
}
