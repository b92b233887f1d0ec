/**
 * Dimension arithmetic: an output dim written as an expression of the dims parameters
 * bind (`f32[M, A + B]`, `empty([2 * N], f32)`, `f32[(N + 1) / 2]`). Integer `+`, `-`,
 * `*` and `/` (division rounds down, like Python's `//`) over dim names and integer
 * literals. Such a dim is not bound by an argument: its size is evaluated when the kernel
 * is called, from the sizes the arguments bound.
 *
 * Everywhere else (types, IR, backends) such a dim is an ordinary symbolic dim whose name
 * is the expression's canonical text (`A + B`): two spellings of the same expression
 * (`A+B`, `(A + B)`) name the same dim, and every backend reads its size the way it reads
 * any dim's.
 */
import type { Expr } from './ast.ts';

export type DimOp = '+' | '-' | '*' | '/';

export type DimArith =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'binary'; readonly op: DimOp; readonly a: DimArith; readonly b: DimArith };

const OPS: readonly string[] = ['+', '-', '*', '/'];
const PRECEDENCE: Readonly<Record<DimOp, number>> = { '+': 1, '-': 1, '*': 2, '/': 2 };

/**
 * The arithmetic an expression spells, when it is made only of names `isDim` accepts,
 * non-negative integer literals and `+ - * /`; otherwise undefined.
 */
export function toDimArith(e: Expr, isDim: (name: string) => boolean): DimArith | undefined {
  if (e.kind === 'ident') return isDim(e.name) ? { kind: 'name', name: e.name } : undefined;
  if (e.kind === 'number') return !e.isFloat && Number.isInteger(e.value) && e.value >= 0 ? { kind: 'const', value: e.value } : undefined;
  if (e.kind !== 'binary' || !OPS.includes(e.op)) return undefined;
  const a = toDimArith(e.left, isDim);
  const b = toDimArith(e.right, isDim);
  return a && b ? { kind: 'binary', op: e.op as DimOp, a, b } : undefined;
}

/** The canonical text: single spaces around operators, parentheses only where needed. */
export function dimArithText(d: DimArith): string {
  if (d.kind === 'name') return d.name;
  if (d.kind === 'const') return String(d.value);
  const p = PRECEDENCE[d.op];
  const side = (x: DimArith, right: boolean): string => {
    const t = dimArithText(x);
    if (x.kind !== 'binary') return t;
    const q = PRECEDENCE[x.op];
    // `A - (B + C)` and `A / (B * C)` keep theirs: the right side of - and / does not regroup.
    return q < p || (right && q === p && (d.op === '-' || d.op === '/' || x.op === '-' || x.op === '/')) ? `(${t})` : t;
  };
  return `${side(d.a, false)} ${d.op} ${side(d.b, true)}`;
}

/** The dim names an expression reads, in order of first use. */
export function dimArithNames(d: DimArith): string[] {
  if (d.kind === 'name') return [d.name];
  if (d.kind === 'const') return [];
  return [...new Set([...dimArithNames(d.a), ...dimArithNames(d.b)])];
}

/** The value, or why there is none (a name without a size, division by zero). */
export function evalDimArith(d: DimArith, sizes: (name: string) => number | undefined): { value: number } | { why: string } {
  if (d.kind === 'const') return { value: d.value };
  if (d.kind === 'name') {
    const v = sizes(d.name);
    return v === undefined ? { why: `${d.name} has no size` } : { value: v };
  }
  const a = evalDimArith(d.a, sizes);
  if (!('value' in a)) return a;
  const b = evalDimArith(d.b, sizes);
  if (!('value' in b)) return b;
  switch (d.op) {
    case '+': return { value: a.value + b.value };
    case '-': return { value: a.value - b.value };
    case '*': return { value: a.value * b.value };
    case '/': return b.value === 0 ? { why: `${dimArithText(d.b)} is 0 in a division` } : { value: Math.floor(a.value / b.value) };
  }
}

/** An output dim computed from others at call time: its name is the canonical text. */
export interface DerivedDim {
  readonly name: string;
  readonly arith: DimArith;
}
