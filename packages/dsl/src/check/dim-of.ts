/**
 * A dim written as arithmetic in a shape (`empty([M, A + B], f32)`, `tile(A + B)`): the
 * symbolic dim named by its canonical text, recorded as derived so that its size is
 * computed when the kernel is called (dim-arith.ts). Arithmetic of literals only folds
 * to a fixed dim.
 */
import type { Expr } from '../ast.ts';
import { dimArithNames, dimArithText, evalDimArith, toDimArith } from '../dim-arith.ts';
import type { CheckContext } from './context.ts';
import type { Dim } from './types.ts';

/** The dim a binary expression over dims spells, or undefined when it is not one. */
export function arithDim(ctx: CheckContext, e: Expr): Dim | undefined {
  if (e.kind !== 'binary') return undefined;
  const arith = toDimArith(e, (name) => ctx.scope.lookup(name)?.symbol.kind === 'dim');
  if (!arith) return undefined;
  if (dimArithNames(arith).length === 0) {
    const folded = evalDimArith(arith, () => undefined);
    return 'value' in folded && folded.value > 0 ? { kind: 'const', value: folded.value } : undefined;
  }
  const name = dimArithText(arith);
  ctx.derived.set(name, arith);
  return { kind: 'sym', name };
}
