/**
 * Reductions and scans, as the interpreter computes them (interpreter/reduce.ts): per
 * in-bounds row of the non-reduced axes, fold the in-bounds reduced elements in
 * row-major order from the same identities (∓Infinity for float max and min); the mean
 * divides by the count of in-bounds elements; argmax/argmin report the first index among
 * ties.
 */
import type { Axis, DType, ReduceOp, Value } from '../ir/nodes.ts';
import { NO_ARG_INDEX, reductionAxes } from '../ir/reduce-axes.ts';
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import { BINARY, literal } from './ops.ts';
import { axisCount, forEachElement, forEachElementVec, linearIndex } from './shape.ts';
import { emitVector } from './vector.ts';
import { matStorage } from './storage.ts';
import { atLaneZero, emitValue, laneStore, writeStorage } from './values.ts';
import { commitReuse, reuseTarget } from './reuse.ts';
import { argFoldLanes, argInit, argJoin, argLanes, argStep } from './reduce-arg.ts';
import { wasmType, type WasmContext } from './context.ts';

const LOWEST: Record<DType, number> = { f32: -Infinity, f16: -Infinity, i32: -2147483648, u32: 0, bool: 0 };
const HIGHEST: Record<DType, number> = { f32: Infinity, f16: Infinity, i32: 2147483647, u32: 4294967295, bool: 1 };

function identity(op: ReduceOp, d: DType): number[] {
  if (op === 'max' || op === 'argmax') return literal(d, LOWEST[d]);
  if (op === 'min' || op === 'argmin') return literal(d, HIGHEST[d]);
  return literal(d, 0);
}

function add(ctx: WasmContext, a: Bytes, b: Bytes, d: DType): number[] {
  return BINARY.add(ctx, a, b, d) ?? ctx.unsupported(`sum over ${d}`, 'cast it first');
}

/** `x > y` (or `<`) on values of dtype d; comparisons with NaN are false, so NaN is skipped. */
function better(ctx: WasmContext, x: Bytes, y: Bytes, d: DType, greater: boolean): number[] {
  return BINARY[greater ? 'gt' : 'lt'](ctx, x, y, d) ?? [];
}

