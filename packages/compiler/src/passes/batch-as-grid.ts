/**
 * batchAsGrid (config-time, WGSL): a batch loop whose block the config sets to 1 becomes a
 * grid loop — one program per batch index — and its axis leaves every tile. A batched `@`
 * (lowered by lowerBatchedDot to a loop over the batch block) then runs on 2-D tiles:
 * its accumulator is [tm, tn], the shape of the register micro-tile, so it lives in
 * registers exactly as with `for b in grid(B)` written by hand, instead of in workgroup
 * memory as a [1, tm, tn] tile would.
 *
 * A batch loop is a launch-grid tile loop beside the kernel's `@` rows and columns
 * (config/dots.ts layoutDot). The rewrite drops the loop's axis from each value's type;
 * its block subscripts become the program index, `tb.index` and `tb.begin` the index,
 * `tb.end` the index + 1 (a grid loop has no ragged tile). A unit axis aligned with the
 * dropped one is dropped with it (a view), so broadcasting still aligns. Where the axis
 * is one that reductions, scans, gathers, 2-D `@`s or transposes work along, the kernel
 * is kept as it is (`undefined`): the rewrite is only an optimisation.
 */
import type { KernelConfig } from '../config/config.ts';
import { blockOf } from '../config/block.ts';
import { layoutDot } from '../config/dots.ts';
import { fuseDotAccumulate } from './fuse-dot-accumulate.ts';
import type { Axis, IndexItem, KernelIR, LoopInfo, Stmt, Value, VType } from '../ir/nodes.ts';
import { mapGatherValues } from '../ir/walk.ts';

class Keep extends Error {}

const I32: VType = { dtype: 'i32', axes: [] };

export function batchAsGrid(k: KernelIR, config: KernelConfig): KernelIR {
  const dot = layoutDot(k);
  if (!dot) return k;
  let out = k;
  for (const loop of k.grid) {
    if (loop.iter !== 'tile' || loop.id === dot.rows.id || loop.id === dot.cols.id || blockOf(config, loop) !== 1) continue;
    out = dropLoop(out, loop) ?? out;
  }
  return out;
}

