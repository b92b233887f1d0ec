/**
 * Op tables: each IR op as JavaScript text over operands already rounded to their dtype,
 * producing a result rounded to the result dtype. Total over the IR's op unions, so an op
 * added to the IR without an interpreter spelling is a type error here.
 *
 * Names the text uses (bound by the generated module): `fr` = Math.fround, `rh` =
 * roundHalf, and the helpers of numeric.ts under their own names.
 */
import type { BinaryOp, DType, UnaryOp } from 'tessera-gpu-compiler';

/** `expr` (a double) rounded to dtype `d`. */
export function rounded(d: DType, expr: string): string {
  switch (d) {
    case 'f32': return `fr(${expr})`;
    case 'f16': return `rh(${expr})`;
    case 'i32': return `((${expr}) | 0)`;
    case 'u32': return `((${expr}) >>> 0)`;
    case 'bool': return expr;
  }
}

export const isFloat = (d: DType): boolean => d === 'f32' || d === 'f16';

/** A JS literal for a value of dtype `d` (rounded to it). */
export function literal(d: DType, v: number | boolean, roundHalf: (x: number) => number): string {
  if (d === 'bool') return v === true || (typeof v === 'number' && v !== 0) ? 'true' : 'false';
  let n = Number(v);
  if (d === 'f32') n = Math.fround(n);
  else if (d === 'f16') n = roundHalf(n);
  else if (d === 'i32') n = Math.trunc(n) | 0;
  else n = Math.trunc(n) >>> 0;
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '(-Infinity)';
  if (Object.is(n, -0)) return '(-0)';
  return n < 0 ? `(${n})` : String(n);
}

type Unary = (x: string, d: DType) => string | undefined;

/** Float math: computed in double, rounded once to the dtype. */
const floatOnly = (f: (x: string) => string): Unary => (x, d) => (isFloat(d) ? rounded(d, f(x)) : undefined);

export const UNARY: Record<UnaryOp, Unary> = {
  neg: (x, d) => (isFloat(d) ? `(-${x})` : d === 'i32' ? `((-${x}) | 0)` : d === 'u32' ? `((-${x}) >>> 0)` : undefined),
  not: (x, d) => (d === 'bool' ? `(!${x})` : undefined),
  bitnot: (x, d) => (d === 'i32' ? `(~${x})` : d === 'u32' ? `((~${x}) >>> 0)` : undefined),
  abs: (x, d) => (isFloat(d) ? `Math.abs(${x})` : d === 'i32' ? `(Math.abs(${x}) | 0)` : d === 'u32' ? x : undefined),
  exp: floatOnly((x) => `Math.exp(${x})`),
  exp2: floatOnly((x) => `Math.pow(2, ${x})`),
  log: floatOnly((x) => `Math.log(${x})`),
  log2: floatOnly((x) => `Math.log2(${x})`),
  sqrt: floatOnly((x) => `Math.sqrt(${x})`),
  rsqrt: floatOnly((x) => `(1 / Math.sqrt(${x}))`),
  sin: floatOnly((x) => `Math.sin(${x})`),
  cos: floatOnly((x) => `Math.cos(${x})`),
  tan: floatOnly((x) => `Math.tan(${x})`),
  tanh: floatOnly((x) => `Math.tanh(${x})`),
  sigmoid: floatOnly((x) => `(1 / (1 + Math.exp(-${x})))`),
  erf: floatOnly((x) => `erfAS(${x})`),
  // floor/ceil/round of a float are exact in its own format: no rounding needed.
  floor: (x, d) => (isFloat(d) ? `Math.floor(${x})` : undefined),
  ceil: (x, d) => (isFloat(d) ? `Math.ceil(${x})` : undefined),
  round: (x, d) => (isFloat(d) ? `roundEven(${x})` : undefined),
};

type Binary = (a: string, b: string, d: DType) => string | undefined;

/** +, -, *: float ops round the double result; i32/u32 wrap. */
const arith = (sym: string): Binary => (a, b, d) => (d === 'bool' ? undefined : rounded(d, `${a} ${sym} ${b}`));
const compare = (sym: string): Binary => (a, b) => `(${a} ${sym} ${b})`;
const logic = (sym: string): Binary => (a, b, d) => (d === 'bool' ? `(${a} ${sym} ${b})` : undefined);
/**
 * Bitwise ops and shifts: JS computes them on int32 (a shift amount mod 32, as WGSL), so
 * `| 0` and `>>> 0` give WGSL's i32 and u32 results exactly.
 */
const bits = (sym: string): Binary => (a, b, d) =>
  d === 'i32' ? `((${a} ${sym} ${b}) | 0)` : d === 'u32' ? `((${a} ${sym} ${b}) >>> 0)` : undefined;

/**
 * `d` is the result dtype for arithmetic and the operand dtype for comparisons. A double
 * holds the exact sum, difference or product of two f32 (or f16) values, and rounding it
 * once gives the correctly rounded f32 (f16) result, as the GPU computes it.
 */
export const BINARY: Record<BinaryOp, Binary> = {
  add: arith('+'),
  sub: arith('-'),
  mul: (a, b, d) => (d === 'i32' ? `Math.imul(${a}, ${b})` : d === 'u32' ? `(Math.imul(${a}, ${b}) >>> 0)` : d === 'bool' ? undefined : rounded(d, `${a} * ${b}`)),
  div: (a, b, d) => (d === 'i32' ? `divI32(${a}, ${b})` : d === 'u32' ? `divU32(${a}, ${b})` : d === 'bool' ? undefined : rounded(d, `${a} / ${b}`)),
  mod: (a, b, d) => (d === 'i32' ? `modI32(${a}, ${b})` : d === 'u32' ? `modU32(${a}, ${b})` : d === 'bool' ? undefined : rounded(d, `${a} % ${b}`)),
  pow: (a, b, d) => (isFloat(d) ? rounded(d, `Math.pow(${a}, ${b})`) : undefined),
  // Elementwise min/max propagate NaN (JS); WGSL leaves NaN operands to the driver.
  min: (a, b, d) => (d === 'bool' ? undefined : `Math.min(${a}, ${b})`),
  max: (a, b, d) => (d === 'bool' ? undefined : `Math.max(${a}, ${b})`),
  eq: compare('==='),
  ne: compare('!=='),
  lt: compare('<'),
  le: compare('<='),
  gt: compare('>'),
  ge: compare('>='),
  and: logic('&&'),
  or: logic('||'),
  bitand: bits('&'),
  bitor: bits('|'),
  bitxor: bits('^'),
  shl: bits('<<'),
  // Arithmetic on i32 (`>>`), logical on u32 (`>>>`).
  shr: (a, b, d) => (d === 'i32' ? `(${a} >> ${b})` : d === 'u32' ? `(${a} >>> ${b})` : undefined),
};

/** Conversion of `x` from dtype `from` to `to`, as WGSL's value constructors convert. */
export function cast(x: string, from: DType, to: DType): string {
  if (from === to) return x;
  if (to === 'bool') return `(${x} !== 0)`;
  if (from === 'bool') return `(${x} ? 1 : 0)`;
  switch (to) {
    case 'f32': return from === 'f16' ? x : `fr(${x})`;
    case 'f16': return `rh(${x})`;
    case 'i32': return isFloat(from) ? `floatToI32(${x})` : `(${x} | 0)`;
    case 'u32': return isFloat(from) ? `floatToU32(${x})` : `(${x} >>> 0)`;
  }
}
