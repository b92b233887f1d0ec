/**
 * Which outputs must start as zeros. An `empty` output's buffer may be a destroyed
 * tensor's (the runtime reuses buffers), so any element a kernel reads before writing,
 * or never writes, would show that tensor's data, and the interpreter (whose arrays
 * start as zeros) would disagree with WebGPU. Such outputs are zero-filled on every
 * backend, as `zeros` outputs are:
 *   - an output that is read anywhere (`out[tn] += x[tn]`, a load or gather of it);
 *   - an output no unconditional store is sure to cover in full: stores under an `if`
 *     or in a `range` loop, or at a scalar index, may leave elements unwritten.
 * Conservative by design: a kernel that does cover its output gets no extra fill.
 */
import type { Dim, FuncIR, IndexItem, Stmt, TensorRef, Value } from '../ir/nodes.ts';
import { operands, stmtValues, walkStmts } from '../ir/walk.ts';

export function outputsToZeroFill(body: readonly Stmt[], funcs: readonly FuncIR[], outputs: readonly TensorRef[]): Set<TensorRef> {
  const read = new Set<TensorRef>();
  const visit = (v: Value): void => {
    if ((v.kind === 'load' || v.kind === 'gather') && v.tensor.role === 'output') read.add(v.tensor);
    operands(v).forEach(visit);
  };
  for (const stmts of [body, ...funcs.map((f) => f.body)]) walkStmts(stmts, (s) => stmtValues(s).forEach(visit));
  const covered = new Set<TensorRef>();
  coverStores(body, covered);
  return new Set(outputs.filter((o) => !o.zeroInit && (read.has(o) || !covered.has(o))));
}

/** Outputs written in full by a store every program runs (not under `if` or `range`). */
function coverStores(stmts: readonly Stmt[], covered: Set<TensorRef>): void {
  for (const s of stmts) {
    if (s.kind === 'tileLoop') coverStores(s.body, covered);
    if (s.kind === 'store' && !s.atomic && s.index.every((item, axis) => coversAxis(item, s.tensor.dims[axis]))) covered.add(s.tensor);
  }
}

/** A block of a tile loop over the dim (every block runs), `:`, or a grid loop's index. */
function coversAxis(item: IndexItem, dim: Dim | undefined): boolean {
  if (dim === undefined) return false;
  if (item.kind === 'full') return true;
  if (item.kind === 'block') return sameDim(item.loop.dim, dim);
  // A moved block covers only part of the dim, as far as anyone can tell before the run.
  if (item.kind === 'shifted') return false;
  // A slice covers part of the dim; a scatter the positions its index tile holds.
  if (item.kind === 'slice' || item.kind === 'tile') return false;
  return item.value.kind === 'gridIndex' && sameDim(item.value.loop.dim, dim);
}

function sameDim(a: Dim, b: Dim): boolean {
  return a.kind === 'sym' ? b.kind === 'sym' && a.name === b.name : b.kind === 'const' && a.value === b.value;
}
