/**
 * Typing of calls: builtins (see builtins.ts) and device functions passed in `${…}` holes.
 */
import type { Call, Expr, KeywordArg, ScalarType } from '../ast.ts';
import { SCALAR_TYPES } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { BROADCAST_HINT, broadcastAxes, broadcastsTo } from './broadcast.ts';
import {
  ALL_BUILTINS, BINARY_FNS, CAST_NAMES, FLOAT_UNARY, HOST_ALLOCATORS, NUMERIC_UNARY, RANDOM_FNS, REDUCTIONS, SCANS, isOneOf,
} from './builtins.ts';
import {
  ERROR, isFloat, makeValue, shapeText, typeText, valueShape, type Axis, type TensorInfo, type Type,
} from './types.ts';
import { typeExpr, unifyDtypes, type Mode } from './expr.ts';
import { reportLiteralMisfit, reportLiteralMisfits } from './literal-range.ts';
import { checkFuncCall } from './func.ts';
import { reportBlockSizeCall } from './block-size.ts';
import { didYouMean } from './suggest.ts';
import { foreignFunctionHint } from '../foreign-spellings.ts';
import { typeViewCall } from './view.ts';
import { typeRandom } from './random.ts';

type Value = { dtype: ScalarType; axes: readonly Axis[] };

export function typeCall(ctx: CheckContext, e: Call, mode: Mode): Type {
  const argTypes = e.args.map((a) => typeExpr(ctx, a, mode));
  for (const kw of e.kwargs) typeExpr(ctx, kw.value, mode);
  if (argTypes.some((t) => t.kind === 'error')) return ERROR;

  if (e.callee.kind === 'hole') return checkFuncCall(ctx, e, argTypes, mode);
  const name = e.callee.name;
  if (name === 'block_size') {
    reportBlockSizeCall(ctx, e);
    return ERROR;
  }
  const sig = (expected: string, hint: string, got = argTypes.map(typeText).join(', ') || 'no arguments'): Type => {
    ctx.report('TSR2007', e.span, name, expected, got, hint);
    return ERROR;
  };

  if (isOneOf(HOST_ALLOCATORS, name) && (mode === 'host' || name === 'empty' || name === 'empty_like')) {
    return typeAllocation(ctx, e, argTypes, mode);
  }
  if (name === 'tile' || name === 'grid' || name === 'range') {
    if (mode === 'host') ctx.report('TSR2015', e.span, `${name}(…) outside a for header`);
    else ctx.report('TSR2016', e.span, `${name}(…) outside a for header`, `write: for v in ${name}(…) { … }`, where(mode));
    return ERROR;
  }
  if (mode === 'host') {
    ctx.report('TSR2015', e.span, `calling '${name}'`);
    return ERROR;
  }
  // An unknown function is that, whatever its keyword arguments (`softmax(x, axis=1)`).
  if (!ALL_BUILTINS.has(name)) {
    ctx.report('TSR2006', e.callee.span, name, unknownFunctionHint(name));
    return ERROR;
  }
  if (!rejectUnknownKwargs(ctx, e, isOneOf(REDUCTIONS, name) && e.args.length === 1 ? ['axis', 'keepdim'] : isOneOf(SCANS, name) || name === 'squeeze' ? ['axis'] : name === 'full' || name === 'zeros' ? ['dtype'] : [])) {
    return ERROR;
  }

  const values = argTypes.map(valueShape);
  const allValues = values.every((v): v is Value => v !== undefined);

  if (isOneOf(REDUCTIONS, name) && e.args.length === 1) {
    const x = values[0];
    if (!x) return sig('a scalar or tile', 'pass the tile to reduce');
    return typeReduction(ctx, e, name, x);
  }
  if (isOneOf(SCANS, name)) {
    const x = values[0];
    if (e.args.length !== 1 || !x || x.axes.length === 0) return sig('one tile', 'cumsum(x, axis=1)');
    const axis = constAxis(ctx, e, x.axes.length);
    if (axis === undefined) return ERROR;
    return makeValue(x.dtype, x.axes);
  }
  if (isOneOf(FLOAT_UNARY, name) || isOneOf(NUMERIC_UNARY, name)) {
    const x = values[0];
    if (e.args.length !== 1 || !x) return sig('one scalar or tile', `${name}(x)`);
    const a0 = e.args[0];
    const literal = a0 !== undefined && a0.kind === 'number';
    if (isOneOf(FLOAT_UNARY, name) && !isFloat(x.dtype) && !literal) {
      ctx.report('TSR2035', e.span, name, typeText(argTypes[0] ?? ERROR));
      return ERROR;
    }
    return makeValue(literal ? 'f32' : x.dtype, x.axes);
  }
  if (isOneOf(CAST_NAMES, name)) {
    const x = values[0];
    if (e.args.length !== 1 || !x) return sig('one scalar or tile', `${name}(x) converts x to ${name}`);
    // A literal cast takes the cast's dtype: u32(4294967295) is fine, u32(-1) is not.
    const a0 = e.args[0];
    if (a0 !== undefined && reportLiteralMisfit(ctx, a0, name)) return ERROR;
    return makeValue(name, x.axes);
  }
  if (isOneOf(BINARY_FNS, name) || name === 'clamp' || name === 'where') {
    const arity = name === 'clamp' || name === 'where' ? 3 : 2;
    if (e.args.length !== arity || !allValues) return sig(`${arity} scalars or tiles`, `see ${name} in docs/language.md`);
    return typeElementwise(ctx, e, name, values);
  }
  if (name === 'zeros' || name === 'full') return typeFill(ctx, e, argTypes);
  if (name === 'transpose') {
    const x = values[0];
    // A 3-D tile [b, m, n] is a batch of matrices: its last two axes swap, as torch's mT.
    if (e.args.length !== 1 || !x || (x.axes.length !== 2 && x.axes.length !== 3)) {
      ctx.report('TSR2051', e.span, e.args.length === 1 ? typeText(argTypes[0] ?? ERROR) : `${e.args.length} arguments`);
      return ERROR;
    }
    const [first, second] = x.axes.slice(-2);
    if (!first || !second) return ERROR;
    return makeValue(x.dtype, [...x.axes.slice(0, -2), second, first]);
  }
  if (name === 'unsqueeze' || name === 'squeeze' || name === 'reshape') {
    const axisExpr = name === 'unsqueeze' ? e.args[1] : kwarg(e, 'axis')?.value;
    const axis = axisExpr ? constInt(axisExpr) : undefined;
    if (axisExpr && axis === undefined) {
      ctx.report('TSR2024', axisExpr.span, 'axis', typeText(ctx.types.get(axisExpr) ?? ERROR));
      return ERROR;
    }
    return typeViewCall(ctx, e, name, argTypes, axis);
  }
  if (name === 'zeros_like') {
    const x = values[0];
    if (e.args.length !== 1 || !x) return sig('one tile', 'zeros_like(x)');
    return makeValue(x.dtype, x.axes);
  }
  if (name === 'atomic_add') return typeAtomicAdd(ctx, e, argTypes);
  if (isOneOf(RANDOM_FNS, name)) return typeRandom(ctx, e, name, argTypes);
  if (SCALAR_TYPES.some((d) => d === name)) return sig('one value', 'cast with f32(x)');
  ctx.report('TSR2006', e.callee.span, name, unknownFunctionHint(name));
  return ERROR;
}