function dropLoop(k: KernelIR, loop: LoopInfo): KernelIR | undefined {
  const grid: LoopInfo = { ...loop, iter: 'grid', fixedBlock: 1 };
  const index: Value = { kind: 'gridIndex', loop: grid, type: I32 };
  const isLoop = (a: Axis | undefined): boolean => a?.kind === 'block' && a.loop.id === loop.id;
  const at = (axes: readonly Axis[]): number => axes.findIndex(isLoop);
  const dropType = (t: VType): VType => ({ dtype: t.dtype, axes: t.axes.filter((a) => !isLoop(a)) });
  const memo = new Map<Value, Value>();
  // The variables of lowerBatchedDot's loops over this loop's block, which now run once, at 0.
  const once = new Set<string>();
  const isIndex = (x: Value): boolean => (x.kind === 'gridIndex' && x.loop.id === loop.id) || (x.kind === 'view' && isIndex(x.x));

  /** `x`, an operand aligned at the last axis with a parent of `rank` axes whose axis `p` is dropped. */
  const aligned = (x: Value, rank: number, p: number): Value => {
    const q = p - (rank - x.type.axes.length);
    const dropped = drop(x);
    if (p < 0 || q < 0 || x.type.axes[q]?.kind !== 'unit') return dropped;
    // A unit axis standing where the batch axis was: drop it too, keeping the alignment.
    const from = x.type.axes.map((_, j) => (j === q ? -1 : j < q ? j : j - 1));
    return { kind: 'view', x: dropped, from, type: { dtype: dropped.type.dtype, axes: dropped.type.axes.filter((_, j) => j !== q) } };
  };

  const drop = (v: Value): Value => {
    const seen = memo.get(v);
    if (seen) return seen;
    const got = dropInner(v);
    memo.set(v, got);
    return got;
  };

  const dropInner = (v: Value): Value => {
    const p = at(v.type.axes);
    const rank = v.type.axes.length;
    const type = dropType(v.type);
    const op = (x: Value): Value => aligned(x, rank, p);
    switch (v.kind) {
      case 'const': case 'dim': case 'param': case 'gridIndex': return v;
      case 'local': return once.has(v.id) ? { kind: 'const', value: 0, type: I32 } : { ...v, type };
      case 'mat': return { ...v, type };
      case 'position': return isLoop(v.type.axes[0]) ? index : v;
      case 'tileBound':
        if (v.loop.id !== loop.id) return v;
        if (v.bound === 'begin') return index;
        if (v.bound === 'end') return { kind: 'binary', op: 'add', a: index, b: { kind: 'const', value: 1, type: I32 }, type: I32 };
        return { kind: 'const', value: 1, type: I32 };
      case 'load': return { ...v, index: dropIndex(v.index, index, loop, drop), type };
      case 'unary': case 'cast': return { ...v, x: op(v.x), type };
      case 'binary': {
        const a = op(v.a);
        const b = op(v.b);
        // tb.begin + i with i = 0; tb.index == tb.begin + i, at the one element there is.
        if (v.op === 'add' && b.kind === 'const' && b.value === 0 && a.type.axes.length === type.axes.length) return a;
        if (v.op === 'eq' && isIndex(a) && isIndex(b)) return { kind: 'const', value: true, type: { dtype: 'bool', axes: [] } };
        return { ...v, a, b, type };
      }
      case 'select': {
        const cond = op(v.cond);
        const a = op(v.a);
        if (cond.kind === 'const' && cond.value === true && a.type.axes.length === type.axes.length) return a;
        return { ...v, cond, a, b: op(v.b), type };
      }
      case 'call': return { ...v, args: v.args.map(op), type };
      case 'fill': return { ...v, value: drop(v.value), type };
      case 'transpose':
        // Only a batch axis in front of the swapped two can go.
        if (p >= 0 && p >= rank - 2) throw new Keep();
        return { ...v, x: drop(v.x), type };
      case 'view': {
        const j = v.from.indexOf(p);
        const from = v.from.filter((_, i) => p < 0 || i !== j).map((f) => (p >= 0 && f > p ? f - 1 : f));
        if (p >= 0 && j < 0) throw new Keep();
        return { ...v, x: drop(v.x), from, type };
      }
      case 'reduce': case 'scan': {
        const q = at(v.x.type.axes);
        if (q < 0) return { ...v, x: drop(v.x) };
        if (v.axis === 'all' || v.axis === q) throw new Keep();
        return { ...v, x: drop(v.x), axis: v.axis > q ? v.axis - 1 : v.axis, type };
      }
      case 'dot':
        if (p >= 0 || at(v.a.type.axes) >= 0 || at(v.b.type.axes) >= 0) throw new Keep();
        return v.acc ? { ...v, a: drop(v.a), b: drop(v.b), acc: drop(v.acc) } : { ...v, a: drop(v.a), b: drop(v.b) };
      case 'gather':
        if (p >= 0) throw new Keep();
        return { ...v, index: mapGatherValues(v.index, drop) };
    }
  };

  const dropStmt = (s: Stmt): Stmt[] => [dropOne(s)].flat();
  const dropOne = (s: Stmt): Stmt | Stmt[] => {
    switch (s.kind) {
      case 'declare': return { ...s, init: drop(s.init) };
      case 'assign': case 'materialize': case 'return': return { ...s, value: drop(s.value) };
      case 'store': {
        const axes = storeAxes(s);
        // Slices and scatters keep their kernel as it is (their positions are not blocks).
        if (s.value.type.axes.length > axes.length || s.index.some((i) => i.kind === 'slice' || i.kind === 'tile')) throw new Keep();
        return { ...s, index: dropIndex(s.index, index, loop, drop), value: aligned(s.value, axes.length, at(axes)) };
      }
      case 'tileLoop': return { ...s, body: s.body.flatMap(dropStmt) };
      case 'rangeLoop':
        if (overBlock(s, loop)) {
          once.add(s.id);
          return s.body.flatMap(dropStmt);
        }
        return { ...s, lo: drop(s.lo), hi: drop(s.hi), body: s.body.flatMap(dropStmt) };
      case 'if': return { ...s, cond: drop(s.cond), then: s.then.flatMap(dropStmt), otherwise: s.otherwise.flatMap(dropStmt) };
    }
  };

  try {
    return {
      ...k,
      grid: k.grid.map((l) => (l.id === loop.id ? grid : l)),
      loops: k.loops.filter((l) => l.id !== loop.id),
      // The batched products' loops are gone: `acc += a @ b` fuses as a 2-D one.
      body: fuseDotAccumulate(k.body.flatMap(dropStmt)),
    };
  } catch (e) {
    if (e instanceof Keep) return undefined;
    throw e;
  }
}

/** `for i in range(0, tb.end - tb.begin)`: a loop over the block's elements (lowerBatchedDot's). */
function overBlock(s: Stmt & { kind: 'rangeLoop' }, loop: LoopInfo): boolean {
  const bound = (v: Value, b: 'begin' | 'end'): boolean => v.kind === 'tileBound' && v.loop.id === loop.id && v.bound === b;
  return s.lo.kind === 'const' && s.lo.value === 0 && s.hi.kind === 'binary' && s.hi.op === 'sub' && bound(s.hi.a, 'end') && bound(s.hi.b, 'begin');
}

/** The axes a store iterates: its block and ':' subscripts. */
function storeAxes(s: Stmt & { kind: 'store' }): Axis[] {
  return s.index.flatMap((item, i): Axis[] => {
    const dim = s.tensor.dims[i];
    if (item.kind === 'block') return [{ kind: 'block', loop: item.loop }];
    return item.kind === 'full' && dim ? [{ kind: 'full', dim }] : [];
  });
}

/** Subscripts with the loop's block replaced by the program index. */
function dropIndex(items: readonly IndexItem[], index: Value, loop: LoopInfo, drop: (v: Value) => Value): IndexItem[] {
  return items.map((i): IndexItem => {
    if (i.kind === 'block' && i.loop.id === loop.id) return { kind: 'scalar', value: index };
    return i.kind === 'scalar' ? { kind: 'scalar', value: drop(i.value) } : i;
  });
}
