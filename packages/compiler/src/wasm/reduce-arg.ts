/**
 * argmax/argmin over f32 rows, four lanes at a time: each lane keeps the best value it has
 * seen and that value's index, then the unrolled copies and the lanes are folded by the
 * scalar rule of reduce.ts — a value wins if it is better, or equal with a smaller index.
 * A lane starts at NaN and takes the next element while it holds NaN, so a lane step is
 * just "better, or the lane holds NaN": within one lane the indices only grow, so strict
 * "better" keeps the first index among ties, an all -inf lane keeps its first element,
 * and a NaN is replaced by the next element (a lane of nothing but NaN ends at NaN, which
 * the scalar fold never takes — NaN compares false both ways — as the scalar fold skips
 * every NaN; a row of nothing but NaN reports its first index, reduce.ts finalize).
 */
import { NO_ARG_INDEX } from '../ir/reduce-axes.ts';
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import type { WasmContext } from './context.ts';

/** One lane state: a v128 local of best values (f32x4) and one of their indices (i32x4). */
export interface ArgLanes {
  readonly best: number;
  readonly index: number;
}

export function argLanes(ctx: WasmContext): ArgLanes {
  return { best: ctx.fn.local('v128'), index: ctx.fn.local('v128') };
}

/** Sets the lanes to "nothing seen yet": NaN at NO_ARG_INDEX. */
export function argInit(s: ArgLanes): number[] {
  return [...I.f32Const(NaN), ...V.f32x4Splat, ...I.localSet(s.best), ...I.i32Const(NO_ARG_INDEX), ...V.i32x4Splat, ...I.localSet(s.index)];
}

/** The lanes of the state that hold NaN (nothing but NaN seen yet): any element replaces them. */
const empty = (s: ArgLanes): number[] => [...I.localGet(s.best), ...I.localGet(s.best), ...V.f32x4Ne];

/** The mask of lanes where (value, index) beats the state: better, or equal at a smaller index. */
function wins(greater: boolean, value: Bytes, index: Bytes, s: ArgLanes): number[] {
  return [
    ...value, ...I.localGet(s.best), ...(greater ? V.f32x4Gt : V.f32x4Lt),
    ...value, ...I.localGet(s.best), ...V.f32x4Eq,
    ...index, ...I.localGet(s.index), ...V.i32x4LtS, ...V.and,
    ...V.or,
  ];
}

/** Takes (value, index) into the lanes `winning` selects; `value` and `index` are local reads. */
function take(winning: Bytes, value: Bytes, index: Bytes, s: ArgLanes, mask: number): number[] {
  return [
    ...winning, ...I.localSet(mask),
    ...value, ...I.localGet(s.best), ...I.localGet(mask), ...V.bitselect, ...I.localSet(s.best),
    ...index, ...I.localGet(s.index), ...I.localGet(mask), ...V.bitselect, ...I.localSet(s.index),
  ];
}

/** One step: the f32x4 `values` (a local) at indices lane0Index + 0…3. */
export function argStep(ctx: WasmContext, greater: boolean, s: ArgLanes, values: number, lane0Index: Bytes): number[] {
  const index = ctx.fn.local('v128');
  const mask = ctx.fn.local('v128');
  return [
    ...lane0Index, ...V.i32x4Splat, ...V.i32x4Const([0, 1, 2, 3]), ...V.i32x4Add, ...I.localSet(index),
    // One lane's indices only grow: strictly better suffices for the first among ties.
    ...take([...I.localGet(values), ...I.localGet(s.best), ...(greater ? V.f32x4Gt : V.f32x4Lt), ...empty(s), ...V.or], I.localGet(values), I.localGet(index), s, mask),
  ];
}

/** Folds an unrolled copy's lanes into `into`'s, lane by lane. */
export function argJoin(ctx: WasmContext, greater: boolean, into: ArgLanes, from: ArgLanes): number[] {
  const value = I.localGet(from.best);
  const index = I.localGet(from.index);
  return take([...wins(greater, value, index, into), ...empty(into), ...V.or], value, index, into, ctx.fn.local('v128'));
}

/** Folds the four lanes into the scalar accumulators (f32 `acc`, i32 `accI`) by the scalar rule. */
export function argFoldLanes(ctx: WasmContext, greater: boolean, s: ArgLanes, acc: number, accI: number): number[] {
  const x = ctx.fn.local('f32');
  const xi = ctx.fn.local('i32');
  const out: number[] = [];
  for (let lane = 0; lane < 4; lane++) {
    out.push(
      ...I.localGet(s.best), ...V.f32x4ExtractLane(lane), ...I.localSet(x),
      ...I.localGet(s.index), ...V.i32x4ExtractLane(lane), ...I.localSet(xi),
      ...I.localGet(x), ...I.localGet(acc), ...(greater ? I.f32Gt : I.f32Lt),
      ...I.localGet(x), ...I.localGet(acc), ...I.f32Eq, ...I.localGet(xi), ...I.localGet(accI), ...I.i32LtS, ...I.i32And,
      ...I.i32Or,
      ...I.if(), ...I.localGet(x), ...I.localSet(acc), ...I.localGet(xi), ...I.localSet(accI), ...I.end,
    );
  }
  return out;
}