/** Where device code sits, for "… is not allowed inside {where}". */
export function where(mode: Mode): string {
  return mode === 'func' ? 'a device function' : 'the tile loop';
}

function rejectUnknownKwargs(ctx: CheckContext, e: Call, allowed: readonly string[]): boolean {
  for (const kw of e.kwargs) {
    if (!allowed.includes(kw.name)) {
      const name = e.callee.kind === 'named' ? e.callee.name : e.callee.name;
      ctx.report('TSR2008', kw.span, name, kw.name, allowed.length ? allowed.join(', ') : 'none');
      return false;
    }
  }
  return true;
}

/** A compile-time integer from a literal (possibly negated) or a number hole. */
export function constInt(e: Expr): number | undefined {
  if (e.kind === 'number' && Number.isInteger(e.value)) return e.value;
  if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'number' && Number.isInteger(e.operand.value)) return -e.operand.value;
  return undefined;
}

function kwarg(e: Call, name: string): KeywordArg | undefined {
  return e.kwargs.find((k) => k.name === name);
}

/** The `axis=` of a reduction or scan, normalised to 0..rank-1; defaults to the last axis. */
function constAxis(ctx: CheckContext, e: Call, rank: number): number | undefined {
  const kw = kwarg(e, 'axis');
  if (!kw) return rank - 1;
  const v = constInt(kw.value);
  if (v === undefined) {
    ctx.report('TSR2024', kw.value.span, 'axis', typeText(ctx.types.get(kw.value) ?? ERROR));
    return undefined;
  }
  const axis = v < 0 ? rank + v : v;
  if (axis < 0 || axis >= rank) {
    ctx.report('TSR2009', kw.value.span, v, rank);
    return undefined;
  }
  return axis;
}

