/**
 * Sizes, coordinates and masks of tile axes in WGSL. Coordinates are i32 expressions,
 * local to the tile (0 ≤ c < size); a block axis's global index is `offset + c`.
 */
import type { Axis, Dim } from '../ir/nodes.ts';
import { offsetName, type EmitContext } from './context.ts';
import { axisLength } from '../config/block.ts';
import { uniformRef } from './names.ts';

export function dimExpr(d: Dim): string {
  return d.kind === 'sym' ? uniformRef(d.name) : `${d.value}`;
}

/** The size of an axis inside a tile: compile-time for blocks and units. */
export function axisSize(ctx: EmitContext, a: Axis): string {
  switch (a.kind) {
    case 'block': return String(ctx.block(a.loop));
    case 'full': return dimExpr(a.dim);
    case 'unit': return '1';
  }
}

/** The compile-time size of an axis, or undefined when it depends on a runtime dim. */
export function staticAxisSize(ctx: EmitContext, a: Axis): number | undefined {
  return axisLength(ctx.config, a);
}

export function staticSize(ctx: EmitContext, axes: readonly Axis[]): number | undefined {
  let n = 1;
  for (const a of axes) {
    const s = staticAxisSize(ctx, a);
    if (s === undefined) return undefined;
    n *= s;
  }
  return n;
}

/** Number of elements of a tile shape, as a WGSL expression. */
export function sizeExpr(ctx: EmitContext, axes: readonly Axis[]): string {
  const s = staticSize(ctx, axes);
  if (s !== undefined) return String(s);
  return axes.map((a) => axisSize(ctx, a)).filter((x) => x !== '1').join(' * ') || '1';
}

/**
 * How a tile of `rows` rows is shared out when each row is walked by a group of lanes:
 * the largest power of two `lanes` with lanes × rows ≤ the workgroup size (1 when there
 * are more rows than invocations: then each invocation walks whole rows, and rows are
 * taken `perPass` at a time). Reductions and elementwise loops over rows use the same
 * split, so an invocation revisits the elements whose partial results it computed.
 * With `reduction: 'serial'` every row has one lane: each invocation walks whole rows.
 */
export function rowLanes(rows: number, workgroupSize: number, serial = false): { lanes: number; perPass: number } {
  let lanes = 1;
  while (!serial && lanes * 2 * rows <= workgroupSize) lanes *= 2;
  return { lanes, perPass: Math.max(1, Math.floor(workgroupSize / lanes)) };
}

/** Row-major linear index of `coords` in a tile of shape `axes` (unit axes add nothing). */
export function linearIndex(ctx: EmitContext, axes: readonly Axis[], coords: readonly string[]): string {
  let expr = '';
  for (const [i, a] of axes.entries()) {
    if (a.kind === 'unit') continue;
    const c = coords[i] ?? '0';
    expr = expr === '' ? c : `(${expr}) * ${axisSize(ctx, a)} + ${c}`;
  }
  return expr === '' ? '0' : expr;
}

/**
 * Emits `let` bindings that split linear element index `e` into per-axis coordinates of
 * `axes` (row-major: last axis fastest) and returns their names.
 */
export function emitDecompose(ctx: EmitContext, axes: readonly Axis[], e: string): string[] {
  const names = axes.map(() => ctx.fresh('c'));
  let rest = e;
  for (let i = axes.length - 1; i >= 0; i--) {
    const a = axes[i];
    const name = names[i];
    if (!a || !name) continue;
    if (a.kind === 'unit') {
      ctx.line(`let ${name} = 0;`);
      continue;
    }
    const size = axisSize(ctx, a);
    if (i === 0) {
      ctx.line(`let ${name} = ${rest};`);
    } else {
      ctx.line(`let ${name} = ${rest} % ${size};`);
      const next = ctx.fresh('q');
      ctx.line(`let ${next} = ${rest} / ${size};`);
      rest = next;
    }
  }
  return names;
}

/** In-bounds condition for the block axes of a tile at `coords` ('' when always true). */
export function maskExpr(axes: readonly Axis[], coords: readonly string[]): string {
  const parts: string[] = [];
  for (const [i, a] of axes.entries()) {
    if (a.kind === 'block') parts.push(`${offsetName(a.loop)} + ${coords[i] ?? '0'} < ${dimExpr(a.loop.dim)}`);
  }
  return parts.join(' && ');
}

/** Coordinates for an operand of shape `to`, broadcast from a result at `coords` (right-aligned). */
export function alignCoords(coords: readonly string[], to: readonly Axis[]): string[] {
  const offset = coords.length - to.length;
  return to.map((a, i) => (a.kind === 'unit' ? '0' : coords[offset + i] ?? '0'));
}
