/**
 * Typing of expressions: names, literals, operators, indexing. Calls are typed in
 * call.ts. Each function records the type it finds in `ctx.types` and returns it; an
 * expression with a problem reports one diagnostic and gets the `error` type, which
 * silences follow-up diagnostics about the same expression.
 */
import type { Binary, Expr, IndexExpr, ScalarType, Span, Unary } from '../ast.ts';
import { SCALAR_TYPES } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { arithDim } from './dim-of.ts';
import type { DimArith } from '../dim-arith.ts';
import { isShiftIndex, typeShift } from './shift.ts';
import { sliceExtent } from './slice.ts';
import { checkFixedIndex } from './index-bounds.ts';
import { BROADCAST_HINT, broadcastAxes } from './broadcast.ts';
import {
  ERROR, axisEquals, axisText, dimEquals, dimText, isFloat, isInt, makeValue, shapeText, typeText, unionAxes, valueShape,
  type Axis, type Dim, type Type,
} from './types.ts';
import { typeCall } from './call.ts';
import { typeMember } from './member.ts';
import { typeTileIndex, isNewAxis } from './view.ts';
import { didYouMean } from './suggest.ts';
import { BITWISE_OPS, bitwiseHint, typeBitwise } from './bitwise.ts';
import { reportLiteralMisfits } from './literal-range.ts';

/** Where an expression sits: host code, device code inside the tile loop, or a func body. */
export type Mode = 'host' | 'device' | 'func';

export function typeExpr(ctx: CheckContext, e: Expr, mode: Mode): Type {
  return ctx.setType(e, typeExprInner(ctx, e, mode));
}

function typeExprInner(ctx: CheckContext, e: Expr, mode: Mode): Type {
  switch (e.kind) {
    case 'number':
      return { kind: 'scalar', dtype: e.isFloat ? 'f32' : 'i32' };
    case 'bool':
      return { kind: 'scalar', dtype: 'bool' };
    case 'ident': {
      const sym = ctx.resolve(e);
      if (!sym) {
        const dtype = SCALAR_TYPES.find((d) => d === e.name);
        if (dtype) return { kind: 'dtype', dtype };
        reportUnknownName(ctx, e);
        return ERROR;
      }
      switch (sym.kind) {
        case 'tensor': return { kind: 'tensor', dtype: sym.tensor.dtype, dims: sym.tensor.dims, tensor: sym.tensor };
        case 'scalarParam': return sym.type;
        case 'dim': return { kind: 'scalar', dtype: 'i32' };
        case 'loop': return { kind: 'loopVar', loop: sym.loop };
        case 'gridVar': return { kind: 'scalar', dtype: 'i32' };
        case 'rangeVar': return sym.type;
        case 'blockSize': return { kind: 'scalar', dtype: 'i32' };
        case 'local': return sym.type;
      }
    }
    // falls through: every symbol kind returned above
    case 'binary':
      return typeBinary(ctx, e, mode);
    case 'unary':
      return typeUnary(ctx, e, mode);
    case 'call':
      return typeCall(ctx, e, mode);
    case 'index':
      return typeIndex(ctx, e, mode);
    case 'list': {
      for (const item of e.items) typeExpr(ctx, item, mode);
      return shapeFromList(ctx, e.items);
    }
    case 'tuple':
      for (const item of e.items) typeExpr(ctx, item, mode);
      ctx.report('TSR2038', e.span, '(…)', 'tuple', 'tuples only appear in return (a, b)');
      return ERROR;
    case 'member':
      return typeMember(ctx, e, mode);
  }
}

