/**
 * Tile IR statements → wasm statements. The kernel body runs once per tile of the grid
 * a thread is given; a tile statement becomes loops over the tile's in-bounds elements
 * with the value's expression inlined in the innermost loop (as the interpreter does).
 */
import type { Stmt, Value } from '../ir/nodes.ts';
import { storeShape } from '../ir/store-shape.ts';
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import { countedLoop, dimExpr, alignCoords, forEachElementVec, linearIndex } from './shape.ts';
import { contiguousLoad, emitVector, F32 } from './vector.ts';
import { storageFor } from './storage.ts';
import { atLaneZero, emitValue, laneStore, movedInside, readStorage, storeTensor, tensorAddress, tensorIndex, writeStorage } from './values.ts';
import { afterStmt, forgetReuse, planReuse } from './reuse.ts';
import { emitReduce, emitScan } from './reduce.ts';
import { emitDot } from './dot.ts';
import type { Storage, WasmContext } from './context.ts';

export function emitStmts(ctx: WasmContext, stmts: readonly Stmt[]): number[] {
  return stmts.flatMap((s, i) => {
    planReuse(ctx, stmts, i);
    const nested = s.kind === 'tileLoop' || s.kind === 'rangeLoop' || s.kind === 'if';
    // Nested statements start and end their own runs (reuse.ts).
    if (nested) forgetReuse(ctx);
    // A func's statements are positioned in the func's own text: only kernel ones locate errors.
    const outer = ctx.span;
    if (!ctx.inFunc) ctx.span = s.span ?? outer;
    const code = emitStmt(ctx, s);
    ctx.span = outer;
    afterStmt(ctx, s);
    return code;
  });
}

function scalarValue(ctx: WasmContext, v: Value, what: string): number[] {
  if (v.type.axes.length > 0) ctx.unsupported(`a tile value as ${what}`, 'reduce it to a scalar first, e.g. with max(…) or sum(…)');
  return emitValue(ctx, v, []);
}

function emitStmt(ctx: WasmContext, s: Stmt): number[] {
  switch (s.kind) {
    case 'store': return emitStore(ctx, s);
    case 'materialize': {
      const v = s.value;
      if (v.kind === 'reduce') return emitReduce(ctx, s.id, v);
      if (v.kind === 'scan') return emitScan(ctx, s.id, v);
      if (v.kind === 'dot') return emitDot(ctx, s.id, v);
      return ctx.unsupported(`materializing a ${v.kind} value`, 'this is an internal error: only reductions, scans and @ are materialized');
    }
    case 'declare': {
      const storage = storageFor(ctx, s.init);
      ctx.locals.set(s.id, storage);
      return assignStorage(ctx, storage, s.init);
    }
    case 'assign': {
      const local = ctx.locals.get(s.id);
      if (!local) return ctx.unsupported(`assigning the undeclared local ${s.id}`, 'this is an internal error');
      return assignStorage(ctx, local, s.value);
    }
    case 'tileLoop': {
      if (ctx.inFunc) return ctx.unsupported('a tile loop inside a func', 'funcs work on scalars');
      const b = ctx.block(s.loop);
      const offset = ctx.fn.local('i32');
      const count = ctx.fn.local('i32');
      // A declared block size has locals outside its loops too (module.ts): back to those after.
      const outside = ctx.loops.get(s.loop.id);
      ctx.loops.set(s.loop.id, { offset, count });
      const dim = dimExpr(ctx, s.loop.dim);
      // ceil(dim / b) blocks; dims are non-negative.
      const blocks = [...dim, ...I.i32Const(b - 1), ...I.i32Add, ...I.i32Const(b), ...I.i32DivU];
      const code = countedLoop(ctx, blocks, (p) => [
        ...p, ...I.i32Const(b), ...I.i32Mul, ...I.localSet(offset),
        ...minI32(ctx, I.i32Const(b), [...dim, ...I.localGet(offset), ...I.i32Sub]), ...I.localSet(count),
        ...emitStmts(ctx, s.body),
      ]);
      if (outside) ctx.loops.set(s.loop.id, outside);
      return code;
    }
    case 'rangeLoop': {
      // Bounds are evaluated once, before the first iteration (as the other backends do).
      const lo = scalarValue(ctx, s.lo, 'a range bound');
      const hi = scalarValue(ctx, s.hi, 'a range bound');
      const i = ctx.fn.local('i32');
      const end = ctx.fn.local('i32');
      ctx.locals.set(s.id, { kind: 'scalar', local: i, dtype: s.dtype });
      const ge = s.dtype === 'u32' ? I.i32GeU : I.i32GeS;
      return [
        ...lo, ...I.localSet(i), ...hi, ...I.localSet(end),
        ...I.block(), ...I.loop(),
        ...I.localGet(i), ...I.localGet(end), ...ge, ...I.brIf(1),
        ...emitStmts(ctx, s.body),
        ...I.localGet(i), ...I.i32Const(1), ...I.i32Add, ...I.localSet(i),
        ...I.br(0), ...I.end, ...I.end,
      ];
    }
    case 'if': {
      const cond = scalarValue(ctx, s.cond, 'an if condition');
      const then = emitStmts(ctx, s.then);
      const otherwise = emitStmts(ctx, s.otherwise);
      return [...cond, ...I.if(), ...then, ...(otherwise.length > 0 ? [...I.else, ...otherwise] : []), ...I.end];
    }
    case 'return':
      if (!ctx.inFunc) return ctx.unsupported('return inside the tile loop', 'this is an internal error');
      return [...scalarValue(ctx, s.value, 'a func result'), ...I.return];
  }
}

