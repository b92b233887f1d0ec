/**
 * lowerBatchedDot: a batched `@` ([b, m, k] @ [b, k, n] → [b, m, n], the batch axis a tile
 * variable's block) becomes a loop over the batch elements of the tile, each a 2-D `@`
 * of the operands sliced at that element, written into its slice of the result:
 *
 *     @m = dot(a, b, acc=x)                 declare %r = x         (zeros without acc)
 *                                           for %i in range(0, tb.end - tb.begin):
 *                                             @s = dot(a|i, b|i)          (2-D)
 *                                             %r = select(tb.index == tb.begin + %i, %r + @s, %r)
 *     … @m …                                … %r …
 *
 * so every backend only ever sees the 2-D products it already lowers (with their staging,
 * vector loads and register tiles), and a batched kernel needs no dot code of its own.
 * The select writes slice i of the result and keeps the rest: elementwise, in bounds.
 *
 * `a|i` (slice) moves the batch coordinate into the operand's leaves: a load's batch
 * subscript becomes the scalar tb.begin + i, `tb.index` becomes that scalar, and
 * elementwise operations, transposes (of the last two axes) and views slice their
 * operands; an operand without the batch axis (broadcast) is left as it is. A leaf that
 * cannot be sliced this way (a local, a materialized value, a gather) is sliced by
 * summing it over the batch axis where the batch coordinate is i (exactly one term is
 * not zero, so the sum is that element): correct for any value, at the cost of a pass
 * over the tile.
 *
 * After fuseDotAccumulate (so `acc += a @ b` arrives as `dot(…, acc=%acc)` then
 * `%acc = @m`): when the accumulator is that local and the operands do not read it, the
 * loop updates `%acc` in place and the copy is dropped.
 */
import { InternalCompilerError } from 'tessera-gpu-dsl/errors';
import type { Axis, LoopInfo, Stmt, Value, VType } from '../ir/nodes.ts';
import { mapOperands, operands } from '../ir/walk.ts';

type Dot = Value & { kind: 'dot' };

const I32: VType = { dtype: 'i32', axes: [] };
const UNIT: Axis = { kind: 'unit' };

/** Builds the statements of one batched product; ids come from `fresh`. */
interface Batch {
  readonly loop: LoopInfo;
  /** tb.begin + %i: the batch element's global index. */
  readonly at: Value;
  /** Statements the slices need first (the fallback sums), in the loop body. */
  readonly pre: Stmt[];
  readonly fresh: (suffix: string) => string;
  readonly span: Stmt['span'];
}

const isBatchAxis = (a: Axis | undefined, loop: LoopInfo): boolean => a?.kind === 'block' && a.loop.id === loop.id;

function reads(v: Value, localId: string): boolean {
  return (v.kind === 'local' && v.id === localId) || operands(v).some((o) => reads(o, localId));
}

/** `tb.index` as a value of `rank` axes, along the first ([tb, 1, 1] for rank 3). */
function batchIndex(loop: LoopInfo, rank: number): Value {
  const position: Value = { kind: 'position', loop, type: { dtype: 'i32', axes: [{ kind: 'block', loop }] } };
  if (rank === 1) return position;
  return { kind: 'view', x: position, from: [0], type: { dtype: 'i32', axes: [{ kind: 'block', loop }, ...Array<Axis>(rank - 1).fill(UNIT)] } };
}

function isBatchElement(bt: Batch, rank: number): Value {
  const index = batchIndex(bt.loop, rank);
  return { kind: 'binary', op: 'eq', a: index, b: bt.at, type: { dtype: 'bool', axes: index.type.axes } };
}

