/**
 * Integer literals must fit the dtype they take. A literal adopts the dtype of what it
 * meets (expr.ts unifyDtypes), and every backend then holds it in 32 bits: unchecked,
 * `3000000000` as an i32 would silently become -1294967296 and `-1` as a u32 4294967295.
 * Each place where a literal takes a dtype calls `reportLiteralMisfit`; a literal that
 * meets nothing is an i32. Floats, bools and literals that become floats are not checked
 * here (TSR1036 covers float range).
 */
import type { Expr, ScalarType } from '../ast.ts';
import type { CheckContext } from './context.ts';

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const U32_MAX = 4294967295;

/** The value of `e` when it is an integer literal, negated or not (holes included). */
export function integerLiteralValue(e: Expr): number | undefined {
  if (e.kind === 'number') return e.isFloat ? undefined : e.value;
  if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'number' && !e.operand.isFloat) return -e.operand.value;
  return undefined;
}

const hex = (v: number): string => `0x${v.toString(16).toUpperCase()}`;

/**
 * Reports TSR2070 (out of the dtype's range) or TSR2071 (negative meeting u32) when `e`
 * is an integer literal that `dtype` cannot hold; true when it reported.
 */
export function reportLiteralMisfit(ctx: CheckContext, e: Expr, dtype: ScalarType): boolean {
  // `~lit` holds lit in the dtype it takes, then flips the bits: check lit itself.
  if (e.kind === 'unary' && e.op === '~') return reportLiteralMisfit(ctx, e.operand, dtype);
  const v = integerLiteralValue(e);
  if (v === undefined) return false;
  if (dtype === 'u32' && v < 0) {
    const bits = v >= I32_MIN ? ` (${hex(v >>> 0)} = ${v >>> 0} has the same bits)` : '';
    ctx.report('TSR2071', e.span, String(v), bits);
    return true;
  }
  if (dtype === 'i32' && (v < I32_MIN || v > I32_MAX)) {
    const hint = v > I32_MAX && v <= U32_MAX
      ? `for values above 2147483647 compute in u32 (convert the other side with u32(…)); as a bit pattern, the i32 with the same bits is ${v | 0}`
      : 'write a number in that range, or compute in f32';
    ctx.report('TSR2070', e.span, String(v), 'i32', '-2147483648 to 2147483647 (0x7FFFFFFF)', hint);
    return true;
  }
  return false;
}

/** `reportLiteralMisfit` for each of `exprs`; true when any reported. */
export function reportLiteralMisfits(ctx: CheckContext, exprs: readonly Expr[], dtype: ScalarType): boolean {
  let reported = false;
  for (const e of exprs) if (reportLiteralMisfit(ctx, e, dtype)) reported = true;
  return reported;
}
