/**
 * Op tables: each IR op as wasm code over operands already rounded to their dtype,
 * leaving a result rounded to the result dtype — WGSL's semantics, as the interpreter
 * computes them. f32 + - * / sqrt are single correctly rounded wasm instructions; the
 * transcendental functions are computed in double by an import and rounded once (f32
 * demote, or roundHalf for f16); f16 arithmetic is done in double and rounded once;
 * i32/u32 wrap; integer division by zero gives the dividend, remainder by zero 0.
 * Total over the IR's op unions, so a new op without a wasm spelling is a type error.
 */
import type { BinaryOp, DType, UnaryOp } from '../ir/nodes.ts';
import type { Bytes } from './encoder.ts';
import { I } from './instr.ts';
import { importIndex, type ImportName } from './imports.ts';
import type { WasmContext } from './context.ts';
import { roundToHalf } from './half.ts';

export const isFloat = (d: DType): boolean => d === 'f32' || d === 'f16';

const F64_SQRT = [0x9f];
const F64_CONVERT_I32_S = [0xb7];
const F64_CONVERT_I32_U = [0xb8];

/** A literal of dtype `d` (rounded to it). */
export function literal(d: DType, v: number | boolean): number[] {
  if (d === 'bool') return I.i32Const(v === true || (typeof v === 'number' && v !== 0) ? 1 : 0);
  const n = Number(v);
  if (d === 'f32') return I.f32Const(n);
  if (d === 'f16') return I.f32Const(roundToHalf(n));
  return I.i32Const(d === 'i32' ? Math.trunc(n) | 0 : Math.trunc(n) >>> 0);
}

const call = (name: ImportName): number[] => I.call(importIndex(name));

/** A double on the stack, rounded to the float dtype (as f32 code). */
function fromDouble(d: DType): number[] {
  return d === 'f16' ? call('roundHalf') : [...I.f32DemoteF64];
}

/** `f(x)` computed in double: promote, call the import, round. */
const viaDouble = (name: ImportName) => (ctx: WasmContext, x: Bytes, d: DType): number[] | undefined =>
  (isFloat(d) ? [...x, ...I.f64PromoteF32, ...call(name), ...fromDouble(d)] : undefined);

type Unary = (ctx: WasmContext, x: Bytes, d: DType) => number[] | undefined;

export const UNARY: Record<UnaryOp, Unary> = {
  neg: (_c, x, d) => (isFloat(d) ? [...x, ...I.f32Neg] : d === 'bool' ? undefined : [...I.i32Const(0), ...x, ...I.i32Sub]),
  not: (_c, x, d) => (d === 'bool' ? [...x, ...I.i32Eqz] : undefined),
  bitnot: (_c, x, d) => (d === 'i32' || d === 'u32' ? [...x, ...I.i32Const(-1), ...I.i32Xor] : undefined),
  abs: (ctx, x, d) => {
    if (isFloat(d)) return [...x, ...I.f32Abs];
    if (d === 'u32') return [...x];
    if (d === 'bool') return undefined;
    return ctx.withTemp('i32', x, (v) => [...v, ...I.i32Const(0), ...v, ...I.i32Sub, ...v, ...I.i32Const(0), ...I.i32GeS, ...I.select]);
  },
  exp: viaDouble('exp'),
  exp2: viaDouble('exp2'),
  log: viaDouble('log'),
  log2: viaDouble('log2'),
  sqrt: (_c, x, d) => (d === 'f32' ? [...x, ...I.f32Sqrt] : d === 'f16' ? [...x, ...I.f64PromoteF32, ...F64_SQRT, ...call('roundHalf')] : undefined),
  rsqrt: viaDouble('rsqrt'),
  sin: viaDouble('sin'),
  cos: viaDouble('cos'),
  tan: viaDouble('tan'),
  tanh: viaDouble('tanh'),
  sigmoid: viaDouble('sigmoid'),
  erf: viaDouble('erf'),
  // floor/ceil/round of a float are exact in its own format.
  floor: (_c, x, d) => (isFloat(d) ? [...x, ...I.f32Floor] : undefined),
  ceil: (_c, x, d) => (isFloat(d) ? [...x, ...I.f32Ceil] : undefined),
  round: (_c, x, d) => (isFloat(d) ? [...x, ...I.f32Nearest] : undefined),
};

type Binary = (ctx: WasmContext, a: Bytes, b: Bytes, d: DType) => number[] | undefined;

/** f16: both operands in double, the op, one rounding to f16. */
function f16Op(a: Bytes, b: Bytes, op: Bytes): number[] {
  return [...a, ...I.f64PromoteF32, ...b, ...I.f64PromoteF32, ...op, ...call('roundHalf')];
}

const arith = (f32: Bytes, f64: Bytes, int: Bytes): Binary => (_c, a, b, d) => {
  if (d === 'f32') return [...a, ...b, ...f32];
  if (d === 'f16') return f16Op(a, b, f64);
  if (d === 'bool') return undefined;
  return [...a, ...b, ...int];
};

