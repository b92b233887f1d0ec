/**
 * Typed AST expressions → tile IR values. The checker has already typed every
 * expression; here literals take the dtype their context gives them and mixed operands
 * get explicit casts, so every IR node's operands have the dtype the node expects.
 */
import type { Binary, Call, Expr, IndexExpr, IndexItem as AstIndexItem } from 'tessera-gpu-dsl/ast';
import { constInt, isTileMember, squeezeToRank, unionAxes, viewMapping, type Axis, type CheckedBody, type Type } from 'tessera-gpu-dsl/check';
import { InternalCompilerError } from 'tessera-gpu-dsl/errors';
import type { BinaryOp, DType, GatherIndex, IndexItem, UnaryOp, VType, Value } from '../ir/nodes.ts';
import type { BuildEnv } from './env.ts';
import { buildMovedRead, shiftAmount } from './build-shift.ts';
import { buildRandom } from './build-random.ts';
import { guardedSubscripts } from './index-guard.ts';

const BINARY: Readonly<Record<string, BinaryOp>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod',
  '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '&&': 'and', '||': 'or',
  '&': 'bitand', '|': 'bitor', '^': 'bitxor', '<<': 'shl', '>>': 'shr',
};
const COMPARE = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

export function vtypeOf(body: CheckedBody, e: Expr): VType {
  const t: Type | undefined = body.types.get(e);
  if (t?.kind === 'scalar') return { dtype: t.dtype, axes: [] };
  if (t?.kind === 'tile') return { dtype: t.dtype, axes: t.axes };
  throw new InternalCompilerError(`building IR: expression at ${e.span.start.line}:${e.span.start.col} has no value type`);
}

/** `v` converted to `dtype`: literals are rewritten, anything else gets a cast. */
export function coerce(v: Value, dtype: DType): Value {
  if (v.type.dtype === dtype) return v;
  const type = { dtype, axes: v.type.axes };
  if (v.kind === 'const') return { kind: 'const', type, value: dtype === 'bool' ? Boolean(v.value) : Number(v.value) };
  // `~lit` meeting a u32 is the literal in u32 with its bits flipped (the checker made lit fit).
  if (v.kind === 'unary' && v.op === 'bitnot' && v.x.kind === 'const') return { ...v, x: coerce(v.x, dtype), type };
  return { kind: 'cast', x: v, type };
}

export function buildValue(env: BuildEnv, e: Expr): Value {
  const body = env.body;
  switch (e.kind) {
    case 'number':
      return { kind: 'const', type: vtypeOf(body, e), value: e.value };
    case 'bool':
      return { kind: 'const', type: { dtype: 'bool', axes: [] }, value: e.value };
    case 'ident': {
      const sym = body.resolved.get(e);
      if (!sym) break;
      if (sym.kind === 'dim') return { kind: 'dim', name: sym.name, type: { dtype: 'i32', axes: [] } };
      if (sym.kind === 'scalarParam') return { kind: 'param', name: sym.name, type: vtypeOf(body, e) };
      if (sym.kind === 'rangeVar') return { kind: 'local', id: sym.id, type: vtypeOf(body, e) };
      if (sym.kind === 'gridVar') return { kind: 'gridIndex', loop: sym.loop, type: { dtype: 'i32', axes: [] } };
      if (sym.kind === 'blockSize') return { kind: 'tileBound', loop: sym.loop, bound: 'block_size', type: { dtype: 'i32', axes: [] } };
      if (sym.kind === 'local') return env.lets.get(sym.id) ?? { kind: 'local', id: sym.id, type: vtypeOf(body, e) };
      break;
    }
    case 'binary':
      return buildBinary(env, e);
    case 'unary': {
      const x = buildValue(env, e.operand);
      return { kind: 'unary', op: e.op === '-' ? 'neg' : e.op === '~' ? 'bitnot' : 'not', x, type: x.type };
    }
    case 'call':
      return buildCall(env, e);
    case 'index':
      if (body.types.get(e.base)?.kind !== 'tensor') return buildView(buildValue(env, e.base), vtypeOf(body, e));
      if (e.indices.some((ix) => ix.kind === 'exprIndex' && body.types.get(ix.expr)?.kind === 'tile')) return buildGather(env, e);
      return buildLoad(env, e);
    case 'member': {
      const t = body.types.get(e.object);
      if (t?.kind !== 'loopVar' || !isTileMember(e.name)) break;
      const type = vtypeOf(body, e);
      if (e.name === 'index') return { kind: 'position', loop: t.loop, type };
      return { kind: 'tileBound', loop: t.loop, bound: e.name, type };
    }
    case 'list':
    case 'tuple':
      break;
  }
  throw new InternalCompilerError(`building IR: unexpected ${e.kind} at ${e.span.start.line}:${e.span.start.col}`);
}