/** `[tm, tn]` / `[M, N]` / `[tm, 1]`: a shape for zeros/full/empty. */
function shapeFromList(ctx: CheckContext, items: readonly Expr[]): Type {
  const axes: Axis[] = [];
  const dims: (Axis & { kind: 'full' })['dim'][] = [];
  let allDims = true;
  for (const item of items) {
    const t = ctx.types.get(item);
    if (!t || t.kind === 'error') return ERROR;
    const declared = item.kind === 'ident' ? ctx.resolved.get(item) : undefined;
    if (t.kind === 'loopVar') {
      axes.push({ kind: 'block', loop: t.loop });
      allDims = false;
    } else if (declared?.kind === 'blockSize') {
      // A declared block size is the axis of the loops that share it (block-size.ts).
      axes.push({ kind: 'block', loop: declared.loop });
      allDims = false;
    } else if (item.kind === 'number' && !item.isFloat && item.value === 1) {
      axes.push({ kind: 'unit' });
      dims.push({ kind: 'const', value: 1 });
    } else if (item.kind === 'number' && !item.isFloat) {
      axes.push({ kind: 'full', dim: { kind: 'const', value: item.value } });
      dims.push({ kind: 'const', value: item.value });
    } else if (item.kind === 'ident' && ctx.resolved.get(item)?.kind === 'dim') {
      axes.push({ kind: 'full', dim: { kind: 'sym', name: item.name } });
      dims.push({ kind: 'sym', name: item.name });
    } else {
      const dim = arithDim(ctx, item);
      if (!dim) {
        ctx.report('TSR2027', item.span, 'shape', typeText(t));
        return ERROR;
      }
      axes.push(dim.kind === 'const' && dim.value === 1 ? { kind: 'unit' } : { kind: 'full', dim });
      dims.push(dim);
    }
  }
  return { kind: 'shape', axes, dims: allDims ? dims : undefined };
}

/**
 * A literal such as `2`, `-0.5` or `~0xFF`: it takes the dtype of the value it meets, so
 * `u & ~0xFF` with `u` a u32 is a u32 mask (the same bits as the i32 `~0xFF`).
 */
export function isAbstractLiteral(e: Expr): boolean {
  return e.kind === 'number' || (e.kind === 'unary' && (e.op === '-' || e.op === '~') && e.operand.kind === 'number');
}

function literalIsFloat(e: Expr): boolean {
  if (e.kind === 'number') return e.isFloat;
  return e.kind === 'unary' && e.operand.kind === 'number' && e.operand.isFloat;
}

/**
 * The common dtype of two operands, or a reason why there is none. Literals adapt to the
 * other side (a float literal cannot become an integer); f16 with f32 gives f32.
 */
export function unifyDtypes(
  a: ScalarType, aExpr: Expr, b: ScalarType, bExpr: Expr,
): { ok: true; dtype: ScalarType } | { ok: false; hint: string } {
  const aLit = isAbstractLiteral(aExpr);
  const bLit = isAbstractLiteral(bExpr);
  if (aLit && !bLit) return adoptLiteral(aExpr, b);
  if (bLit && !aLit) return adoptLiteral(bExpr, a);
  if (a === b) return { ok: true, dtype: a };
  if (aLit && bLit) return { ok: true, dtype: isFloat(a) || isFloat(b) ? 'f32' : 'i32' };
  if (isFloat(a) && isFloat(b)) return { ok: true, dtype: 'f32' };
  return { ok: false, hint: `convert one side explicitly, e.g. ${isFloat(a) ? a : b}(…)` };
}

export function adoptLiteral(lit: Expr, to: ScalarType): { ok: true; dtype: ScalarType } | { ok: false; hint: string } {
  if (literalIsFloat(lit) && !isFloat(to)) return { ok: false, hint: `write an integer literal, or cast the ${to} side with f32(…)` };
  if (to === 'bool') return { ok: false, hint: 'booleans do not mix with numbers; compare instead (x != 0)' };
  if (lit.kind === 'unary' && lit.op === '~' && to !== 'i32' && to !== 'u32') return { ok: false, hint: `~ gives an integer: write the ${to} value itself, or convert with ${to}(~…)` };
  return { ok: true, dtype: to };
}