/** `v` at batch element `bt.at` of its first axis (the batch axis): the same value without that axis. */
function slice(bt: Batch, v: Value): Value {
  const type: VType = { dtype: v.type.dtype, axes: v.type.axes.slice(1) };
  // An operand of an elementwise op aligns at its last axis: with fewer axes it lacks the
  // batch axis (it is broadcast along it) and is the same at every batch element.
  const operand = (x: Value): Value => {
    if (x.type.axes.length < v.type.axes.length) return x;
    if (x.type.axes[0]?.kind === 'unit') return { kind: 'view', x, from: [-1, ...x.type.axes.slice(1).map((_, j) => j)], type: { dtype: x.type.dtype, axes: x.type.axes.slice(1) } };
    return slice(bt, x);
  };
  switch (v.kind) {
    case 'load': {
      const first = v.index.findIndex((item) => item.kind !== 'scalar');
      const item = v.index[first];
      if (item?.kind === 'block' && item.loop.id === bt.loop.id && v.index.filter((x) => x.kind !== 'scalar').length === v.type.axes.length) {
        return { ...v, index: v.index.map((x, j) => (j === first ? { kind: 'scalar', value: bt.at } : x)), type };
      }
      return sliceBySum(bt, v);
    }
    case 'position': return bt.at;
    case 'fill': return { ...v, type };
    case 'unary': case 'cast': case 'transpose': return { ...v, x: slice(bt, v.x), type };
    case 'binary': return { ...v, a: operand(v.a), b: operand(v.b), type };
    case 'select': return { ...v, cond: operand(v.cond), a: operand(v.a), b: operand(v.b), type };
    case 'call': return { ...v, args: v.args.map(operand), type };
    case 'view': {
      // The batch axis comes from the operand's first axis (views keep axis order).
      if (v.from[0] !== 0) return sliceBySum(bt, v);
      return { ...v, x: slice(bt, v.x), from: v.from.slice(1).map((f) => (f < 0 ? f : f - 1)), type };
    }
    default: return sliceBySum(bt, v);
  }
}

/**
 * Any value at one batch element: sum over the batch axis of the value where the batch
 * coordinate is `at`, zero elsewhere. Bools are summed as 0/1.
 */
function sliceBySum(bt: Batch, v: Value): Value {
  const rank = v.type.axes.length;
  const asBool = v.type.dtype === 'bool';
  const dtype = asBool ? 'i32' : v.type.dtype;
  const x: Value = asBool ? { kind: 'cast', x: v, type: { dtype, axes: v.type.axes } } : v;
  const zero: Value = { kind: 'const', value: 0, type: { dtype, axes: [] } };
  const picked: Value = { kind: 'select', cond: isBatchElement(bt, rank), a: x, b: zero, type: x.type };
  const id = bt.fresh('s');
  const sliced: VType = { dtype, axes: v.type.axes.slice(1) };
  bt.pre.push(withSpan({ kind: 'materialize', id, value: { kind: 'reduce', op: 'sum', x: picked, axis: 0, keepdim: false, type: sliced } }, bt.span));
  const sum: Value = { kind: 'mat', id, type: sliced };
  return asBool ? { kind: 'binary', op: 'ne', a: sum, b: { ...zero }, type: { dtype: 'bool', axes: sliced.axes } } : sum;
}

function withSpan(s: Stmt, span: Stmt['span']): Stmt {
  return span ? { ...s, span } : s;
}