/** `x[tm, :]`, and `b[None, :]`: a load, seen with the unit axes the Nones add. */
function buildLoad(env: BuildEnv, e: IndexExpr): Value {
  const type = vtypeOf(env.body, e);
  const index = buildIndex(env, e);
  const loaded: VType = { dtype: type.dtype, axes: type.axes.filter((_, i) => !isNoneAt(env, e, type.axes.length, i)) };
  const readType = index.length === e.indices.length ? type : loaded;
  const tensor = env.tensorOf(e.base);
  // A moved, sliced or possibly-outside scalar subscript reads through a masked gather.
  const masked = index.some((i) => i.kind === 'shifted' || i.kind === 'slice') || guardedSubscripts(env, e, tensor, index).length > 0;
  const load: Value = masked
    ? buildMovedRead(env, e, index, readType)
    : { kind: 'load', tensor, index, type: readType };
  return load.type === type ? load : buildView(load, type);
}

/** Whether result axis `axis` of `e` is a unit axis added by a None (the checker typed None as void). */
function isNoneAt(env: BuildEnv, e: IndexExpr, rank: number, axis: number): boolean {
  let at = 0;
  for (const ix of e.indices) {
    const t = ix.kind === 'exprIndex' ? env.body.types.get(ix.expr) : undefined;
    const width = t?.kind === 'void' ? 1 : t?.kind === 'loopVar' || ix.kind === 'slice' ? 1 : 0;
    if (at === axis && width === 1) return t?.kind === 'void';
    at += width;
  }
  return axis >= rank;
}

export function buildIndex(env: BuildEnv, e: IndexExpr): IndexItem[] {
  return e.indices.filter((ix) => !(ix.kind === 'exprIndex' && env.body.types.get(ix.expr)?.kind === 'void')).map((ix): IndexItem => {
    if (ix.kind === 'slice') {
      const extent = env.body.slices.get(ix);
      return extent ? { kind: 'slice', from: sliceStart(env, ix), extent } : { kind: 'full' };
    }
    const t = env.body.types.get(ix.expr);
    if (t?.kind === 'loopVar') {
      const by = shiftAmount(env, ix.expr, buildValue, coerce);
      return by ? { kind: 'shifted', loop: t.loop, by } : { kind: 'block', loop: t.loop };
    }
    // An index tile in a store (a scatter): u32 indices past i32's range turn negative,
    // which is outside the dim as they were, so one i32 test skips both.
    if (t?.kind === 'tile') return { kind: 'tile', value: coerce(buildValue(env, ix.expr), 'i32') };
    return { kind: 'scalar', value: coerce(buildValue(env, ix.expr), 'i32') };
  });
}

/** Where a bounded slice `a:b` starts: `a` as an i32 scalar (0 when left out). */
function sliceStart(env: BuildEnv, ix: AstIndexItem & { kind: 'slice' }): Value {
  return ix.lo ? coerce(buildValue(env, ix.lo), 'i32') : { kind: 'const', type: { dtype: 'i32', axes: [] }, value: 0 };
}