/**
 * Elementwise vector loops (stores, tile assignments) step four vectors at a time: with
 * one vector per iteration the loop's counter, compare and branch cost as much as a
 * short body, and a long body (an exp) leaves the out-of-order window too few
 * independent vectors to overlap. Four cut single-thread softmax's exp store by ~20%.
 */
const UNROLLED = { copies: 4, joinCopies: [] } as const;

export function minI32(ctx: WasmContext, a: Bytes, b: Bytes): number[] {
  const ta = ctx.fn.local('i32');
  const tb = ctx.fn.local('i32');
  return [...a, ...I.localTee(ta), ...b, ...I.localTee(tb), ...I.localGet(ta), ...I.localGet(tb), ...I.i32LtS, ...I.select];
}

/** Writes `value` into a local: a scalar, or every in-bounds element of its tile. */
function assignStorage(ctx: WasmContext, s: Storage, value: Value): number[] {
  // `%acc = @m` where the dot already accumulated into %acc's buffer (dot.ts).
  if (value.kind === 'mat' && ctx.mats.get(value.id) === s) return [];
  if (s.kind === 'scalar') return [...scalarValue(ctx, value, 'a scalar local'), ...I.localSet(s.local)];
  // In place is safe: an element's new value reads the old one only at that element.
  const vector = s.dtype === 'f32' && F32(value)
    ? (coords: Bytes[], vc: Bytes): number[] => laneStore(
      ctx, I.localGet(s.ptr), linearIndex(ctx, s.axes, atLaneZero(coords, vc)), vc,
      emitVector(ctx, value, alignCoords(coords, value.type.axes), vc),
    )
    : undefined;
  return forEachElementVec(ctx, s.axes, (coords) => writeStorage(ctx, s, coords, emitValue(ctx, value, alignCoords(coords, value.type.axes))), vector, [], UNROLLED);
}


function emitStore(ctx: WasmContext, s: Stmt & { kind: 'store' }): number[] {
  if (ctx.inFunc) return ctx.unsupported('a store inside a func', 'funcs return a value; store it in the kernel');
  const t = s.tensor;
  if (s.atomic && t.dtype !== 'f32' && t.dtype !== 'i32' && t.dtype !== 'u32') {
    return ctx.unsupported(`atomic_add on a ${t.dtype} output`, 'atomics work on f32, i32 and u32 outputs');
  }
  // A moved block (out[tm, A + tn]), a slice or a scatter skips positions outside the dim one element at a time.
  const moved = s.index.some((i) => i.kind === 'shifted' || i.kind === 'slice' || i.kind === 'tile');
  const vector = !s.atomic && !moved && t.dtype === 'f32' && F32(s.value)
    ? (coords: Bytes[], vc: Bytes): number[] | undefined => (contiguousLoad(t, s.index, coords, vc)
      ? laneStore(ctx, ctx.tensor(t), tensorIndex(ctx, t, s.index, atLaneZero(coords, vc)), vc, emitVector(ctx, s.value, alignCoords(coords, s.value.type.axes), vc))
      : undefined)
    : undefined;
  return forEachElementVec(ctx, storeShape(t, s.index).axes, (coords) => {
    const element = storeElement(ctx, s, coords);
    const inside = movedInside(ctx, t, s.index, coords);
    return inside ? [...inside, ...I.if(), ...element, ...I.end] : element;
  }, vector, [], UNROLLED);
}

/** One element of a store at tile coordinates `coords`. */
function storeElement(ctx: WasmContext, s: Stmt & { kind: 'store' }, coords: Bytes[]): number[] {
  const t = s.tensor;
  const index = tensorIndex(ctx, t, s.index, coords);
  const value = emitValue(ctx, s.value, alignCoords(coords, s.value.type.axes));
  if (!s.atomic) return storeTensor(ctx, t, index, value);
  const addr = ctx.fn.local('i32');
  const setAddr = [...tensorAddress(ctx, t, index), ...I.localSet(addr)];
  if (t.dtype !== 'f32') return [...setAddr, ...I.localGet(addr), ...value, ...I.i32AtomicRmwAdd(), ...I.drop];
  // f32 has no atomic add: compare-and-swap until no other thread wrote in between.
  const v = ctx.fn.local('f32');
  const old = ctx.fn.local('i32');
  return [
    ...setAddr, ...value, ...I.localSet(v),
    ...I.loop(),
    ...I.localGet(addr), ...I.i32AtomicLoad(), ...I.localSet(old),
    ...I.localGet(addr), ...I.localGet(old),
    ...I.localGet(old), ...I.f32ReinterpretI32, ...I.localGet(v), ...I.f32Add, ...I.i32ReinterpretF32,
    ...I.i32AtomicRmwCmpxchg(), ...I.localGet(old), ...I.i32Ne, ...I.brIf(0),
    ...I.end,
  ];
}

export { readStorage };