/** Integer `/` and `%` with WGSL's answers where the wasm instruction would trap. */
function intDivide(ctx: WasmContext, a: Bytes, b: Bytes, d: DType, rem: boolean): number[] {
  const ta = ctx.fn.local('i32');
  const tb = ctx.fn.local('i32');
  const I32 = 0x7f;
  const op = rem ? (d === 'i32' ? I.i32RemS : I.i32RemU) : d === 'i32' ? I.i32DivS : I.i32DivU;
  const byZero = rem ? I.i32Const(0) : I.localGet(ta);
  // i32 MIN / -1 overflows (a trap in wasm); WGSL wraps it to MIN, which is 0 - MIN.
  const general = !rem && d === 'i32'
    ? [...I.localGet(tb), ...I.i32Const(-1), ...I.i32Eq, ...I.if(I32), ...I.i32Const(0), ...I.localGet(ta), ...I.i32Sub, ...I.else,
      ...I.localGet(ta), ...I.localGet(tb), ...op, ...I.end]
    : [...I.localGet(ta), ...I.localGet(tb), ...op];
  return [...a, ...I.localSet(ta), ...b, ...I.localSet(tb), ...I.localGet(tb), ...I.i32Eqz, ...I.if(I32), ...byZero, ...I.else, ...general, ...I.end];
}

function minMax(ctx: WasmContext, a: Bytes, b: Bytes, d: DType, max: boolean): number[] | undefined {
  if (isFloat(d)) return [...a, ...b, ...(max ? I.f32Max : I.f32Min)];
  if (d === 'bool') return undefined;
  const cmp = d === 'i32' ? (max ? I.i32GtS : I.i32LtS) : max ? I.i32GtU : I.i32LtU;
  const ta = ctx.fn.local('i32');
  const tb = ctx.fn.local('i32');
  return [...a, ...I.localTee(ta), ...b, ...I.localTee(tb), ...I.localGet(ta), ...I.localGet(tb), ...cmp, ...I.select];
}

const compare = (f: Bytes, s: Bytes, u: Bytes): Binary => (_c, a, b, d) =>
  [...a, ...b, ...(isFloat(d) ? f : d === 'i32' ? s : d === 'u32' ? u : s)];

const intOnly = (op: Bytes): Binary => (_c, a, b, d) => (d === 'i32' || d === 'u32' ? [...a, ...b, ...op] : undefined);

/** `d` is the result dtype for arithmetic and the operand dtype for comparisons. */
export const BINARY: Record<BinaryOp, Binary> = {
  add: arith(I.f32Add, I.f64Add, I.i32Add),
  sub: arith(I.f32Sub, I.f64Sub, I.i32Sub),
  mul: arith(I.f32Mul, I.f64Mul, I.i32Mul),
  div: (ctx, a, b, d) => (d === 'f32' ? [...a, ...b, ...I.f32Div] : d === 'f16' ? f16Op(a, b, I.f64Div) : d === 'bool' ? undefined : intDivide(ctx, a, b, d, false)),
  mod: (ctx, a, b, d) => {
    if (isFloat(d)) return [...a, ...I.f64PromoteF32, ...b, ...I.f64PromoteF32, ...call('fmod'), ...fromDouble(d)];
    return d === 'bool' ? undefined : intDivide(ctx, a, b, d, true);
  },
  pow: (_c, a, b, d) => (isFloat(d) ? [...a, ...I.f64PromoteF32, ...b, ...I.f64PromoteF32, ...call('pow'), ...fromDouble(d)] : undefined),
  min: (ctx, a, b, d) => minMax(ctx, a, b, d, false),
  max: (ctx, a, b, d) => minMax(ctx, a, b, d, true),
  eq: compare(I.f32Eq, I.i32Eq, I.i32Eq),
  ne: compare(I.f32Ne, I.i32Ne, I.i32Ne),
  lt: compare(I.f32Lt, I.i32LtS, I.i32LtU),
  le: compare(I.f32Le, I.i32LeS, I.i32LeU),
  gt: compare(I.f32Gt, I.i32GtS, I.i32GtU),
  ge: compare(I.f32Ge, I.i32GeS, I.i32GeU),
  and: (_c, a, b, d) => (d === 'bool' ? [...a, ...b, ...I.i32And] : undefined),
  or: (_c, a, b, d) => (d === 'bool' ? [...a, ...b, ...I.i32Or] : undefined),
  // Integers only; wasm shifts take their amount mod 32, as WGSL does.
  bitand: intOnly(I.i32And),
  bitor: intOnly(I.i32Or),
  bitxor: intOnly(I.i32Xor),
  shl: intOnly(I.i32Shl),
  shr: (_c, a, b, d) => (d === 'i32' ? [...a, ...b, ...I.i32ShrS] : d === 'u32' ? [...a, ...b, ...I.i32ShrU] : undefined),
};

/** Conversion from dtype `from` to `to`, as WGSL's value constructors convert (float → int saturates, NaN → 0). */
export function cast(x: Bytes, from: DType, to: DType): number[] {
  if (from === to) return [...x];
  if (to === 'bool') return isFloat(from) ? [...x, ...I.f32Const(0), ...I.f32Ne] : [...x, ...I.i32Const(0), ...I.i32Ne];
  if (from === 'bool') return isFloat(to) ? [...x, ...I.f32ConvertI32U] : [...x];
  switch (to) {
    case 'f32':
      return from === 'f16' ? [...x] : [...x, ...(from === 'i32' ? I.f32ConvertI32S : I.f32ConvertI32U)];
    case 'f16':
      if (from === 'f32') return [...x, ...I.f64PromoteF32, ...call('roundHalf')];
      return [...x, ...(from === 'i32' ? F64_CONVERT_I32_S : F64_CONVERT_I32_U), ...call('roundHalf')];
    case 'i32': return isFloat(from) ? [...x, ...I.i32TruncSatF32S] : [...x];
    case 'u32': return isFloat(from) ? [...x, ...I.i32TruncSatF32U] : [...x];
  }
}