function typeReduction(ctx: CheckContext, e: Call, name: string, x: Value): Type {
  const keepKw = kwarg(e, 'keepdim');
  if (keepKw && keepKw.value.kind !== 'bool') {
    ctx.report('TSR2007', keepKw.value.span, 'keepdim', 'true or false', typeText(ctx.types.get(keepKw.value) ?? ERROR), 'keepdim=true keeps the reduced axis with size 1');
    return ERROR;
  }
  const keepdim = keepKw?.value.kind === 'bool' ? keepKw.value.value : false;
  if ((name === 'mean') && !isFloat(x.dtype)) {
    ctx.report('TSR2035', e.span, name, x.dtype);
    return ERROR;
  }
  if (x.dtype === 'bool') {
    ctx.report('TSR2043', e.span, 'a bool value', name, 'booleans are not numbers', `count with ${name}(i32(cond)) instead`);
    return ERROR;
  }
  const dtype: ScalarType = name === 'argmax' || name === 'argmin' ? 'i32' : x.dtype;
  const hasAxis = kwarg(e, 'axis') !== undefined;
  if (x.axes.length === 0) {
    // A scalar has no axis to reduce along (numpy's AxisError): `sum(1.5, axis=1)` would
    // otherwise read as a row sum and silently give 1.5.
    if (hasAxis) {
      constAxis(ctx, e, 0); // reports: every axis is out of range for 0 axes
      return ERROR;
    }
    return makeValue(dtype, []);
  }
  if (!hasAxis && (name === 'argmax' || name === 'argmin') && x.axes.length > 1) {
    ctx.report('TSR2043', e.span, `a ${x.axes.length}-D tile`, name, 'which axis the index counts along is ambiguous', `give the axis: ${name}(x, axis=${x.axes.length - 1})`);
    return ERROR;
  }
  if (!hasAxis) {
    return makeValue(dtype, keepdim ? x.axes.map((): Axis => ({ kind: 'unit' })) : []);
  }
  const axis = constAxis(ctx, e, x.axes.length);
  if (axis === undefined) return ERROR;
  const axes = keepdim
    ? x.axes.map((a, i): Axis => (i === axis ? { kind: 'unit' } : a))
    : x.axes.filter((_, i) => i !== axis);
  return makeValue(dtype, axes);
}

function typeElementwise(ctx: CheckContext, e: Call, name: string, values: readonly Value[]): Type {
  let axes: readonly Axis[] = [];
  for (const v of values) {
    const b = broadcastAxes(axes, v.axes);
    if (!b.ok) {
      ctx.report('TSR2005', e.span, shapeText(axes), shapeText(v.axes), b.why, BROADCAST_HINT);
      return ERROR;
    }
    axes = b.axes;
  }
  // where(c, a, b): c is bool; a and b unify. Others: every argument unifies.
  const numeric = name === 'where' ? values.slice(1) : values;
  const exprs = name === 'where' ? e.args.slice(1) : e.args;
  if (name === 'where' && values[0]?.dtype !== 'bool') {
    ctx.report('TSR2007', e.span, 'where', 'a bool condition first', values[0]?.dtype ?? '?', 'where(x > 0, x, 0.0)');
    return ERROR;
  }
  let dtype = numeric[0]?.dtype ?? 'f32';
  let expr = exprs[0];
  for (let i = 1; i < numeric.length; i++) {
    const v = numeric[i];
    const ex = exprs[i];
    if (!v || !ex || !expr) continue;
    const u = unifyDtypes(dtype, expr, v.dtype, ex);
    if (!u.ok) {
      ctx.report('TSR2007', e.span, name, 'arguments of one type', numeric.map((n) => n.dtype).join(', '), u.hint);
      return ERROR;
    }
    // Once a non-literal operand fixed the dtype, later literals adapt to it.
    if (!(ex.kind === 'number')) expr = ex;
    dtype = u.dtype;
  }
  if (name === 'pow' && !isFloat(dtype)) {
    ctx.report('TSR2035', e.span, 'pow', dtype);
    return ERROR;
  }
  if (reportLiteralMisfits(ctx, exprs, dtype)) return ERROR;
  return makeValue(dtype, axes);
}