/**
 * `table[ids[tt], :]`: a read indexed by integer tiles. The result axes are the union of
 * the items' axes (unionAxes, as the checker typed it); each item says which of them it
 * follows.
 */
function buildGather(env: BuildEnv, e: IndexExpr): Value {
  const type = vtypeOf(env.body, e);
  const tensor = env.tensorOf(e.base);
  const itemAxes = e.indices.map((ix, i): Axis[] => {
    if (ix.kind === 'slice') {
      const dim = env.body.slices.get(ix) ?? tensor.dims[i];
      return [dim?.kind === 'const' && dim.value === 1 ? { kind: 'unit' } : { kind: 'full', dim: dim ?? { kind: 'const', value: 1 } }];
    }
    const t = env.body.types.get(ix.expr);
    if (t?.kind === 'loopVar') return [{ kind: 'block', loop: t.loop }];
    return t?.kind === 'tile' ? [...t.axes] : [];
  });
  const { positions } = unionAxes(itemAxes);
  const index = e.indices.map((ix, i): GatherIndex => {
    const at = positions[i] ?? [];
    // A bounded slice is its axis moved to where the slice starts (0 outside the dim).
    if (ix.kind === 'slice' && env.body.slices.has(ix)) return { kind: 'axis', axis: at[0] ?? 0, by: sliceStart(env, ix) };
    if (ix.kind === 'slice' || env.body.types.get(ix.expr)?.kind === 'loopVar') return { kind: 'axis', axis: at[0] ?? 0 };
    const value = buildValue(env, ix.expr);
    return value.type.axes.length === 0 ? { kind: 'scalar', value: coerce(value, 'i32') } : { kind: 'tile', value, axes: at };
  });
  return { kind: 'gather', tensor, index, type };
}

/** Applies a binary operator, inserting the casts/literal dtypes the checker implied. */
export function applyBinary(op: BinaryOp, a: Value, b: Value, type: VType): Value {
  const operandDtype = COMPARE.has(op) ? commonDtype(a, b) : type.dtype;
  return { kind: 'binary', op, a: coerce(a, operandDtype), b: coerce(b, operandDtype), type };
}

function commonDtype(a: Value, b: Value): DType {
  if (a.type.dtype === b.type.dtype) return a.type.dtype;
  if (a.kind === 'const' && b.kind !== 'const') return b.type.dtype;
  if (b.kind === 'const' && a.kind !== 'const') return a.type.dtype;
  return 'f32';
}

function buildBinary(env: BuildEnv, e: Binary): Value {
  const a = buildValue(env, e.left);
  const b = buildValue(env, e.right);
  const type = vtypeOf(env.body, e);
  if (e.op === '@') return { kind: 'dot', a: coerce(a, 'f32'), b: coerce(b, 'f32'), type };
  const op = BINARY[e.op];
  if (!op) throw new InternalCompilerError(`building IR: operator ${e.op}`);
  return applyBinary(op, a, b, type);
}

