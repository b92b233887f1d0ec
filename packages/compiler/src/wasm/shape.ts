/**
 * Tile shapes in wasm code: axis sizes, element loops, buffer indexing. As in the
 * interpreter, element loops cover only the in-bounds part of each block axis, so no
 * coordinate they produce is out of bounds and loads need no mask; buffers keep
 * block-sized strides.
 */
import type { Axis, Dim } from '../ir/nodes.ts';
import type { Bytes } from './encoder.ts';
import { I } from './instr.ts';
import type { WasmContext } from './context.ts';

export function dimExpr(ctx: WasmContext, d: Dim): Bytes {
  return d.kind === 'sym' ? ctx.dim(d.name) : I.i32Const(d.value);
}

/** An axis's extent in a buffer (its stride unit): the block size for a block axis (1 for a row-at-a-time loop's). */
export function axisSize(ctx: WasmContext, a: Axis): Bytes {
  switch (a.kind) {
    case 'block': return I.i32Const(a.loop.id === ctx.rowLoop ? 1 : ctx.block(a.loop));
    case 'full': return dimExpr(ctx, a.dim);
    case 'unit': return I.i32Const(1);
  }
}

/** How many in-bounds elements the axis has in the current tile. */
export function axisCount(ctx: WasmContext, a: Axis): Bytes {
  switch (a.kind) {
    case 'block': return I.localGet(ctx.loop(a.loop).count);
    case 'full': return dimExpr(ctx, a.dim);
    case 'unit': return I.i32Const(1);
  }
}

/** Elements of a buffer of shape `axes` (i32 code). */
export function sizeExpr(ctx: WasmContext, axes: readonly Axis[]): number[] {
  let out: number[] = [...I.i32Const(1)];
  for (const a of axes) if (a.kind !== 'unit') out = [...out, ...axisSize(ctx, a), ...I.i32Mul];
  return out;
}

/** sizeExpr in f64: exact for any product of i32 sizes below 2^53. */
export function sizeExprF64(ctx: WasmContext, axes: readonly Axis[]): number[] {
  let out: number[] = [...I.f64Const(1)];
  for (const a of axes) if (a.kind !== 'unit') out = [...out, ...axisSize(ctx, a), ...I.f64ConvertI32U, ...I.f64Mul];
  return out;
}

/** Row-major index of `coords` in a buffer of shape `axes` (unit axes add nothing). */
export function linearIndex(ctx: WasmContext, axes: readonly Axis[], coords: readonly Bytes[]): number[] {
  let expr: number[] | undefined;
  for (const [i, a] of axes.entries()) {
    if (a.kind === 'unit') continue;
    const c = coords[i] ?? I.i32Const(0);
    expr = expr === undefined ? [...c] : [...expr, ...axisSize(ctx, a), ...I.i32Mul, ...c, ...I.i32Add];
  }
  return expr ?? I.i32Const(0);
}

/** Right-aligned broadcast of coordinates onto an operand of shape `to` (unit axes read 0). */
export function alignCoords(coords: readonly Bytes[], to: readonly Axis[]): Bytes[] {
  const offset = coords.length - to.length;
  return to.map((a, i) => (a.kind === 'unit' ? I.i32Const(0) : coords[offset + i] ?? I.i32Const(0)));
}

/** `for (c = 0; c < n; c++) body(c)` over an i32 bound evaluated once. */
export function countedLoop(ctx: WasmContext, n: Bytes, body: (c: Bytes) => Bytes): number[] {
  const c = ctx.fn.local('i32');
  const end = ctx.fn.local('i32');
  return [
    ...n, ...I.localSet(end), ...I.i32Const(0), ...I.localSet(c),
    ...I.block(), ...I.loop(),
    ...I.localGet(c), ...I.localGet(end), ...I.i32GeS, ...I.brIf(1),
    ...body(I.localGet(c)),
    ...I.localGet(c), ...I.i32Const(1), ...I.i32Add, ...I.localSet(c),
    ...I.br(0),
    ...I.end, ...I.end,
  ];
}

/** Nested loops over the in-bounds elements of shape `axes`. */
export function forEachElement(ctx: WasmContext, axes: readonly Axis[], each: (coords: Bytes[]) => Bytes): number[] {
  const go = (i: number, coords: Bytes[]): number[] => {
    if (i === axes.length) return [...each(coords)];
    const a = axes[i];
    if (!a || a.kind === 'unit') return go(i + 1, [...coords, I.i32Const(0)]);
    return countedLoop(ctx, axisCount(ctx, a), (c) => go(i + 1, [...coords, c]));
  };
  return go(0, []);
}

