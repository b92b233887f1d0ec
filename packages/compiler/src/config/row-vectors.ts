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
import type { Axis, Dim, IndexItem, KernelIR, Stmt, TensorRef, Value } from '../ir/nodes.ts';
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
  if (v.x.type.dtype !== 'f32' || v.axis !== axes.length - 1) return undefined;
  const check = rowChecker(axes, c, () => false);
  return check && check.ok(v.x) ? check.reads() : undefined;
}

/**
 * Checks values evaluated along the last axis of `axes` 4 elements at a time: elementwise
 * f32 over row reads along that axis (each tensor read one way, collected in `reads`),
 * per-row values and the mats `mat` accepts. Undefined when the axis cannot be walked in
 * vectors (a unit axis, a block that is not a multiple of 4).
 */
function rowChecker(axes: readonly Axis[], c: KernelConfig, mat: (id: string) => boolean): { ok: (x: Value) => boolean; reads: () => RowVectorRead[] } | undefined {
  const last = axes[axes.length - 1];
  if (last === undefined || last.kind === 'unit' || (last.kind === 'block' && blockOf(c, last.loop) % ROW_VECTOR !== 0)) return undefined;
  const lastDim = last.kind === 'full' ? last.dim : last.loop.dim;
  // The subscript that walks the axis: ':' for a whole dim, the loop's block for a tile.
  const along = (i: IndexItem | undefined): boolean =>
    last.kind === 'full' ? i?.kind === 'full' : i?.kind === 'block' && i.loop.id === last.loop.id;
  const reads = new Map<string, { tensor: TensorRef; load: Value & { kind: 'load' }; key: string }>();
  const ok = (x: Value): boolean => {
    switch (x.kind) {
      case 'const': case 'dim': case 'param': return true;
      // Per-row values (no extent along the row), the same for the 4 elements.
      case 'local': case 'mat': {
        if (x.kind === 'mat' && mat(x.id)) return true;
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
  return { ok, reads: () => [...reads.values()].map(({ tensor, load }) => ({ tensor, load })) };
}

/**
 * A row scan walked in vectors (wgsl/scan-serial.ts): under `reduction: 'serial'`, a
 * cumsum of an f32 value along the last axis, a ':' dim, of `[tm, :]` rows, read as
 * reductions are (rowChecker), and stored right away by `out[tm, :] = f(@scan, …)` into
 * f32 tensors along the same dim. Each step then reads 4 elements of every tensor read
 * and writes 4 of every tensor stored, when the row length is a multiple of 4 at run time.
 */
export interface RowScanVectors {
  readonly reads: readonly RowVectorRead[];
  /** The consumers' stores, in order: the statements right after the scan. */
  readonly stores: readonly (Stmt & { kind: 'store' })[];
}

export function rowScanVectors(stmts: readonly Stmt[], at: number, k: KernelIR, c: KernelConfig): RowScanVectors | undefined {
  const s = stmts[at];
  if (c.reduction !== 'serial' || c.vectorWidth < ROW_VECTOR || c.rowCache > 0 || layoutDot(k)) return undefined;
  if (s?.kind !== 'materialize' || s.value.kind !== 'scan') return undefined;
  const v = s.value;
  const axes = v.x.type.axes;
  const last = axes[axes.length - 1];
  if (v.x.type.dtype !== 'f32' || v.axis !== axes.length - 1 || last?.kind !== 'full' || axes.length !== 2 || axes[0]?.kind !== 'block') return undefined;
  const check = rowChecker(axes, c, (id) => id === s.id);
  if (!check || !check.ok(v.x)) return undefined;
  const stores: (Stmt & { kind: 'store' })[] = [];
  for (const t of stmts.slice(at + 1)) {
    if (t.kind !== 'store' || !readsMat(t.value, s.id)) break;
    const [row, col] = t.index;
    if (t.atomic || t.tensor.dtype !== 'f32' || t.index.length !== 2 || row?.kind !== 'block' || row.loop.id !== axes[0].loop.id || col?.kind !== 'full' ||
      !sameDim(t.tensor.dims[1], last.dim) || !check.ok(t.value)) return undefined;
    stores.push(t);
  }
  // A consumer reading what another stores would see a vector of it half written.
  const written = new Set(stores.map((t) => t.tensor.name));
  const reads = check.reads();
  if (stores.length === 0 || reads.some((r) => written.has(r.tensor.name))) return undefined;
  return { reads, stores };
}

function readsMat(v: Value, id: string): boolean {
  return (v.kind === 'mat' && v.id === id) || operands(v).some((x) => readsMat(x, id));
}

/** Tensors some reduction or row scan of the kernel reads (or stores) in vectors: declared as arrays of vec4. */
export function rowVectorTensors(k: KernelIR, c: KernelConfig): Set<string> {
  const names = new Set<string>();
  const visit = (x: Value): void => {
    if (x.kind === 'reduce') rowVectorReads(x, k, c)?.forEach((r) => names.add(r.tensor.name));
    operands(x).forEach(visit);
  };
  walkStmts(k.body, (s) => stmtValues(s).forEach(visit));
  const scans = (stmts: readonly Stmt[]): void => {
    stmts.forEach((_, i) => {
      const plan = rowScanVectors(stmts, i, k, c);
      plan?.reads.forEach((r) => names.add(r.tensor.name));
      plan?.stores.forEach((t) => names.add(t.tensor.name));
    });
    for (const s of stmts) {
      if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') scans(s.body);
      if (s.kind === 'if') {
        scans(s.then);
        scans(s.otherwise);
      }
    }
  };
  scans(k.body);
  return names;
}