const ARITH = new Set(['+', '-', '*', '/', '%']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

function typeBinary(ctx: CheckContext, e: Binary, mode: Mode): Type {
  const lt = typeExpr(ctx, e.left, mode);
  const rt = typeExpr(ctx, e.right, mode);
  if (lt.kind === 'error' || rt.kind === 'error') return ERROR;
  const l = valueShape(lt);
  const r = valueShape(rt);
  if (!l || !r) {
    const bad = l ? rt : lt;
    ctx.report('TSR2004', e.span, e.op, typeText(lt), typeText(rt),
      bad.kind === 'loopVar' ? `a tile variable is not a number: for the positions of its elements write ${bad.loop.name}.index (an i32 tile), for where the tile starts ${bad.loop.name}.begin (an i32 scalar); to read a tensor write x[${bad.loop.name}], at an offset x[${bad.loop.name} + k] (inside an index only)` :
      bad.kind === 'tensor' ? 'index the tensor to get a tile: x[tm, :]' : 'operands must be scalars or tiles');
    return ERROR;
  }
  if (e.op === '@') return typeMatmul(ctx, e, l, r);
  const shape = broadcastAxes(l.axes, r.axes);
  if (!shape.ok) {
    ctx.report('TSR2005', e.span, shapeText(l.axes), shapeText(r.axes), shape.why, broadcastHint(e, l.axes, r.axes));
    return ERROR;
  }
  if (e.op === '&&' || e.op === '||') {
    if (l.dtype !== 'bool' || r.dtype !== 'bool') {
      ctx.report('TSR2004', e.span, e.op, typeText(lt), typeText(rt), 'logical operators take bool values; compare first (x > 0)');
      return ERROR;
    }
    return makeValue('bool', shape.axes);
  }
  if (BITWISE_OPS.has(e.op)) {
    const t = typeBitwise(ctx, e, lt, rt, l, r, shape.axes, () => unifyDtypes(l.dtype, e.left, r.dtype, e.right), isAbstractLiteral);
    // A shift amount is taken mod 32 whatever its dtype: only the value shifted must fit.
    const operands = e.op === '<<' || e.op === '>>' ? [e.left] : [e.left, e.right];
    const v = valueShape(t);
    return v && reportLiteralMisfits(ctx, operands, v.dtype) ? ERROR : t;
  }
  const unified = unifyDtypes(l.dtype, e.left, r.dtype, e.right);
  if (!unified.ok) {
    ctx.report('TSR2004', e.span, e.op, typeText(lt), typeText(rt), unified.hint);
    return ERROR;
  }
  if (reportLiteralMisfits(ctx, [e.left, e.right], unified.dtype)) return ERROR;
  if (COMPARE.has(e.op)) return makeValue('bool', shape.axes);
  if (ARITH.has(e.op) && unified.dtype === 'bool') {
    ctx.report('TSR2004', e.span, e.op, typeText(lt), typeText(rt), 'arithmetic needs numbers; convert with i32(…) or f32(…)');
    return ERROR;
  }
  return makeValue(unified.dtype, shape.axes);
}

function typeMatmul(
  ctx: CheckContext, e: Binary,
  l: { dtype: ScalarType; axes: readonly Axis[] }, r: { dtype: ScalarType; axes: readonly Axis[] },
): Type {
  const shapes = `${shapeText(l.axes)} @ ${shapeText(r.axes)}`;
  const rank = l.axes.length;
  // A batched product [b, m, k] @ [b, k, n] multiplies matrix by matrix along its first axis.
  const batched = rank === 3;
  const [m, k1] = l.axes.slice(-2);
  const [k2, n] = r.axes.slice(-2);
  if ((rank !== 2 && rank !== 3) || r.axes.length !== rank || !m || !k1 || !k2 || !n) {
    ctx.report('TSR2028', e.span, shapeText(l.axes), shapeText(r.axes),
      rank === 3 || r.axes.length === 3
        ? 'a batched product takes two 3-D tiles [b, m, k] @ [b, k, n]: index both operands with three tile variables or slices'
        : 'index both operands with two tile variables or slices (or three for a batched product [b, m, k] @ [b, k, n])');
    return ERROR;
  }
  const batch = batched ? l.axes[0] : undefined;
  if (batch && !axisEquals(batch, r.axes[0] ?? { kind: 'unit' })) {
    ctx.report('TSR2028', e.span, shapeText(l.axes), shapeText(r.axes), `the batch (first) axes of ${shapes} must be the same tile variable: index both operands with the same one, a[tb, …] @ b[tb, …]`);
    return ERROR;
  }
  if (batch && batch.kind !== 'block') {
    ctx.report('TSR2028', e.span, shapeText(l.axes), shapeText(r.axes), `the batch axis of ${shapes} must be a tile variable: loop over it with tile(…), as in for (tb, tm, tn) in tile([B, M, N]), or give each matrix its own program with grid(B) and 2-D operands a[b, tm, tk]`);
    return ERROR;
  }
  const sameK = k1.kind === 'block' ? k2.kind === 'block' && k1.loop.id === k2.loop.id
    : k1.kind === 'full' && k2.kind === 'full' && dimEquals(k1.dim, k2.dim);
  if (!sameK) {
    ctx.report('TSR2028', e.span, shapeText(l.axes), shapeText(r.axes), `the inner axes of ${shapes} must be the same tile variable or dimension${transposeHint(e, l.axes, r.axes)}`);
    return ERROR;
  }
  if (!isFloat(l.dtype) || !isFloat(r.dtype)) {
    ctx.report('TSR2028', e.span, `${l.dtype} ${shapeText(l.axes)}`, `${r.dtype} ${shapeText(r.axes)}`, "'@' multiplies float tiles; cast integer tiles with f32(…)");
    return ERROR;
  }
  // Products accumulate in f32 whatever the inputs (f16 inputs lose nothing this way).
  return { kind: 'tile', dtype: 'f32', axes: batch ? [batch, m, n] : [m, n] };
}

function typeUnary(ctx: CheckContext, e: Unary, mode: Mode): Type {
  const t = typeExpr(ctx, e.operand, mode);
  if (t.kind === 'error') return ERROR;
  const v = valueShape(t);
  if (!v) {
    ctx.report('TSR2048', e.span, e.op, typeText(t), t.kind === 'tensor' ? 'index the tensor to get a tile: x[tm, :]' : 'operands must be scalars or tiles');
    return ERROR;
  }
  if (e.op === '!' && v.dtype !== 'bool') {
    ctx.report('TSR2048', e.span, '!', typeText(t), "'!' negates a bool; compare first (x == 0)");
    return ERROR;
  }
  if (e.op === '~' && v.dtype !== 'i32' && v.dtype !== 'u32') {
    ctx.report('TSR2048', e.span, '~', typeText(t), bitwiseHint('~', v.dtype));
    return ERROR;
  }
  if (e.op === '-' && (v.dtype === 'bool' || v.dtype === 'u32')) {
    ctx.report('TSR2048', e.span, '-', typeText(t), `negation needs a signed type; convert with ${v.dtype === 'u32' ? 'i32' : 'f32'}(…)`);
    return ERROR;
  }
  return t;
}

/**
 * A compound assignment through an index tile (`out[ids[tt]] += v`): with repeated
 * indices the read-modify-writes would race, losing updates. True when reported.
 */
export function reportCompoundScatter(ctx: CheckContext, target: IndexExpr, op: string): boolean {
  const tileIndex = target.indices.find((ix) => ix.kind === 'exprIndex' && ctx.types.get(ix.expr)?.kind === 'tile');
  if (!tileIndex || op === '=') return false;
  ctx.report('TSR2045', tileIndex.span, `'${op}' through an index tile`, `with repeated indices the updates would race: write atomic_add(…) on the same target, which adds every one (out[i] = v stores one of the values written to i)`);
  return true;
}

function typeIndex(ctx: CheckContext, e: IndexExpr, mode: Mode): Type {
  const bt = typeExpr(ctx, e.base, mode);
  const itemTypes = e.indices.map((ix) => {
    // `None` in an index adds a unit axis (numpy's newaxis); it is typed by view.ts.
    if (ix.kind === 'exprIndex' && isNewAxis(ctx, ix.expr)) return ctx.setType(ix.expr, { kind: 'void' });
    if (ix.kind === 'exprIndex') return isShiftIndex(ctx, ix.expr) ? typeShift(ctx, ix.expr, mode) : typeExpr(ctx, ix.expr, mode);
    if (ix.lo) typeExpr(ctx, ix.lo, mode);
    if (ix.hi) typeExpr(ctx, ix.hi, mode);
    return undefined;
  });
  if (bt.kind === 'error') return ERROR;
  const moved = e.indices.find((ix) => ix.kind === 'exprIndex' && ix.expr.kind !== 'ident' && ctx.types.get(ix.expr)?.kind === 'loopVar');
  if (moved && bt.kind !== 'tensor') {
    ctx.report('TSR2056', moved.span, typeText(bt), 'a moved tile index', 'only tensors in memory are indexed at an offset: out[tm, A + tn]; a tile in registers has no elements outside it');
    return ERROR;
  }
  if (bt.kind === 'tile') return typeTileIndex(ctx, e, bt);
  if (bt.kind !== 'tensor') {
    ctx.report('TSR2013', e.base.span, e.base.kind === 'ident' ? `'${e.base.name}' (${typeText(bt)})` : typeText(bt));
    return ERROR;
  }
  const name = bt.tensor.name;
  // `b[None, :]`: None adds a unit axis to the result and takes no dimension.
  const newAxes = e.indices.flatMap((ix, i) => (ix.kind === 'exprIndex' && isNewAxis(ctx, ix.expr) ? [i] : []));
  const indices = e.indices.filter((_, i) => !newAxes.includes(i));
  if (indices.length !== bt.dims.length) {
    ctx.report('TSR2010', e.span, name, bt.dims.length, indices.length);
    return ERROR;
  }
  // The axes each index contributes; an integer tile index (a gather) contributes its own.
  const items: Axis[][] = [];
  let gathers = false;
  const itemTypesOf = itemTypes.filter((_, i) => !newAxes.includes(i));
  for (const [i, ix] of indices.entries()) {
    const dim = bt.dims[i];
    if (!dim) return ERROR;
    if (ix.kind === 'slice') {
      // A bounded slice a:b is a whole axis of b - a elements (slice.ts).
      let extent = dim;
      if (ix.lo || ix.hi) {
        const s = sliceExtent(ctx, ix, dim);
        if (!s.ok) {
          ctx.report('TSR2058', s.at?.span ?? ix.span, name, s.why, s.hint);
          return ERROR;
        }
        extent = s.extent;
        ctx.slices.set(ix, extent);
      }
      // A size-1 dimension taken whole is a unit axis: it broadcasts, like numpy's.
      items.push([extent.kind === 'const' && extent.value === 1 ? { kind: 'unit' } : { kind: 'full', dim: extent }]);
      continue;
    }
    const t = itemTypesOf[i];
    if (!t || t.kind === 'error') return ERROR;
    if (t.kind === 'loopVar') {
      // A moved index (A + tn) is masked against the dim it indexes when the kernel runs.
      if (ix.expr.kind === 'ident' && !dimEquals(t.loop.dim, dim) && !isPartOf(ctx, t.loop.dim, dim)) {
        ctx.report('TSR2011', ix.span, t.loop.name, dimText(t.loop.dim), dimText(dim), name);
        return ERROR;
      }
      items.push([{ kind: 'block', loop: t.loop }]);
    } else if (ix.expr.kind === 'ident' && ctx.resolved.get(ix.expr)?.kind === 'blockSize') {
      ctx.report('TSR2059', ix.span, `'${ix.expr.name}'`, 'is a block size, not a tile variable', `index with the loop that uses it: for td in tile(${dimText(dim)}, block=${ix.expr.name}) { … ${name}[…, td] … }`);
      return ERROR;
    } else if (t.kind === 'scalar' && isInt(t.dtype)) {
      // A scalar index picks one element along this dimension: the axis disappears.
      checkFixedIndex(ctx, ix.expr, name, i, dim);
      items.push([]);
    } else if (t.kind === 'tile' && isInt(t.dtype)) {
      items.push([...t.axes]);
      gathers = true;
    } else if (t.kind === 'tile') {
      ctx.report('TSR2052', ix.span, typeText(t));
      return ERROR;
    } else {
      ctx.report('TSR2012', ix.span, typeText(t));
      return ERROR;
    }
  }
  // With index tiles, items share the axes they have in common (logits[tm, labels[tm]] is
  // [tm]); without, each tile variable or ':' is an axis of its own (x[tm, tm] is [tm, tm]).
  if (gathers && moved) {
    ctx.report('TSR2045', moved.span, 'a moved tile index (tn + k) together with an index tile', 'read the moved part with its own index: x[tm, tn + k], or move the index tile instead: x[ids[tt], tn.index + k]');
    return ERROR;
  }
  const axes = gathers ? unionAxes(items).axes : items.flat();
  if (newAxes.length > 0 && gathers) {
    ctx.report('TSR2056', e.span, `tensor '${name}'`, 'None and an index tile together', 'add the unit axis to the gathered tile instead: t[ids[tt], :][:, None]');
    return ERROR;
  }
  if (newAxes.length === 0) return makeValue(bt.dtype, axes);
  // Each None adds a unit axis where it was written, among the axes the other items give.
  let next = 0;
  return makeValue(bt.dtype, e.indices.flatMap((_, i): Axis[] => (newAxes.includes(i) ? [{ kind: 'unit' }] : items[next++] ?? [])));
}

/**
 * Whether every position of `part` is a position of `whole` because `whole` is a sum
 * with `part` as one of its terms (`A` in `A + B`), or a positive multiple of it (`2 * A`):
 * dims are never negative, so a tile loop over A indexes out[tm, tn] of f32[M, A + B] in
 * bounds, as in a `cat`.
 */
function isPartOf(ctx: CheckContext, part: Dim, whole: Dim): boolean {
  const arith = whole.kind === 'sym' ? ctx.derived.get(whole.name) : undefined;
  if (!arith || part.kind !== 'sym') return false;
  const covers = (d: DimArith): boolean => {
    if (d.kind === 'name') return d.name === part.name;
    if (d.kind !== 'binary') return false;
    if (d.op === '+') return covers(d.a) || covers(d.b);
    if (d.op !== '*') return false;
    return (d.a.kind === 'const' && d.a.value >= 1 && covers(d.b)) || (d.b.kind === 'const' && d.b.value >= 1 && covers(d.a));
  };
  return covers(arith);
}

/**
 * An unknown name: a tile variable used after its loop, `None` outside an index, or a
 * plausible misspelling of a visible name or builtin — each says so.
 */
export function reportUnknownName(ctx: CheckContext, e: { readonly name: string; readonly span: Span }): void {
  const ended = ctx.endedLoopVars.get(e.name);
  if (ended) {
    ctx.report('TSR2054', e.span, e.name, `${ended.start.line}:${ended.start.col}`);
    return;
  }
  if (e.name === 'None' || e.name === 'newaxis') {
    ctx.report('TSR2055', e.span, e.name);
    return;
  }
  ctx.report('TSR2001', e.span, e.name, didYouMean(e.name, ctx.scope.visibleNames()));
}

/** A per-row [tm] against [tm, tn] (numpy aligns the last axes): say how to make it a column. */
function broadcastHint(e: Binary, a: readonly Axis[], b: readonly Axis[]): string {
  const [short, long, expr] = a.length < b.length ? [a, b, e.left] : [b, a, e.right];
  const first = long[0];
  if (short.length === 1 && long.length === 2 && first && short[0] && axisEquals(short[0], first)) {
    const name = expr.kind === 'ident' ? expr.name : 'm';
    return `shapes align at their last axis, so ${shapeText(short)} lines up with '${axisText(long[1] ?? first)}': make it a column with ${name}[:, None] (or keepdim=true on the reduction that made it)`;
  }
  return BROADCAST_HINT;
}

/** When transposing one operand of a mismatched `@` would line the inner axes up, say so. */
function transposeHint(e: Binary, l: readonly Axis[], r: readonly Axis[]): string {
  // The matrices' axes are the last two; a batched product keeps its batch axis in front.
  const lead = l.slice(0, -2);
  const [m, k1] = l.slice(-2);
  const [k2, n] = r.slice(-2);
  if (!m || !k1 || !k2 || !n) return '';
  const text = (x: Expr, shape: readonly Axis[]): string => (x.kind === 'index' && x.base.kind === 'ident' ? `${x.base.name}[${shape.map((a) => (a.kind === 'block' ? a.loop.name : ':')).join(', ')}]` : 'b');
  if (axisEquals(k1, n)) return `; the right operand is stored the other way round: write ${text(e.left, l)} @ transpose(${text(e.right, r)}), which is ${shapeText(l)} @ ${shapeText([...lead, n, k2])}`;
  if (axisEquals(m, k2)) return `; the left operand is stored the other way round: write transpose(${text(e.left, l)}) @ ${text(e.right, r)}, which is ${shapeText([...lead, k1, m])} @ ${shapeText(r)}`;
  return '';
}
