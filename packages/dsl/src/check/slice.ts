/**
 * Bounded slices, `x[a:b]` (NumPy's and Triton's spelling of a part of a dim). Each bound
 * is dim arithmetic: integer literals (holes included), dims and `+ - * /` over them, as
 * an output dim is written; `a` defaults to 0 and `b` to the dim. The slice is a whole
 * axis of `b - a` elements, at positions `a`.. of the dim; the extent is simplified as a
 * sum of dims (`A:A + B` is `B`, `0:D` is `D`, `1:N` is `N - 1`), so it combines with
 * tiles that have that dim. Positions outside the dim read 0 and are skipped by stores,
 * as a moved tile index's are.
 */
import type { Expr, IndexItem } from '../ast.ts';
import { dimArithText, toDimArith, type DimArith } from '../dim-arith.ts';
import type { CheckContext } from './context.ts';
import type { Dim } from './types.ts';

/** A linear form: coefficients per dim name (in order of first use) plus a constant. */
interface Linear {
  readonly terms: Map<string, number>;
  c: number;
}

function linear(d: DimArith): Linear | undefined {
  if (d.kind === 'const') return { terms: new Map(), c: d.value };
  if (d.kind === 'name') return { terms: new Map([[d.name, 1]]), c: 0 };
  const a = linear(d.a);
  const b = linear(d.b);
  if (!a || !b) return undefined;
  if (d.op === '+' || d.op === '-') return combine(a, b, d.op === '+' ? 1 : -1);
  if (d.op === '*' && a.terms.size === 0) return scale(b, a.c);
  if (d.op === '*' && b.terms.size === 0) return scale(a, b.c);
  if (d.op === '/' && a.terms.size === 0 && b.terms.size === 0 && b.c !== 0) return { terms: new Map(), c: Math.floor(a.c / b.c) };
  return undefined;
}

function combine(a: Linear, b: Linear, sign: number): Linear {
  const terms = new Map(a.terms);
  for (const [n, k] of b.terms) terms.set(n, (terms.get(n) ?? 0) + sign * k);
  for (const [n, k] of [...terms]) if (k === 0) terms.delete(n);
  return { terms, c: a.c + sign * b.c };
}

const scale = (a: Linear, k: number): Linear => combine({ terms: new Map(), c: 0 }, { terms: new Map([...a.terms].map(([n, x]) => [n, x * k])), c: a.c * k }, 1);

/** Positive terms first (`N - 1`, `B - A`), each `k * N` or `N`, the constant last. */
function linearArith(l: Linear): DimArith {
  const term = (n: string, k: number): DimArith => (k === 1 ? { kind: 'name', name: n } : { kind: 'binary', op: '*', a: { kind: 'const', value: k }, b: { kind: 'name', name: n } });
  const pos = [...l.terms].filter(([, k]) => k > 0);
  const neg = [...l.terms].filter(([, k]) => k < 0);
  let out: DimArith | undefined;
  for (const [n, k] of pos) out = out ? { kind: 'binary', op: '+', a: out, b: term(n, k) } : term(n, k);
  if (l.c > 0) out = out ? { kind: 'binary', op: '+', a: out, b: { kind: 'const', value: l.c } } : { kind: 'const', value: l.c };
  out ??= { kind: 'const', value: 0 };
  for (const [n, k] of neg) out = { kind: 'binary', op: '-', a: out, b: term(n, -k) };
  if (l.c < 0) out = { kind: 'binary', op: '-', a: out, b: { kind: 'const', value: -l.c } };
  return out;
}

export type SliceResult = { readonly ok: true; readonly extent: Dim } | { readonly ok: false; readonly at: Expr | undefined; readonly why: string; readonly hint: string };

const BOUND_HINT = 'a slice bound is an integer literal, a dim or dim arithmetic (0:D, A:A + B, 1:N - 1); to start at a run-time i32, move a tile index instead: x[tm, tn + k]';

/**
 * The extent of slice `ix` of a dim, recording a computed extent as a derived dim (its
 * size is computed, and checked not to be negative, when the kernel is called).
 */
export function sliceExtent(ctx: CheckContext, ix: IndexItem & { kind: 'slice' }, dim: Dim): SliceResult {
  const isDim = (name: string): boolean => ctx.scope.lookup(name)?.symbol.kind === 'dim';
  const bound = (e: Expr | undefined, dflt: DimArith): DimArith | undefined => (e ? toDimArith(e, isDim) : dflt);
  const whole: DimArith = dim.kind === 'const' ? { kind: 'const', value: dim.value } : ctx.derived.get(dim.name) ?? { kind: 'name', name: dim.name };
  const bad = (e: Expr | undefined): SliceResult => (e?.kind === 'unary' && e.op === '-'
    ? { ok: false, at: e, why: 'has a negative bound', hint: "bounds do not count back from the end (as Python's do): write the position, x[0:N - 1] for x[:-1]" }
    : { ok: false, at: e, why: 'has a bound that is not dim arithmetic', hint: BOUND_HINT });
  const lo = bound(ix.lo, { kind: 'const', value: 0 });
  if (!lo) return bad(ix.lo);
  const hi = bound(ix.hi, whole);
  if (!hi) return bad(ix.hi);
  const a = linear(lo);
  const b = linear(hi);
  const diff = a && b ? combine(b, a, -1) : undefined;
  if (!diff) {
    // Not a sum of dims (a product of two, a division): its own derived dim, `(hi) - (lo)`.
    const arith: DimArith = { kind: 'binary', op: '-', a: hi, b: lo };
    const name = dimArithText(arith);
    ctx.derived.set(name, arith);
    return { ok: true, extent: { kind: 'sym', name } };
  }
  const span = `${dimArithText(lo)}:${dimArithText(hi)}`;
  if (diff.terms.size === 0) {
    if (diff.c <= 0) return { ok: false, at: undefined, why: `(${span}) is empty`, hint: 'a slice a:b takes positions a to b - 1, so b must be greater than a' };
    if (a && b && dim.kind === 'const' && a.terms.size === 0 && b.terms.size === 0 && b.c > dim.value) {
      return { ok: false, at: ix.hi, why: `(${span}) ends past the dim's ${dim.value} elements`, hint: `slice within the dim: 0:${dim.value} at most` };
    }
    return { ok: true, extent: { kind: 'const', value: diff.c } };
  }
  const [only] = diff.terms;
  if (diff.terms.size === 1 && diff.c === 0 && only && only[1] === 1) return { ok: true, extent: { kind: 'sym', name: only[0] } };
  const arith = linearArith(diff);
  const name = dimArithText(arith);
  if (!(dim.kind === 'sym' && dim.name === name)) ctx.derived.set(name, arith);
  return { ok: true, extent: { kind: 'sym', name } };
}