function typeFill(ctx: CheckContext, e: Call, argTypes: readonly Type[]): Type {
  const name = e.callee.kind === 'named' ? e.callee.name : '?';
  const shape = argTypes[0];
  if (!shape || shape.kind !== 'shape') {
    ctx.report('TSR2027', e.span, name, shape ? typeText(shape) : 'nothing');
    return ERROR;
  }
  const dtypeArg = kwarg(e, 'dtype')?.value ?? (name === 'zeros' ? e.args[1] : e.args[2]);
  let dtype: ScalarType = 'f32';
  if (name === 'full') {
    const v = argTypes[1];
    const vs = v ? valueShape(v) : undefined;
    if (!vs || vs.axes.length !== 0) {
      ctx.report('TSR2007', e.span, 'full', 'a shape and a scalar value', argTypes.map(typeText).join(', '), 'full([tm, tn], 1.0)');
      return ERROR;
    }
    dtype = vs.dtype;
  }
  if (dtypeArg) {
    const t = ctx.types.get(dtypeArg);
    if (!t || t.kind !== 'dtype') {
      ctx.report('TSR2007', dtypeArg.span, name, 'a dtype (f32, f16, i32, u32, bool)', t ? typeText(t) : '?', `${name}([tm, tn], f32)`);
      return ERROR;
    }
    dtype = t.dtype;
  }
  const value = name === 'full' ? e.args[1] : undefined;
  if (value !== undefined && reportLiteralMisfit(ctx, value, dtype)) return ERROR;
  return makeValue(dtype, shape.axes);
}

function typeAtomicAdd(ctx: CheckContext, e: Call, argTypes: readonly Type[]): Type {
  const target = e.args[0];
  const tt = argTypes[0];
  const vt = argTypes[1] ? valueShape(argTypes[1]) : undefined;
  if (!target || target.kind !== 'index' || !tt || !vt || e.args.length !== 2) {
    ctx.report('TSR2040', e.span);
    return ERROR;
  }
  const base = ctx.types.get(target.base);
  const ts = valueShape(tt);
  if (base?.kind === 'tensor' && base.tensor.role === 'input') {
    ctx.report('TSR2047', target.base.span, base.tensor.name);
    return ERROR;
  }
  if (!base || base.kind !== 'tensor' || base.tensor.role !== 'output' || !ts) {
    ctx.report('TSR2040', target.span);
    return ERROR;
  }
  if (base.tensor.dtype !== 'f32' && base.tensor.dtype !== 'i32' && base.tensor.dtype !== 'u32') {
    ctx.report('TSR2039', target.span, base.tensor.dtype, 'atomic_add', 'atomics work on f32, i32 and u32 outputs');
    return ERROR;
  }
  // The value broadcasts with the indexed shape into that shape; or, as for a plain store,
  // extra unit axes are dropped, so a [tm, 1] column (a keepdim reduction) adds into out[tm].
  const fits = broadcastAxes(vt.axes, ts.axes);
  if (!(fits.ok && fits.axes.length === ts.axes.length) && !broadcastsTo(vt.axes, ts.axes)) {
    ctx.report('TSR2020', e.span, typeText(argTypes[1] ?? ERROR), typeText(tt), 'the value must broadcast to the indexed shape');
    return ERROR;
  }
  base.tensor.zeroInit = true;
  ctx.written.add(base.tensor);
  return { kind: 'void' };
}

/** empty([M, N], f32), empty_like(x), zeros([M], f32) and zeros_like(x) in host code. */
function typeAllocation(ctx: CheckContext, e: Call, argTypes: readonly Type[], mode: Mode): Type {
  const name = e.callee.kind === 'named' ? e.callee.name : '?';
  if (mode !== 'host') {
    ctx.report('TSR2016', e.span, `'${name}'`, "allocate outputs before the tile loop; inside it use zeros([tm, tn], f32) or full(…)", where(mode));
    return ERROR;
  }
  let dtype: ScalarType;
  let dims: TensorInfo['dims'];
  if (name === 'empty_like' || name === 'zeros_like') {
    const x = argTypes[0];
    if (e.args.length !== 1 || !x || x.kind !== 'tensor') {
      ctx.report('TSR2007', e.span, name, 'one tensor parameter', argTypes.map(typeText).join(', ') || 'nothing', `${name}(x)`);
      return ERROR;
    }
    dtype = x.dtype;
    dims = x.dims;
  } else {
    const shape = argTypes[0];
    const dt = argTypes[1];
    if (!shape || shape.kind !== 'shape' || !shape.dims) {
      ctx.report('TSR2027', e.span, name, shape ? typeText(shape) : 'nothing');
      return ERROR;
    }
    if (!dt || dt.kind !== 'dtype' || e.args.length !== 2) {
      ctx.report('TSR2007', e.span, name, 'a shape and a dtype', argTypes.map(typeText).join(', '), `${name}([M, N], f32)`);
      return ERROR;
    }
    dtype = dt.dtype;
    dims = shape.dims;
  }
  const tensor: TensorInfo = { name: '', role: 'output', index: -1, dtype, dims, zeroInit: name.startsWith('zeros') };
  return { kind: 'tensor', dtype, dims, tensor };
}

/** Triton's and torch's spellings a user tries first, and misspelt builtins. */

function unknownFunctionHint(name: string): string {
  return foreignFunctionHint(name) ?? didYouMean(name, ALL_BUILTINS);
}
