/**
 * Which reductions along a row read it in vectors (wgsl/reduce.ts): any reduction (sum,
 * mean, max, min, argmax, argmin) over the last axis of an elementwise f32 value, where
 * that axis is a ':' dim or the block of a tile loop whose size is a multiple of 4, and
 * whose tensor reads are whole rows `x[tm, :]` or whole vectors `g[:]` (column tiles
 * `x[tm, tn]`, `g[tn]` for a block) along that dim (each tensor read one way), in a
 * kernel without `@` and without row caching. Each lane then reads 4 consecutive
 * elements of every such tensor per step, when the dim is a multiple of 4 at run time
 * (then a block's offset is one too, and a ragged last block ends on a vector). Decided
 * on the IR and the config, so the layout (which tensors are declared as arrays of
 * vectors) and the emitter agree.
 */
import type { Dim, IndexItem, KernelIR, TensorRef, Value } from '../ir/nodes.ts';
import type { KernelConfig } from './config.ts';
import { blockOf } from './block.ts';
import { layoutDot } from './dots.ts';
import { operands, stmtValues, walkStmts } from '../ir/walk.ts';

type Reduce = Value & { kind: 'reduce' };

/** Vector width of row reads. */
export const ROW_VECTOR = 4;

const sameDim = (a: Dim | undefined, b: Dim): boolean => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** A tensor read of the reduced value: the tensor and the load (its index and axes). */
export interface RowVectorRead {
  readonly tensor: TensorRef;
  readonly load: Value & { kind: 'load' };
}

/** The tensor reads a reduction takes in vectors, or undefined when it reads element by element. */
export function rowVectorReads(v: Reduce, k: KernelIR, c: KernelConfig): RowVectorRead[] | undefined {
  if (c.vectorWidth < ROW_VECTOR || c.rowCache > 0 || layoutDot(k)) return undefined;
  const axes = v.x.type.axes;
  const last = axes[axes.length - 1];
  if (v.x.type.dtype !== 'f32' || v.axis !== axes.length - 1 || last === undefined) return undefined;
  if (last.kind === 'unit' || (last.kind === 'block' && blockOf(c, last.loop) % ROW_VECTOR !== 0)) return undefined;
  const lastDim = last.kind === 'full' ? last.dim : last.loop.dim;
  // The subscript that walks the reduced axis: ':' for a whole dim, the loop's block for a tile.
  const along = (i: IndexItem | undefined): boolean =>
    last.kind === 'full' ? i?.kind === 'full' : i?.kind === 'block' && i.loop.id === last.loop.id;
  const reads = new Map<string, { tensor: TensorRef; load: Value & { kind: 'load' }; key: string }>();
  const ok = (x: Value): boolean => {
    switch (x.kind) {
      case 'const': case 'dim': case 'param': return true;
      // Per-row values (no extent along the row), the same for the 4 elements.
      case 'local': case 'mat': {
        const own = x.type.axes[x.type.axes.length - 1];
        // A tile narrower than the row lines up with its trailing axes: along a block that is the walked one.
        return own === undefined || own.kind === 'unit' || (last.kind === 'full' && x.type.axes.length < axes.length);
      }
      case 'load': {
        const t = x.tensor;
        const lastItem = x.index[x.index.length - 1];
        const first = x.index[0];
        const rowRead = x.index.length === 2 && first?.kind === 'block' && !along(first) && along(lastItem);
        const vectorRead = x.index.length === 1 && along(lastItem);
        if (t.dtype !== 'f32' || !(rowRead || vectorRead) || !sameDim(t.dims[t.dims.length - 1], lastDim)) return false;
        const key = JSON.stringify(x.index.map((i) => (i.kind === 'block' ? i.loop.id : i.kind)));
        const seen = reads.get(t.name);
        if (seen && seen.key !== key) return false;
        reads.set(t.name, { tensor: t, load: x, key });
        return true;
      }
      case 'unary': case 'binary': case 'select': case 'cast': case 'fill': case 'call': return operands(x).every(ok);
      default: return false;
    }
  };
  return ok(v.x) ? [...reads.values()].map(({ tensor, load }) => ({ tensor, load })) : undefined;
}

/** Tensors some reduction of the kernel reads in vectors: declared as arrays of vec4. */
export function rowVectorTensors(k: KernelIR, c: KernelConfig): Set<string> {
  const names = new Set<string>();
  const visit = (x: Value): void => {
    if (x.kind === 'reduce') rowVectorReads(x, k, c)?.forEach((r) => names.add(r.tensor.name));
    operands(x).forEach(visit);
  };
  walkStmts(k.body, (s) => stmtValues(s).forEach(visit));
  return names;
}