export function emitReduce(ctx: WasmContext, id: string, v: Value & { kind: 'reduce' }): number[] {
  const x = v.x;
  const d = x.type.dtype;
  if (d === 'bool') ctx.unsupported(`${v.op} over a bool tile`, 'cast it first, e.g. sum(i32(mask))');
  const xAxes = x.type.axes;
  const { reduced, rowAxes, redAxes } = reductionAxes(v);
  const expected = v.keepdim ? xAxes.length : rowAxes.length;
  if (v.type.axes.length !== expected) ctx.unsupported(`a reduction to ${v.type.axes.length} axes from ${xAxes.length}`, 'this is an internal error');
  const out = matStorage(ctx, id, v);
  const arg = v.op === 'argmax' || v.op === 'argmin';
  const t = wasmType(d);
  const acc = ctx.fn.local(t);
  const accI = ctx.fn.local('i32');
  const xv = ctx.fn.local(t);

  const lastReduced = reduced.length === 1 && reduced[0] === xAxes.length - 1;
  const vectorFold = d === 'f32' && lastReduced;
  const greater = v.op === 'argmax';
  // One accumulator per unrolled copy of the vector step (shape.ts forEachElementVec);
  // argmax/argmin keep a value and an index per lane instead (reduce-arg.ts).
  const accs = Array.from({ length: vectorFold && !arg ? FOLD_COPIES : 1 }, () => ctx.fn.local('v128'));
  const argAccs = vectorFold && arg ? Array.from({ length: FOLD_COPIES }, () => argLanes(ctx)) : [];
  const accV = accs[0] ?? 0;
  const arg0 = argAccs[0];
  const lanesOp = v.op === 'max' ? V.f32x4Pmax : v.op === 'min' ? V.f32x4Pmin : V.f32x4Add;
  const joinCopies = arg0
    ? argAccs.slice(1).flatMap((a) => argJoin(ctx, greater, arg0, a))
    : accs.slice(1).flatMap((a) => [...I.localGet(accV), ...I.localGet(a), ...lanesOp, ...I.localSet(accV)]);
  // The operand also goes into a scratch tile when a later statement reads it (reuse.ts).
  const keep = reuseTarget(ctx, x);
  const code = forEachElement(ctx, rowAxes, (rowCoords) => {
    const vector = vectorFold
      ? (redCoords: Bytes[], vc: Bytes, copy: number): number[] => {
        const coords = [...rowCoords, ...redCoords];
        const acc = accs[copy] ?? accV;
        const xs = emitVector(ctx, x, coords, vc);
        if (!keep && !arg0) return [...I.localGet(acc), ...xs, ...lanesOp, ...I.localSet(acc)];
        const xl = ctx.fn.local('v128');
        return [
          ...xs, ...I.localSet(xl),
          ...(keep ? laneStore(ctx, I.localGet(keep.ptr), linearIndex(ctx, keep.axes, atLaneZero(coords, vc)), vc, I.localGet(xl)) : []),
          ...(arg0
            ? argStep(ctx, greater, argAccs[copy] ?? arg0, xl, argIndex(ctx, redAxes, redCoords))
            : [...I.localGet(acc), ...I.localGet(xl), ...lanesOp, ...I.localSet(acc)]),
        ];
      }
      : undefined;
    // Lanes folded into the scalar accumulator, by the scalar rule, before the tail.
    const combine: number[] = [];
    if (arg0) combine.push(...argFoldLanes(ctx, greater, arg0, acc, accI));
    else if (vectorFold) {
      for (let lane = 0; lane < 4; lane++) {
        const X = [...I.localGet(accV), ...V.f32x4ExtractLane(lane)];
        if (v.op === 'sum' || v.op === 'mean') combine.push(...add(ctx, I.localGet(acc), X, d), ...I.localSet(acc));
        else combine.push(...X, ...I.localSet(xv), ...better(ctx, I.localGet(xv), I.localGet(acc), d, v.op === 'max'), ...I.if(), ...I.localGet(xv), ...I.localSet(acc), ...I.end);
      }
    }
    const fold = forEachElementVec(ctx, redAxes, (redCoords) => {
      const coords: Bytes[] = [];
      let ri = 0;
      let li = 0;
      for (let i = 0; i < xAxes.length; i++) coords.push(reduced.includes(i) ? redCoords[li++] ?? I.i32Const(0) : rowCoords[ri++] ?? I.i32Const(0));
      const load = [...emitValue(ctx, x, coords), ...I.localSet(xv), ...(keep ? writeStorage(ctx, keep, coords, I.localGet(xv)) : [])];
      const X = I.localGet(xv);
      const A = I.localGet(acc);
      switch (v.op) {
        case 'sum': case 'mean': return [...load, ...add(ctx, A, X, d), ...I.localSet(acc)];
        case 'max': case 'min':
          return [...load, ...better(ctx, X, A, d, v.op === 'max'), ...I.if(), ...X, ...I.localSet(acc), ...I.end];
        case 'argmax': case 'argmin': {
          const xi = argIndex(ctx, redAxes, redCoords);
          const xiL = ctx.fn.local('i32');
          // The same test as the other backends, so ties and the identity behave alike.
          const eq = BINARY.eq(ctx, X, A, d) ?? [];
          return [
            ...load, ...xi, ...I.localSet(xiL),
            ...better(ctx, X, A, d, v.op === 'argmax'),
            ...eq, ...I.localGet(xiL), ...I.localGet(accI), ...I.i32LtS, ...I.i32And, ...I.i32Or,
            ...I.if(), ...X, ...I.localSet(acc), ...I.localGet(xiL), ...I.localSet(accI), ...I.end,
          ];
        }
      }
    }, vector, combine, { copies: Math.max(accs.length, argAccs.length), joinCopies });
    const matCoords: Bytes[] = [];
    let ri = 0;
    if (v.keepdim) for (let i = 0; i < xAxes.length; i++) matCoords.push(reduced.includes(i) ? I.i32Const(0) : rowCoords[ri++] ?? I.i32Const(0));
    else matCoords.push(...rowCoords);
    return [
      ...identity(v.op, d), ...I.localSet(acc),
      ...(arg ? [...I.i32Const(NO_ARG_INDEX), ...I.localSet(accI)] : []),
      ...(vectorFold && !arg0 ? accs.flatMap((a) => [...identity(v.op, d), ...V.f32x4Splat, ...I.localSet(a)]) : []),
      ...argAccs.flatMap((a) => argInit(a)),
      ...fold,
      ...writeStorage(ctx, out, matCoords, finalize(ctx, v.op, acc, accI, redAxes, d)),
    ];
  });
  if (keep) commitReuse(ctx, x, keep);
  return code;
}