const UNARY_FNS = new Set<string>(['abs', 'exp', 'exp2', 'log', 'log2', 'sqrt', 'rsqrt', 'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'erf', 'floor', 'ceil', 'round']);

function buildCall(env: BuildEnv, e: Call): Value {
  const type = vtypeOf(env.body, e);
  if (e.callee.kind === 'hole') {
    const func = env.funcFor(e.callee);
    const args = e.args.map((a, i) => coerce(buildValue(env, a), func.params[i]?.dtype ?? 'f32'));
    return { kind: 'call', func, args, type };
  }
  const name = e.callee.name;
  const args = () => e.args.map((a) => buildValue(env, a));
  const kw = (k: string) => e.kwargs.find((x) => x.name === k)?.value;
  if (UNARY_FNS.has(name)) {
    const [x] = args();
    if (x) return { kind: 'unary', op: name as UnaryOp, x: coerce(x, type.dtype), type };
  }
  if (name === 'f32' || name === 'f16' || name === 'i32' || name === 'u32' || name === 'bool') {
    const [x] = args();
    if (x) return x.type.dtype === name ? x : { kind: 'cast', x, type };
  }
  if ((name === 'sum' || name === 'mean' || name === 'max' || name === 'min' || name === 'argmax' || name === 'argmin') && e.args.length === 1) {
    const [x] = args();
    if (x) {
      const axisExpr = kw('axis');
      const rank = x.type.axes.length;
      const raw = axisExpr ? constInt(axisExpr) ?? 0 : undefined;
      const axis = raw === undefined ? (rank <= 1 ? 0 : 'all') : raw < 0 ? rank + raw : raw;
      const keepExpr = kw('keepdim');
      const keepdim = keepExpr?.kind === 'bool' ? keepExpr.value : false;
      if (rank === 0) return x;
      return { kind: 'reduce', op: name, x, axis, keepdim, type };
    }
  }
  if (name === 'cumsum') {
    const [x] = args();
    const axisExpr = kw('axis');
    if (x) {
      const raw = axisExpr ? constInt(axisExpr) ?? -1 : -1;
      return { kind: 'scan', op: 'cumsum', x, axis: raw < 0 ? x.type.axes.length + raw : raw, type };
    }
  }
  if (name === 'min' || name === 'max' || name === 'pow') {
    const [a, b] = args();
    if (a && b) return applyBinary(name, a, b, type);
  }
  if (name === 'clamp') {
    const [x, lo, hi] = args();
    if (x && lo && hi) return applyBinary('min', applyBinary('max', x, lo, type), hi, type);
  }
  if (name === 'where') {
    const [c, a, b] = args();
    if (c && a && b) return { kind: 'select', cond: c, a: coerce(a, type.dtype), b: coerce(b, type.dtype), type };
  }
  if (name === 'transpose') {
    const [x] = args();
    if (x) return { kind: 'transpose', x, type };
  }
  if (name === 'unsqueeze' || name === 'squeeze' || name === 'reshape') {
    // Only the tile is a value: the axis and the shape list say how to view it.
    const x = e.args[0];
    if (x) return buildView(buildValue(env, x), type);
  }
  if (name === 'rand' || name === 'randn' || name === 'randint') {
    const [seed, offsets] = args();
    if (seed && offsets) return buildRandom(name, seed, offsets, type, (f) => env.useFunc(f));
  }
  if (name === 'zeros' || name === 'zeros_like') {
    return { kind: 'fill', value: { kind: 'const', type: { dtype: type.dtype, axes: [] }, value: 0 }, type };
  }
  if (name === 'full') {
    const v = e.args[1];
    if (v) return { kind: 'fill', value: coerce(buildValue(env, v), type.dtype), type };
  }
  throw new InternalCompilerError(`building IR: call to '${name}' at ${e.span.start.line}:${e.span.start.col}`);
}

/** `x` seen with unit axes added or removed (the checker allowed it: see dsl check/view.ts). */
export function buildView(x: Value, type: VType): Value {
  const from = viewMapping(x.type.axes, type.axes);
  if (!from) throw new InternalCompilerError(`building IR: a view of ${x.type.axes.length} axes as ${type.axes.length}`);
  if (from.length === type.axes.length && from.every((f, i) => f === i)) return x;
  return { kind: 'view', x, from, type: { dtype: x.type.dtype, axes: type.axes } };
}

/**
 * A value stored or assigned into a target of fewer axes loses unit axes first ([tm, 1]
 * into out[tm]), as the checker's broadcastsTo allowed; otherwise it broadcasts as is.
 */
export function fitToRank(v: Value, rank: number): Value {
  if (v.type.axes.length <= rank) return v;
  const axes = squeezeToRank(v.type.axes, rank);
  if (!axes) throw new InternalCompilerError(`building IR: storing ${v.type.axes.length} axes into ${rank}`);
  return buildView(v, { dtype: v.type.dtype, axes });
}