export function lowerBatchedDot(body: readonly Stmt[]): Stmt[] {
  let next = 0;
  // Every id of the checker ends in its counter (`acc_3`, `tk#2`) and every id of
  // hoistMaterializations is `m` + a counter; these end in a letter, so they meet none,
  // and are plain identifiers in every backend's generated code.
  const fresh = (suffix: string): string => `bdot${next++}${suffix}`;
  // @m of a lowered product → the local that holds its value.
  const results = new Map<string, Value>();

  const lowerOne = (s: Stmt & { kind: 'materialize' }, dot: Dot, following: Stmt | undefined, out: Stmt[]): boolean => {
    const batch = dot.type.axes[0];
    if (batch?.kind !== 'block' || !isBatchAxis(dot.a.type.axes[0], batch.loop) || !isBatchAxis(dot.b.type.axes[0], batch.loop)) {
      throw new InternalCompilerError('lowering a batched @', `the batch axes of ${s.id} are not one tile variable's block`);
    }
    const loop = batch.loop;
    const rangeId = fresh('i');
    const begin: Value = { kind: 'tileBound', loop, bound: 'begin', type: I32 };
    const end: Value = { kind: 'tileBound', loop, bound: 'end', type: I32 };
    const bt: Batch = {
      loop, pre: [], fresh, span: s.span,
      at: { kind: 'binary', op: 'add', a: begin, b: { kind: 'local', id: rangeId, type: I32 }, type: I32 },
    };
    const a = slice(bt, dot.a);
    const b = slice(bt, dot.b);
    const productId = fresh('p');
    const product: Value = { kind: 'mat', id: productId, type: { dtype: 'f32', axes: dot.type.axes.slice(1) } };

    // In place: `%acc += a @ b` with operands that leave %acc alone.
    const acc = dot.acc;
    const inPlace = acc?.kind === 'local' && following?.kind === 'assign' && following.id === acc.id &&
      following.value.kind === 'mat' && following.value.id === s.id && !reads(dot.a, acc.id) && !reads(dot.b, acc.id);
    const resultId = inPlace ? acc.id : fresh('r');
    const result: Value = { kind: 'local', id: resultId, type: dot.type };
    if (!inPlace) {
      const init: Value = acc ?? { kind: 'fill', value: { kind: 'const', value: 0, type: { dtype: 'f32', axes: [] } }, type: dot.type };
      out.push(withSpan({ kind: 'declare', id: resultId, name: 'batched_dot', init }, s.span));
    }
    const updated: Value = { kind: 'binary', op: 'add', a: result, b: product, type: dot.type };
    const loopBody: Stmt[] = [
      ...bt.pre,
      withSpan({ kind: 'materialize', id: productId, value: { kind: 'dot', a, b, type: product.type } }, s.span),
      withSpan({ kind: 'assign', id: resultId, value: { kind: 'select', cond: isBatchElement(bt, 3), a: updated, b: result, type: dot.type } }, s.span),
    ];
    out.push(withSpan({
      kind: 'rangeLoop', id: rangeId, dtype: 'i32',
      lo: { kind: 'const', value: 0, type: I32 },
      hi: { kind: 'binary', op: 'sub', a: end, b: begin, type: I32 },
      body: loopBody,
    }, s.span));
    results.set(s.id, result);
    return inPlace;
  };

  const lowerBlock = (stmts: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      if (!s) continue;
      if (s.kind === 'materialize' && s.value.kind === 'dot' && s.value.type.axes.length === 3) {
        // In place, the `%acc = @m` copy that follows is what the loop already did.
        if (lowerOne(s, s.value, stmts[i + 1], out)) i++;
        continue;
      }
      switch (s.kind) {
        case 'tileLoop': case 'rangeLoop': out.push({ ...s, body: lowerBlock(s.body) }); break;
        case 'if': out.push({ ...s, then: lowerBlock(s.then), otherwise: lowerBlock(s.otherwise) }); break;
        default: out.push(s);
      }
    }
    return out;
  };
  const lowered = lowerBlock(body);
  return results.size === 0 ? lowered : lowered.map((s) => replaceMats(s, results));
}

/** `s` with every read of a lowered product's `@m` replaced by the local holding it. */
function replaceMats(s: Stmt, results: ReadonlyMap<string, Value>): Stmt {
  const value = (v: Value): Value => (v.kind === 'mat' ? results.get(v.id) ?? v : mapOperands(v, value));
  const block = (stmts: readonly Stmt[]): Stmt[] => stmts.map((x) => replaceMats(x, results));
  switch (s.kind) {
    case 'declare': return { ...s, init: value(s.init) };
    case 'assign': case 'materialize': case 'return': return { ...s, value: value(s.value) };
    case 'store': return { ...s, value: value(s.value), index: s.index.map((i) => (i.kind === 'scalar' ? { kind: 'scalar', value: value(i.value) } : i)) };
    case 'tileLoop': return { ...s, body: block(s.body) };
    case 'rangeLoop': return { ...s, lo: value(s.lo), hi: value(s.hi), body: block(s.body) };
    case 'if': return { ...s, cond: value(s.cond), then: block(s.then), otherwise: block(s.otherwise) };
  }
}