/**
 * Independent vector accumulators of a row fold: f32x4 add/max have a latency of 3–4
 * cycles and a throughput of 1–2 per cycle on current x86 and Arm cores, so four chains
 * keep the adder busy where one would wait on itself.
 */
const FOLD_COPIES = 4;

function argIndex(ctx: WasmContext, redAxes: readonly Axis[], redCoords: readonly Bytes[]): number[] {
  const only = redAxes.length === 1 ? redAxes[0] : undefined;
  if (only?.kind === 'block') return [...I.localGet(ctx.loop(only.loop).offset), ...(redCoords[0] ?? I.i32Const(0)), ...I.i32Add];
  return linearIndex(ctx, redAxes, redCoords);
}

function finalize(ctx: WasmContext, op: ReduceOp, acc: number, accI: number, redAxes: readonly Axis[], d: DType): number[] {
  if (op === 'argmax' || op === 'argmin') {
    // No element won (a row of nothing but NaN): the row's first index, as on the other backends.
    const first = argIndex(ctx, redAxes, redAxes.map(() => I.i32Const(0)));
    return [...first, ...I.localGet(accI), ...I.localGet(accI), ...I.i32Const(NO_ARG_INDEX), ...I.i32Eq, ...I.select];
  }
  if (op !== 'mean') return I.localGet(acc);
  let count: number[] = I.i32Const(1);
  for (const a of redAxes) count = [...count, ...axisCount(ctx, a), ...I.i32Mul];
  const asD = d === 'f32' || d === 'f16' ? [...count, ...I.f32ConvertI32S] : count;
  const code = BINARY.div(ctx, I.localGet(acc), asD, d);
  return code ?? ctx.unsupported(`mean over ${d}`, 'cast it first');
}

/** Inclusive cumsum along one axis, in order, into a buffer of the same shape. */
export function emitScan(ctx: WasmContext, id: string, v: Value & { kind: 'scan' }): number[] {
  const x = v.x;
  const d = x.type.dtype;
  if (d === 'bool') ctx.unsupported('cumsum over a bool tile', 'cast it first, e.g. cumsum(i32(mask))');
  const xAxes = x.type.axes;
  const along = xAxes[v.axis];
  if (!along) return ctx.unsupported(`cumsum along axis ${v.axis} of a ${xAxes.length}-axis tile`, 'this is an internal error');
  const out = matStorage(ctx, id, v);
  const rest = xAxes.filter((_, i) => i !== v.axis);
  const acc = ctx.fn.local(wasmType(d));
  return forEachElement(ctx, rest, (restCoords) => [
    ...literal(d, 0), ...I.localSet(acc),
    ...forEachElement(ctx, [along], ([c]) => {
      const coords = [...restCoords.slice(0, v.axis), c ?? I.i32Const(0), ...restCoords.slice(v.axis)];
      return [
        ...add(ctx, I.localGet(acc), emitValue(ctx, x, coords), d), ...I.localSet(acc),
        ...writeStorage(ctx, out, coords, I.localGet(acc)),
      ];
    }),
  ]);
}
