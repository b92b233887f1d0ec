/**
 * Tile shapes in generated JavaScript: axis sizes, element loops, buffer indexing.
 *
 * Element loops cover only the in-bounds part of each block axis (`n_tm` elements, fewer
 * than the block at a ragged edge). Nothing can observe a tile element outside its dim:
 * stores skip it, reductions, scans and `@` skip it along the axes they combine, and
 * every other operation is elementwise. So out-of-bounds elements are never computed,
 * and loads need no mask: every coordinate an element loop produces is in bounds.
 * Buffers keep block-sized strides, so a tile's layout does not depend on the edge.
 */
import type { Axis, DType, Dim } from 'tessera-gpu-compiler';
import { countName, dimName, type JsContext } from './context.ts';

export function dimExpr(d: Dim): string {
  return d.kind === 'sym' ? dimName(d.name) : String(d.value);
}

/** An axis's extent in a buffer (its stride unit): the block size for a block axis. */
export function axisSize(ctx: JsContext, a: Axis): string {
  switch (a.kind) {
    case 'block': return String(ctx.block(a.loop));
    case 'full': return dimExpr(a.dim);
    case 'unit': return '1';
  }
}

/** How many in-bounds elements the axis has in the current tile. */
export function axisCount(ctx: JsContext, a: Axis): string {
  switch (a.kind) {
    case 'block': return countName(a.loop);
    case 'full': return dimExpr(a.dim);
    case 'unit': return '1';
  }
}

/** Number of elements of a buffer of shape `axes`, as a JS expression. */
export function sizeExpr(ctx: JsContext, axes: readonly Axis[]): string {
  const parts = axes.map((a) => axisSize(ctx, a)).filter((s) => s !== '1');
  return parts.length === 0 ? '1' : parts.join(' * ');
}

/** Row-major index of `coords` in a buffer of shape `axes` (unit axes add nothing). */
export function linearIndex(ctx: JsContext, axes: readonly Axis[], coords: readonly string[]): string {
  let expr = '';
  for (const [i, a] of axes.entries()) {
    if (a.kind === 'unit') continue;
    const c = coords[i] ?? '0';
    expr = expr === '' ? c : `(${expr}) * ${axisSize(ctx, a)} + ${c}`;
  }
  return expr === '' ? '0' : expr;
}

/**
 * Coordinates for an operand of shape `to`, broadcast from coordinates of a wider shape
 * (right-aligned, as broadcasting is; unit axes and missing leading axes read index 0).
 */
export function alignCoords(coords: readonly string[], to: readonly Axis[]): string[] {
  const offset = coords.length - to.length;
  return to.map((a, i) => (a.kind === 'unit' ? '0' : coords[offset + i] ?? '0'));
}

/** Emits nested loops over the in-bounds elements of shape `axes`; `each` writes the body. */
export function forEachElement(ctx: JsContext, axes: readonly Axis[], each: (coords: string[]) => void): void {
  const coords: string[] = [];
  let opened = 0;
  for (const a of axes) {
    if (a.kind === 'unit') {
      coords.push('0');
      continue;
    }
    const c = ctx.fresh('c');
    coords.push(c);
    ctx.open(`for (let ${c} = 0; ${c} < ${axisCount(ctx, a)}; ${c}++) {`);
    opened++;
  }
  each(coords);
  for (let i = 0; i < opened; i++) ctx.close();
}

/** The typed array a tile buffer of this dtype lives in (f16 values are exact in f32). */
export function bufferType(d: DType): string {
  switch (d) {
    case 'f32': case 'f16': return 'Float32Array';
    case 'i32': return 'Int32Array';
    case 'u32': return 'Uint32Array';
    case 'bool': return 'Uint8Array';
  }
}