/**
 * The coordinate code of an unrolled copy (forEachElementVec) → the step's own
 * coordinate and how many lanes after it the copy starts: a vector load or store of the
 * copy addresses from the step's coordinate with the difference as the instruction's
 * constant offset (values.ts laneAccess), which x86 and Arm fold into the addressing mode
 * instead of an add and a shift per copy.
 */
export const UNROLLED_COPY = new WeakMap<Bytes, { readonly step: Bytes; readonly lanes: number }>();

/**
 * As forEachElement, with the innermost axis stepped 4 at a time by `vector` (its
 * coordinate is the first of 4 lanes) while 4 in-bounds elements remain, then `each`
 * for the rest. Without `vector` (or for a unit innermost axis) it is forEachElement.
 *
 * With `copies` > 1 the vector step is unrolled: `copies` bodies per iteration, copy k at
 * lanes vc + 4k (its own coordinate local, so code built for one copy never reads
 * another's), then `joinCopies` (a reduction folds its per-copy accumulators into copy
 * 0's), then single steps of copy 0 while 4 elements remain. Independent copies let a
 * reduction keep several accumulators in flight: a lone f32x4 add chain waits 3–4
 * cycles per step on its own result.
 */
export function forEachElementVec(
  ctx: WasmContext, axes: readonly Axis[], each: (coords: Bytes[]) => Bytes,
  vector: ((coords: Bytes[], vc: Bytes, copy: number) => Bytes | undefined) | undefined,
  /** Code run after the vector steps, before the scalar rest (a reduction folds its lanes here). */
  afterVector: Bytes = [],
  unroll: { readonly copies: number; readonly joinCopies: Bytes } = { copies: 1, joinCopies: [] },
): number[] {
  const last = axes[axes.length - 1];
  if (!vector || !last || last.kind === 'unit') return forEachElement(ctx, axes, each);
  const outer = axes.slice(0, -1);
  return forEachElement(ctx, outer, (coords) => {
    const c = ctx.fn.local('i32');
    const n = ctx.fn.local('i32');
    const vc = I.localGet(c);
    const saved = ctx.vectorPrelude;
    ctx.vectorPrelude = [];
    const body = vector([...coords, vc], vc, 0);
    const copies: number[] = [];
    for (let k = 1; body !== undefined && k < unroll.copies; k++) {
      const ck = ctx.fn.local('i32');
      const vck = I.localGet(ck);
      UNROLLED_COPY.set(vck, { step: vc, lanes: 4 * k });
      const b = vector([...coords, vck], vck, k) ?? ctx.unsupported('an unrolled vector step', 'this is an internal error');
      copies.push(...I.localGet(c), ...I.i32Const(4 * k), ...I.i32Add, ...I.localSet(ck), ...b);
    }
    const prelude = ctx.vectorPrelude;
    ctx.vectorPrelude = saved;
    if (body === undefined) return countedLoop(ctx, axisCount(ctx, last), (x) => each([...coords, x]));
    const step = (lanes: number, code: Bytes): number[] => [
      ...I.block(), ...I.loop(),
      ...I.localGet(c), ...I.i32Const(lanes), ...I.i32Add, ...I.localGet(n), ...I.i32GtS, ...I.brIf(1),
      ...code,
      ...I.localGet(c), ...I.i32Const(lanes), ...I.i32Add, ...I.localSet(c),
      ...I.br(0), ...I.end, ...I.end,
    ];
    return [
      ...prelude,
      ...axisCount(ctx, last), ...I.localSet(n), ...I.i32Const(0), ...I.localSet(c),
      // The body's bytes appear twice (unrolled and single steps): they hold no branch out of themselves.
      ...(copies.length > 0 ? [...step(4 * unroll.copies, [...body, ...copies]), ...unroll.joinCopies] : []),
      ...step(4, body),
      ...afterVector,
      ...I.block(), ...I.loop(),
      ...I.localGet(c), ...I.localGet(n), ...I.i32GeS, ...I.brIf(1),
      ...each([...coords, vc]),
      ...I.localGet(c), ...I.i32Const(1), ...I.i32Add, ...I.localSet(c),
      ...I.br(0), ...I.end, ...I.end,
    ];
  });
}
