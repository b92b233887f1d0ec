/**
 * Views of tiles: the same elements with unit axes added or removed. `m[:, None]` turns a
 * per-row [tm] into a [tm, 1] column (numpy's and Helion's spelling); `unsqueeze(m, 1)`,
 * `squeeze(c, axis=1)` and `reshape(c, [tm])` say the same in words. No element moves,
 * so every view is elementwise: the compiler only re-threads coordinates.
 *
 * A view is typed as a tile; the compiler finds its axis mapping with `viewMapping`.
 */
import type { Call, Expr, IndexExpr } from '../ast.ts';
import type { CheckContext } from './context.ts';
import { ERROR, axisEquals, makeValue, shapeText, typeText, valueShape, type Axis, type Type } from './types.ts';

/** `None` / `newaxis` as an index item (unless the kernel binds the name itself). */
export function isNewAxis(ctx: CheckContext, e: Expr): boolean {
  return e.kind === 'ident' && (e.name === 'None' || e.name === 'newaxis') && ctx.scope.lookup(e.name) === undefined;
}

/**
 * How a view's result reads its operand: for each axis of the operand, the result axis
 * whose coordinate it takes, or -1 (a unit axis that was removed: coordinate 0).
 * Undefined when `to` is not `from` with unit axes added or removed.
 */
export function viewMapping(from: readonly Axis[], to: readonly Axis[]): number[] | undefined {
  const map: number[] = [];
  let j = 0;
  for (const a of from) {
    // Skip unit axes the view adds, until the axis that matches this one.
    while (j < to.length && !axisEquals(to[j] ?? { kind: 'unit' }, a) && to[j]?.kind === 'unit') j++;
    const t = to[j];
    if (t !== undefined && axisEquals(t, a)) {
      map.push(j++);
    } else if (a.kind === 'unit') {
      map.push(-1);
    } else {
      return undefined;
    }
  }
  return to.slice(j).every((a) => a.kind === 'unit') ? map : undefined;
}

/** `m[:, None]`: every item is ':' (keep the next axis) or None (add a unit axis). */
export function typeTileIndex(ctx: CheckContext, e: IndexExpr, t: Type): Type {
  const v = valueShape(t);
  if (!v) return ERROR;
  const axes: Axis[] = [];
  let next = 0;
  for (const ix of e.indices) {
    if (ix.kind === 'exprIndex' && isNewAxis(ctx, ix.expr)) {
      axes.push({ kind: 'unit' });
      continue;
    }
    if (ix.kind !== 'slice' || ix.lo || ix.hi) {
      ctx.report('TSR2056', ix.span, typeText(t), 'this index',
        "a tile (unlike a tensor) is indexed only to add unit axes: ':' keeps an axis, None adds one (m[:, None] is a column); to pick elements, index the tensor it came from");
      return ERROR;
    }
    const a = v.axes[next++];
    if (!a) {
      ctx.report('TSR2056', e.span, typeText(t), `${e.indices.length} items`, `it has ${v.axes.length} axes: give one ':' per axis, and None where a unit axis goes`);
      return ERROR;
    }
    axes.push(a);
  }
  if (next !== v.axes.length) {
    ctx.report('TSR2056', e.span, typeText(t), `${next} ':'`, `it has ${v.axes.length} axes: give one ':' per axis, and None where a unit axis goes (m[:, None])`);
    return ERROR;
  }
  return makeValue(v.dtype, axes);
}

/** unsqueeze(x, axis), squeeze(x) / squeeze(x, axis=k), reshape(x, [shape]). */
export function typeViewCall(ctx: CheckContext, e: Call, name: 'unsqueeze' | 'squeeze' | 'reshape', argTypes: readonly Type[], axisArg: number | undefined): Type {
  const x = valueShape(argTypes[0] ?? ERROR);
  const bad = (expected: string, hint: string): Type => {
    ctx.report('TSR2007', e.span, name, expected, argTypes.map(typeText).join(', ') || 'no arguments', hint);
    return ERROR;
  };
  if (!x) return bad('a tile', `${name}(x, …)`);
  const rank = x.axes.length;
  if (name === 'unsqueeze') {
    if (e.args.length !== 2 || axisArg === undefined) return bad('a tile and a compile-time axis', 'unsqueeze(m, 1) turns [tm] into [tm, 1]');
    const at = axisArg < 0 ? rank + 1 + axisArg : axisArg;
    if (at < 0 || at > rank) {
      ctx.report('TSR2009', e.span, axisArg, rank + 1);
      return ERROR;
    }
    return makeValue(x.dtype, [...x.axes.slice(0, at), { kind: 'unit' }, ...x.axes.slice(at)]);
  }
  if (name === 'squeeze') {
    if (e.args.length !== 1) return bad('one tile (and axis=k)', 'squeeze(c, axis=1) turns [tm, 1] into [tm]');
    if (axisArg === undefined) return makeValue(x.dtype, x.axes.filter((a) => a.kind !== 'unit'));
    const at = axisArg < 0 ? rank + axisArg : axisArg;
    const a = x.axes[at];
    if (!a) {
      ctx.report('TSR2009', e.span, axisArg, rank);
      return ERROR;
    }
    if (a.kind !== 'unit') return bad('a unit (size-1) axis to remove', `axis ${axisArg} of ${shapeText(x.axes)} is not a unit axis; only size-1 axes are squeezed`);
    return makeValue(x.dtype, x.axes.filter((_, i) => i !== at));
  }
  const shape = argTypes[1];
  if (e.args.length !== 2 || shape?.kind !== 'shape') return bad('a tile and a shape list', 'reshape(c, [tm]) or reshape(m, [tm, 1])');
  if (!viewMapping(x.axes, shape.axes)) {
    return bad(`a shape that adds or removes unit axes of ${shapeText(x.axes)}`,
      'a tile is reshaped only by adding or removing size-1 axes (its element count follows from the tile); other reshapes would move elements between invocations');
  }
  return makeValue(x.dtype, shape.axes);
}
