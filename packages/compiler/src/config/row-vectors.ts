/**
 * Which reductions along a whole row read it in vectors (wgsl/reduce.ts): any reduction
 * (sum, mean, max, min, argmax, argmin) over the last axis, a ':' dim, of an elementwise f32 value whose tensor reads
 * are whole rows `x[tm, :]` or whole vectors `g[:]` along that dim (each tensor read one
 * way), in a kernel without `@` and without row caching. Each lane then reads 4
 * consecutive elements of every such tensor per step, when the row length is a multiple
 * of 4 at run time. Decided on the IR and the config, so the layout (which tensors are
 * declared as arrays of vectors) and the emitter agree.
 */
import type { Dim, KernelIR, TensorRef, Value } from '../ir/nodes.ts';
import type { KernelConfig } from './config.ts';
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
  if (v.x.type.dtype !== 'f32' || v.axis !== axes.length - 1 || last?.kind !== 'full') return undefined;
  const reads = new Map<string, { tensor: TensorRef; load: Value & { kind: 'load' }; key: string }>();
  const ok = (x: Value): boolean => {
    switch (x.kind) {
      case 'const': case 'dim': case 'param': return true;
      // Per-row values (no extent along the row), the same for the 4 elements.
      case 'local': case 'mat': return x.type.axes.length < axes.length || x.type.axes[x.type.axes.length - 1]?.kind === 'unit';
      case 'load': {
        const t = x.tensor;
        const lastItem = x.index[x.index.length - 1];
        const rowRead = x.index.length === 2 && x.index[0]?.kind === 'block' && lastItem?.kind === 'full';
        const vectorRead = x.index.length === 1 && lastItem?.kind === 'full';
        if (t.dtype !== 'f32' || !(rowRead || vectorRead) || !sameDim(t.dims[t.dims.length - 1], last.dim)) return false;
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
