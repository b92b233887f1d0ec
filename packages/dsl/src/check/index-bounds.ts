/**
 * Scalar subscripts the dims fix (`x[3]`, `x[N - 1]`, `x[2 * K]`): integer literals and
 * dim arithmetic over `+ - *`. Their value is known before the kernel runs, so a
 * subscript outside its dim is the author's or caller's mistake, reported then rather
 * than read as 0: a literal against a literal dim now (TSR2060), anything with a
 * symbolic dim when the kernel is called (the runtime checks each IndexBound against the
 * sizes the arguments bind). Every other scalar subscript (a parameter, a loop variable,
 * a value read from a tensor) is only known while the kernel runs: each backend reads 0
 * and skips the store where it is outside (docs/language.md, "Out-of-range indices").
 */
import type { Expr, Span } from '../ast.ts';
import { constInt } from './call.ts';
import { dimArithText, toDimArith, type DimArith } from '../dim-arith.ts';
import type { CheckContext } from './context.ts';
import { dimText, type Dim } from './types.ts';

/** A dim-arithmetic subscript the runtime checks against the sizes at call time. */
export interface IndexBound {
  /** The subscript's canonical text (`N - 5`). */
  readonly text: string;
  readonly arith: DimArith;
  readonly tensor: string;
  /** Which of the tensor's dims it indexes, and that dim. */
  readonly axis: number;
  readonly dim: Dim;
  readonly span: Span;
}

/** Division rounds differently in dim arithmetic (down) and in i32 code (toward 0). */
const divides = (d: DimArith): boolean => d.kind === 'binary' && (d.op === '/' || divides(d.a) || divides(d.b));

/**
 * Checks scalar subscript `e` of dim `axis` of `tensor` when the dims fix its value;
 * records it in `ctx.indexBounds` when that is only known at call time.
 */
export function checkFixedIndex(ctx: CheckContext, e: Expr, tensor: string, axis: number, dim: Dim): void {
  const c = constInt(e);
  if (c !== undefined && c < 0) {
    const back = dim.kind === 'const' ? String(dim.value + c) : `${dimText(dim)} - ${-c}`;
    ctx.report('TSR2060', e.span, c, axis, tensor, dimText(dim), `Tessera does not count from the end (as Python does): write ${back} for the element ${-c} from the end`);
    return;
  }
  const arith = c !== undefined ? { kind: 'const' as const, value: c } : toDimArith(e, (name) => ctx.scope.lookup(name)?.symbol.kind === 'dim');
  if (!arith || divides(arith)) return;
  if (arith.kind === 'const' && dim.kind === 'const') {
    if (arith.value >= dim.value) ctx.report('TSR2060', e.span, arith.value, axis, tensor, dim.value, dim.value === 0 ? 'the dimension is empty: it has no element to index' : `valid indices are 0 to ${dim.value - 1}`);
    return;
  }
  ctx.indexBounds.set(e, { text: dimArithText(arith), arith, tensor, axis, dim, span: e.span });
}
