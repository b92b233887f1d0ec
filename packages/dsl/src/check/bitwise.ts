/**
 * Typing of the bitwise operators `&` `|` `^` `<<` `>>` and unary `~`: integers only
 * (i32 or u32, scalars or tiles). `&` `|` `^` need one dtype on both sides, as the
 * arithmetic operators do (literals adopt the other side's); a shift has the dtype of
 * the value shifted, and its amount may be either integer type (it is taken mod 32).
 */
import type { AssignOp, Assign, Binary, Expr, ScalarType } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { ERROR, makeValue, typeText, type Axis, type Type } from './types.ts';

export const BITWISE_OPS: ReadonlySet<string> = new Set(['&', '|', '^', '<<', '>>']);

/** `&=` `|=` `^=` `<<=` `>>=`: typed as `target op value`, stored back into the target. */
export const isCompoundBitwise = (op: AssignOp): boolean => BITWISE_OPS.has(op.slice(0, -1));
export const isCompoundShift = (op: AssignOp): boolean => op === '<<=' || op === '>>=';

const isInt = (d: ScalarType): boolean => d === 'i32' || d === 'u32';

/** Why `d` cannot take a bitwise operator, as a hint. */
export function bitwiseHint(op: string, d: ScalarType): string {
  if (d === 'bool') {
    if (op === '&' || op === '|') return `bitwise operators take i32 or u32; for bools write ${op}${op}`;
    if (op === '~') return 'bitwise operators take i32 or u32; for a bool write !';
    if (op === '^') return 'bitwise operators take i32 or u32; for an exclusive or of bools write a != b';
    return 'bitwise operators take i32 or u32; convert the bool with u32(…)';
  }
  return 'bitwise operators take i32 or u32, not floats: convert with i32(…) or u32(…) first (or compare)';
}

export interface ValueShape {
  readonly dtype: ScalarType;
  readonly axes: readonly Axis[];
}

/**
 * The type of `e` (a bitwise binary operator) with operand shapes `l`, `r` and the
 * broadcast `axes`; `unify` is the checker's dtype unification for `&` `|` `^`.
 */
export function typeBitwise(
  ctx: CheckContext, e: Binary, lt: Type, rt: Type, l: ValueShape, r: ValueShape, axes: readonly Axis[],
  unify: () => { ok: true; dtype: ScalarType } | { ok: false; hint: string },
  isLiteral: (e: Expr) => boolean,
): Type {
  // An integer literal is typed i32 here and adopts the other side's dtype below.
  const bad = !isInt(l.dtype) ? l.dtype : !isInt(r.dtype) ? r.dtype : undefined;
  if (bad !== undefined) {
    ctx.report('TSR2004', e.span, e.op, typeText(lt), typeText(rt), bitwiseHint(e.op, bad));
    return ERROR;
  }
  if (e.op === '<<' || e.op === '>>') {
    // The value shifted gives the dtype; a literal one takes the amount's (`1 << k` with
    // k u32 is u32), except a negative one, which stays i32 so `-8 >> k` is -4 at k = 1.
    const dtype = isLiteral(e.left) && e.left.kind === 'number' && !isLiteral(e.right) ? r.dtype : l.dtype;
    return makeValue(dtype, axes);
  }
  const unified = unify();
  if (!unified.ok) {
    ctx.report('TSR2004', e.span, e.op, typeText(lt), typeText(rt), unified.hint);
    return ERROR;
  }
  return makeValue(unified.dtype, axes);
}

/**
 * A compound bitwise assignment `t op= v`: both sides integers, and for `&=` `|=` `^=` one
 * dtype (an integer literal adopts the target's); a shift's amount may be either integer
 * type. Reports TSR2004 as the binary operator would; true when the types are right.
 */
export function checkCompoundBitwise(ctx: CheckContext, s: Assign, tt: Type, vt: Type, target: ScalarType, value: ScalarType): boolean {
  const op = s.op.slice(0, -1);
  const literal = s.value.kind === 'number' || (s.value.kind === 'unary' && (s.value.op === '-' || s.value.op === '~') && s.value.operand.kind === 'number');
  const bad = !isInt(target) ? target : !isInt(value) ? value : undefined;
  if (bad !== undefined) {
    ctx.report('TSR2004', s.span, s.op, typeText(tt), typeText(vt), bitwiseHint(op, bad));
    return false;
  }
  if (op === '<<' || op === '>>' || target === value || literal) return true;
  ctx.report('TSR2004', s.span, s.op, typeText(tt), typeText(vt), `convert the value with ${target}(…): ${s.op} keeps the target's dtype`);
  return false;
}
