/**
 * Row-at-a-time tiles. A whole-row kernel (softmax, layernorm: `for tm in tile(M)` whose
 * statements each sweep the tile's rows) lowered statement by statement reads its tile
 * once per statement. At 8 rows of 1024 floats a sweep is 32 KiB of input plus what the
 * statement writes, more than an L1 data cache holds (32–48 KiB), so every sweep after
 * the first reads from L2. Where no statement mixes the rows of a tile, running the whole
 * body once per row computes the same values (each element sees the same operations in
 * the same order) with one row as the working set, whatever the block; the block then
 * only sets how many rows a thread claims at once, which amortises the per-tile cost (an
 * atomic claim and the grid decode) without growing the working set.
 *
 * rowLoop finds the loop to run that way: the kernel's one tiled grid loop, when every
 * statement keeps its rows apart. Rows stay apart when no reduction, scan or `@` folds
 * along the loop's axis, no value reads the tile's bounds, every store writes whole rows
 * of this tile (the loop's own block subscript, plain stores, no scatter), and every read
 * of a tensor the kernel writes reads this tile's rows. A loop whose block axis is the
 * last axis of a load (the vector axis, as in a 1-D elementwise kernel) is left as it is:
 * one element per row would leave nothing to vectorize.
 */
import type { Axis, IndexItem, KernelIR, LoopInfo, Stmt, TensorRef, Value } from '../ir/nodes.ts';
import { reductionAxes } from '../ir/reduce-axes.ts';
import { operands, stmtValues } from '../ir/walk.ts';

const isLoop = (a: Axis | undefined, loop: LoopInfo): boolean => a?.kind === 'block' && a.loop.id === loop.id;

/** The last axis that is not a unit axis (the one vector loops step along). */
function lastAxis(axes: readonly Axis[]): Axis | undefined {
  for (let i = axes.length - 1; i >= 0; i--) if (axes[i]?.kind !== 'unit') return axes[i];
  return undefined;
}

const sameTensor = (a: TensorRef, b: TensorRef): boolean => a.role === b.role && a.index === b.index;

/** A subscript list that names this tile's rows: the loop's own block subscript, unmoved. */
function rowsOfTile(index: readonly IndexItem[], loop: LoopInfo): boolean {
  return index.some((i) => i.kind === 'block' && i.loop.id === loop.id)
    && !index.some((i) => i.kind === 'tile' || (i.kind === 'shifted' && i.loop.id === loop.id));
}

function valueKeepsRows(v: Value, loop: LoopInfo, written: readonly TensorRef[]): boolean {
  switch (v.kind) {
    case 'dot': return false;
    case 'tileBound': if (v.loop.id === loop.id) return false; break;
    case 'reduce': if (reductionAxes(v).redAxes.some((a) => isLoop(a, loop))) return false; break;
    case 'scan': if (isLoop(v.x.type.axes[v.axis], loop)) return false; break;
    case 'load':
      if (isLoop(lastAxis(v.type.axes), loop)) return false;
      if (v.index.some((i) => i.kind === 'shifted' && i.loop.id === loop.id)) return false;
      if (written.some((t) => sameTensor(t, v.tensor)) && !rowsOfTile(v.index, loop)) return false;
      break;
    case 'gather':
      if (isLoop(lastAxis(v.type.axes), loop) || written.some((t) => sameTensor(t, v.tensor))) return false;
      break;
    default: break;
  }
  return operands(v).every((x) => valueKeepsRows(x, loop, written));
}

function stmtsKeepRows(stmts: readonly Stmt[], loop: LoopInfo, written: readonly TensorRef[]): boolean {
  return stmts.every((s) => {
    if (s.kind === 'store') {
      if (s.atomic || !rowsOfTile(s.index, loop)) return false;
    }
    if (!stmtValues(s).every((v) => valueKeepsRows(v, loop, written))) return false;
    if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') return stmtsKeepRows(s.body, loop, written);
    if (s.kind === 'if') return stmtsKeepRows(s.then, loop, written) && stmtsKeepRows(s.otherwise, loop, written);
    return true;
  });
}

function storedTensors(stmts: readonly Stmt[]): TensorRef[] {
  return stmts.flatMap((s) => {
    if (s.kind === 'store') return [s.tensor];
    if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') return storedTensors(s.body);
    if (s.kind === 'if') return [...storedTensors(s.then), ...storedTensors(s.otherwise)];
    return [];
  });
}

/** The grid loop whose tiles can run one row at a time (see the file comment), if any. */
export function rowLoop(ir: KernelIR): LoopInfo | undefined {
  const tiled = ir.grid.filter((l) => l.iter === 'tile');
  const loop = tiled[0];
  if (tiled.length !== 1 || !loop || loop.blockSize === true) return undefined;
  return stmtsKeepRows(ir.body, loop, storedTensors(ir.body)) ? loop : undefined;
}
