/**
 * A moved tile index: `out[tm, A + tn]`, `x[tm, tn - 1]`, `y[tn + k + 1]` (Helion's
 * `out[tile_m, tile_n + offset]`; Triton's pointer offsets with masks). The index keeps
 * the tile variable's axis; each element's position is the tile's plus an integer scalar.
 * Positions outside the tensor's dim are masked: a store skips them, a read gives 0.
 * Since every position is checked when the kernel runs, the moved axis need not tile
 * the indexed dim (tn tiles B, out's dim is A + B).
 */
import type { Expr, Ident } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { typeExpr, type Mode } from './expr.ts';
import { isInt, typeText, type LoopInfo, type Type } from './types.ts';

/** The tile variable and the terms added to it (`negate`: subtracted). */
export interface Shift {
  readonly loopVar: Ident;
  readonly terms: readonly { readonly expr: Expr; readonly negate: boolean }[];
}

/**
 * How `e` moves a tile variable, when it is `tv ± k` (nested: `A + tn + 1`); `isLoopVar`
 * says which names are tile variables. Undefined for anything else, `k - tn` included
 * (that reverses the tile, which no backend lays out).
 */
export function shiftOf(e: Expr, isLoopVar: (id: Ident) => boolean): Shift | undefined {
  if (e.kind === 'ident') return isLoopVar(e) ? { loopVar: e, terms: [] } : undefined;
  if (e.kind !== 'binary' || (e.op !== '+' && e.op !== '-')) return undefined;
  const left = shiftOf(e.left, isLoopVar);
  if (left) return { loopVar: left.loopVar, terms: [...left.terms, { expr: e.right, negate: e.op === '-' }] };
  if (e.op !== '+') return undefined;
  const right = shiftOf(e.right, isLoopVar);
  return right ? { loopVar: right.loopVar, terms: [{ expr: e.left, negate: false }, ...right.terms] } : undefined;
}

/** Whether `e` is written as a moved tile index (resolving names in the current scope). */
export function isShiftIndex(ctx: CheckContext, e: Expr): boolean {
  return e.kind === 'binary' && shiftOf(e, (id) => ctx.scope.lookup(id.name)?.symbol.kind === 'loop') !== undefined;
}

/**
 * Types a moved tile index as its tile variable (the axis it indexes with); each added
 * term must be an integer scalar.
 */
export function typeShift(ctx: CheckContext, e: Expr, mode: Mode): Type {
  const shift = shiftOf(e, (id) => ctx.scope.lookup(id.name)?.symbol.kind === 'loop');
  if (!shift) return typeExpr(ctx, e, mode);
  const tv = typeExpr(ctx, shift.loopVar, mode);
  let ok = tv.kind === 'loopVar';
  for (const term of shift.terms) {
    const t = typeExpr(ctx, term.expr, mode);
    if (t.kind === 'error') ok = false;
    else if (t.kind !== 'scalar' || !isInt(t.dtype)) {
      const name = shift.loopVar.name;
      ctx.report('TSR2056', term.expr.span, `tile variable '${name}'`, `an offset that is ${typeText(t)}`,
        `a tile index moves by an integer scalar (a dim, an i32 parameter or literal, ${name === 'tn' ? 'tm' : 'tn'}.begin): out[tm, A + ${name}]; convert a float with i32(…)`);
      ok = false;
    }
  }
  if (!ok || tv.kind !== 'loopVar') return ctx.setType(e, { kind: 'error' });
  const loop: LoopInfo = tv.loop;
  return ctx.setType(e, { kind: 'loopVar', loop });
}
