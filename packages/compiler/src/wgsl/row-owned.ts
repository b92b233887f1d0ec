/**
 * Kernels whose workgroup memory needs no barriers: under `reduction: 'serial'` each row
 * of the block has one owner, the invocation `row % workgroupSize`, and when every tile in
 * workgroup memory is a column of per-row values (`[tm, 1]`: a reduction's result, a
 * running mean or count) and every statement over such tiles visits rows the same way,
 * each invocation only ever reads the elements it wrote itself. The statements that do:
 * reductions along the row (one lane per row, shape.ts rowLanes), elementwise statements
 * over `[tm, 1]` (a strided loop over the rows), and stores of whole rows (one lane per
 * row, row-vector-store.ts or stmts.ts forEachRowElement).
 *
 * On a software adapter a barrier is a switch between the workgroup's invocations (and
 * the values live across it are spilled): a Welford pass over 4096×5000 on lavapipe took
 * ~35% less CPU time without its barriers (a loaded 2-core machine, interleaved, CPU time
 * per call).
 *
 * Anything else keeps its barriers: a tile with another block axis, a store over
 * `[tm, tn]` (elements shared out in a flat loop), a scan or `@`, the row cache (its fill
 * is shared out by element), a branch or range loop (their bounds are broadcast through
 * workgroup memory), or a transpose, view or gather of a tile.
 */
import type { Axis, KernelIR, Stmt, Value } from '../ir/nodes.ts';
import type { KernelConfig } from '../config/config.ts';
import { operands, stmtValues, walkStmts } from '../ir/walk.ts';
import { storeAxes } from './layout.ts';
import { vectorStoreTensors } from '../config/vector-stores.ts';

export function rowOwnedKernel(k: KernelIR, c: KernelConfig): boolean {
  if (c.reduction !== 'serial' || c.rowCache !== 0) return false;
  const rows = k.grid.filter((l) => l.iter === 'tile').pop();
  if (!rows) return false;
  const isRows = (a: Axis): boolean => a.kind === 'block' && a.loop.id === rows.id;
  const unitLike = (a: Axis): boolean => a.kind === 'unit' || (a.kind === 'full' && a.dim.kind === 'const' && a.dim.value === 1);
  // A column of per-row values: the rows block once, every other axis of size 1.
  const perRow = (axes: readonly Axis[]): boolean => axes.filter(isRows).length === 1 && axes.every((a) => isRows(a) || unitLike(a));
  // A store visits rows as a reduction does: per-row values, or whole rows of run-time length.
  // (Stores in vectors other than whole rows give each invocation 4 neighbouring rows.)
  const vectorStores = vectorStoreTensors(k, c);
  const rowStore = (s: Stmt & { kind: 'store' }): boolean => {
    const axes = storeAxes(s);
    const last = axes[axes.length - 1];
    const wholeRows = s.index[s.index.length - 1]?.kind === 'full';
    if (perRow(axes)) return wholeRows || !vectorStores.has(s.tensor.name);
    return wholeRows && last?.kind === 'full' && last.dim.kind !== 'const' && perRow(axes.slice(0, -1));
  };
  let owned = true;
  const readsTiles = (v: Value): boolean => v.kind === 'local' || v.kind === 'mat' || operands(v).some(readsTiles);
  const visit = (v: Value): void => {
    if ((v.kind === 'transpose' || v.kind === 'view' || v.kind === 'gather') && operands(v).some(readsTiles)) owned = false;
    operands(v).forEach(visit);
  };
  walkStmts(k.body, (s) => {
    switch (s.kind) {
      case 'declare': if (s.init.type.axes.length > 0 && !perRow(s.init.type.axes)) owned = false; break;
      case 'materialize': if (s.value.kind !== 'reduce' || !perRow(s.value.type.axes)) owned = false; break;
      case 'store': if (!rowStore(s)) owned = false; break;
      case 'if': case 'rangeLoop': owned = false; break;
      default: break;
    }
    stmtValues(s).forEach(visit);
  });
  return owned;
}
