/**
 * The tile a store writes, and which of its coordinates each subscript reads. Without an
 * index tile each block, ':' or slice subscript is an axis of its own, in order
 * (`out[tm, tn]` is [tm, tn]). With one (a scatter, `out[ids[tt], :]`) the axes are the
 * union of the subscripts' axes, as for a gather (unionAxes): `out[tm, labels[tm]]`
 * writes one element per row, [tm].
 */
import { unionAxes } from 'tessera-gpu-dsl/check';
import type { Axis, Dim, IndexItem, LoopInfo, TensorRef, Value } from './nodes.ts';

export interface StoreShape {
  readonly axes: readonly Axis[];
  /** Per subscript: the store coordinates its axes read (none for a scalar). */
  readonly at: readonly (readonly number[])[];
}

const wholeAxis = (dim: Dim | undefined): Axis => ({ kind: 'full', dim: dim ?? { kind: 'const', value: 1 } });

function itemAxes(t: TensorRef, item: IndexItem, i: number, scatter: boolean): Axis[] {
  switch (item.kind) {
    case 'block': case 'shifted': return [{ kind: 'block', loop: item.loop }];
    case 'full': return [scatter && t.dims[i]?.kind === 'const' && t.dims[i]?.value === 1 ? { kind: 'unit' } : wholeAxis(t.dims[i])];
    case 'slice': return [scatter && item.extent.kind === 'const' && item.extent.value === 1 ? { kind: 'unit' } : wholeAxis(item.extent)];
    case 'tile': return [...item.value.type.axes];
    case 'scalar': return [];
  }
}

export function storeShape(t: TensorRef, index: readonly IndexItem[]): StoreShape {
  const scatter = index.some((i) => i.kind === 'tile');
  const items = index.map((item, i) => itemAxes(t, item, i, scatter));
  if (scatter) {
    const { axes, positions } = unionAxes(items);
    return { axes, at: positions };
  }
  let next = 0;
  return { axes: items.flat(), at: items.map((a) => a.map(() => next++)) };
}

/** How a text target (WGSL, JavaScript) writes the parts of a position. */
export interface PositionParts {
  /** A value at the given store coordinates. */
  value(v: Value, coords: readonly string[]): string;
  /** The first position of a tile loop's current tile. */
  offset(loop: LoopInfo): string;
}

/**
 * The position subscript `item` gives along its dim, its axes at store coordinates `at`
 * (storeShape): a moved block's is the amount plus the block's position (`out[tm, A + tn]`),
 * a slice's its start plus the coordinate, an index tile's its value. The sums read the
 * same in WGSL and in JavaScript, so both text backends build them here.
 */
export function positionText(item: IndexItem, at: readonly number[], coords: readonly string[], parts: PositionParts): string {
  const c = coords[at[0] ?? 0] ?? '0';
  switch (item.kind) {
    case 'scalar': return parts.value(item.value, []);
    case 'block': return `(${parts.offset(item.loop)} + ${c})`;
    case 'shifted': return `(${parts.value(item.by, [])} + ${parts.offset(item.loop)} + ${c})`;
    case 'full': return c;
    case 'slice': return `(${parts.value(item.from, [])} + ${c})`;
    case 'tile': return `(${parts.value(item.value, item.value.type.axes.map((ax, j) => (ax.kind === 'unit' ? '0' : coords[at[j] ?? 0] ?? '0')))})`;
  }
}
