/**
 * The operands of `a @ b` as the products see them (dot.ts): a tensor read in place where
 * its element index is affine in the tile coordinates, a scratch tile evaluated once, and
 * the packed copy the SIMD product needs (compile-time row stride, contiguous rows).
 */
import type { Axis, Value } from '../ir/nodes.ts';
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import { axisSize, countedLoop, dimExpr, forEachElementVec } from './shape.ts';
import { emitVector } from './vector.ts';
import { allocate } from './storage.ts';
import { emitValue, tensorIndex, wordAddress } from './values.ts';
import type { WasmContext } from './context.ts';

/** A 2-D f32 operand: element (r, c) at byte address `base + 4 * (r * s0 + c * s1)`. */
export interface Operand {
  /** Local holding the byte address of element (0, 0). */
  readonly base: number;
  /** Locals holding the strides, in elements. */
  readonly s0: number;
  readonly s1: number;
  /** s1 is 1 at compile time (rows contiguous): vector loads along columns. */
  readonly unitS1: boolean;
  /** s0 is 1 at compile time (columns contiguous, a transposed tensor): vector loads along rows. */
  readonly unitS0?: boolean;
  /** s0 at compile time, for packed scratch tiles. */
  readonly constS0?: number;
}

/** An axis's length in a tile buffer when it is a compile-time constant. */
export function constLength(ctx: WasmContext, a: Axis): number | undefined {
  if (a.kind === 'unit') return 1;
  if (a.kind === 'block') return ctx.block(a.loop);
  return a.dim.kind === 'const' ? a.dim.value : undefined;
}

function setLocal(ctx: WasmContext, x: Bytes, code: number[]): number {
  const l = ctx.fn.local('i32');
  code.push(...x, ...I.localSet(l));
  return l;
}

export function directOperand(ctx: WasmContext, v: Value, code: number[]): Operand | undefined {
  if (v.kind === 'transpose') {
    const inner = directOperand(ctx, v.x, code);
    return inner && { base: inner.base, s0: inner.s1, s1: inner.s0, unitS1: false, unitS0: inner.unitS1 };
  }
  if (v.kind !== 'load' || v.tensor.dtype !== 'f32') return undefined;
  const tileItems = v.index.flatMap((item, p) => (item.kind === 'scalar' ? [] : [p]));
  if (tileItems.length !== 2) return undefined;
  const stride = (p: number): number[] => {
    let s: number[] = I.i32Const(1);
    for (const d of v.tensor.dims.slice(p + 1)) s = [...s, ...dimExpr(ctx, d), ...I.i32Mul];
    return s;
  };
  const last = tileItems[1] ?? 0;
  const base = setLocal(ctx, wordAddress(ctx.tensor(v.tensor), tensorIndex(ctx, v.tensor, v.index, [I.i32Const(0), I.i32Const(0)])), code);
  const unitS1 = last === v.tensor.dims.length - 1;
  // Rows contiguous and a row stride fixed by the kernel's constant dims (a head dim, say):
  // the SIMD product reads the tensor where it lies, with no packed copy.
  let constS0: number | undefined = 1;
  for (const d of v.tensor.dims.slice((tileItems[0] ?? 0) + 1)) constS0 = d.kind === 'const' && constS0 !== undefined ? constS0 * d.value : undefined;
  return {
    base,
    s0: setLocal(ctx, stride(tileItems[0] ?? 0), code),
    s1: setLocal(ctx, stride(last), code),
    unitS1,
    ...(unitS1 && constS0 !== undefined ? { constS0 } : {}),
  };
}

export function scratchOperand(ctx: WasmContext, v: Value, axes: readonly [Axis, Axis], broadcast: readonly [boolean, boolean], code: number[]): Operand {
  const s = allocate(ctx, axes, 'f32');
  const s0 = axes[1].kind === 'unit' ? I.i32Const(1) : axisSize(ctx, axes[1]);
  const vector = broadcast[1] || axes[1].kind === 'unit'
    ? undefined
    : ([r = I.i32Const(0), c = I.i32Const(0)]: Bytes[], vc: Bytes): number[] => [
      ...wordAddress(I.localGet(s.ptr), [...r, ...s0, ...I.i32Mul, ...c, ...I.i32Add]),
      ...emitVector(ctx, v, [broadcast[0] ? I.i32Const(0) : r, vc], vc), ...V.store(),
    ];
  code.push(...forEachElementVec(ctx, axes, ([r = I.i32Const(0), c = I.i32Const(0)]) => {
    const at = [broadcast[0] ? I.i32Const(0) : r, broadcast[1] ? I.i32Const(0) : c];
    return [...wordAddress(I.localGet(s.ptr), [...r, ...s0, ...I.i32Mul, ...c, ...I.i32Add]), ...emitValue(ctx, v, at), ...I.f32Store()];
  }, vector));
  const c0 = constLength(ctx, axes[1]);
  return { base: s.ptr, s0: setLocal(ctx, s0, code), s1: setLocal(ctx, I.i32Const(1), code), unitS1: true, ...(c0 === undefined ? {} : { constS0: c0 }) };
}

/**
 * Direct operands with row strides up to this many elements are read in place by the
 * SIMD product; longer ones are packed, since rows a power-of-two number of KiB apart
 * fall in the same few L1 sets and evict each other across the k loop.
 */
const IN_PLACE_MAX_STRIDE = 256;

/**
 * The operand as a tile with a compile-time row stride and contiguous rows: scratch
 * operands already are, and so are tensors read in place with a short constant row
 * stride; other tensors are copied into a scratch tile (rows × cols in-bounds elements),
 * 4 at a time where rows are contiguous, by 4×4 register transposes where columns are
 * (a transposed tensor), and one at a time for the rest.
 */
export function packed(ctx: WasmContext, o: Operand, axes: readonly [Axis, Axis], rows: Bytes, cols: Bytes, code: number[]): Operand {
  if (o.constS0 !== undefined && o.unitS1 && o.constS0 <= IN_PLACE_MAX_STRIDE) return o;
  const stride = constLength(ctx, axes[1]) ?? 1;
  const s = allocate(ctx, axes, 'f32');
  const [r, nr, c, nc] = [ctx.fn.local('i32'), ctx.fn.local('i32'), ctx.fn.local('i32'), ctx.fn.local('i32')];
  const dst = (row: Bytes, col: Bytes): number[] => wordAddress(I.localGet(s.ptr), [...row, ...I.i32Const(stride), ...I.i32Mul, ...col, ...I.i32Add]);
  const copy1 = (row: Bytes): number[] => [...dst(row, I.localGet(c)), ...operandAddress(o, row, I.localGet(c)), ...I.f32Load(), ...I.f32Store()];
  const copy4 = (row: Bytes): number[] => [...dst(row, I.localGet(c)), ...operandAddress(o, row, I.localGet(c)), ...V.loadAlign4(), ...V.store()];
  const plus = (x: number, q: number): number[] => [...I.localGet(x), ...I.i32Const(q), ...I.i32Add];
  code.push(...rows, ...I.localSet(nr), ...cols, ...I.localSet(nc), ...I.i32Const(0), ...I.localSet(r));
  if (o.unitS0 === true && !o.unitS1) {
    // Rows in fours: 4×4 blocks through registers, then the last columns one at a time.
    code.push(...upTo(r, 4, I.localGet(nr), [
      ...I.i32Const(0), ...I.localSet(c),
      ...upTo(c, 4, I.localGet(nc), transpose4(ctx, o, r, c, (q) => dst(plus(r, q), I.localGet(c)))),
      ...upTo(c, 1, I.localGet(nc), [0, 1, 2, 3].flatMap((q) => copy1(plus(r, q)))),
    ]));
  }
  // The remaining rows (all of them unless transposed above).
  code.push(...upTo(r, 1, I.localGet(nr), [
    ...I.i32Const(0), ...I.localSet(c),
    ...(o.unitS1 ? upTo(c, 4, I.localGet(nc), copy4(I.localGet(r))) : []),
    ...upTo(c, 1, I.localGet(nc), copy1(I.localGet(r))),
  ]));
  return { base: s.ptr, s0: setLocal(ctx, I.i32Const(stride), code), s1: setLocal(ctx, I.i32Const(1), code), unitS1: true, constS0: stride };
}

/** `for (; x + step <= n; x += step) body`, from x's current value. */
function upTo(x: number, step: number, n: Bytes, body: Bytes): number[] {
  return [
    ...I.block(), ...I.loop(),
    ...I.localGet(x), ...I.i32Const(step), ...I.i32Add, ...n, ...I.i32GtS, ...I.brIf(1),
    ...body,
    ...I.localGet(x), ...I.i32Const(step), ...I.i32Add, ...I.localSet(x),
    ...I.br(0), ...I.end, ...I.end,
  ];
}

/** Byte lanes of i8x16.shuffle picking f32 lanes `l` (0…3 of the first vector, 4…7 of the second). */
const lanes = (...l: number[]): number[] => l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]);

/**
 * Operand elements (r…r+3, c…c+3) of an operand with contiguous columns: four vector
 * loads down columns c…c+3, a 4×4 transpose in registers (two rounds of interleaves),
 * and four stores, row r+q at `dstRow(q)`.
 */
function transpose4(ctx: WasmContext, o: Operand, r: number, c: number, dstRow: (q: number) => number[]): number[] {
  const out: number[] = [];
  const get = (xs: readonly number[], i: number): number[] => {
    const l = xs[i];
    if (l === undefined) throw new RangeError(`transpose lane ${i}`);
    return I.localGet(l);
  };
  const x = [0, 1, 2, 3].map((q) => {
    const l = ctx.fn.local('v128');
    out.push(...operandAddress(o, I.localGet(r), [...I.localGet(c), ...I.i32Const(q), ...I.i32Add]), ...V.loadAlign4(), ...I.localSet(l));
    return l;
  });
  // x[q] holds column c+q; interleave pairs of columns, then pairs of pairs.
  const mix = [[0, 1, lanes(0, 4, 1, 5)], [0, 1, lanes(2, 6, 3, 7)], [2, 3, lanes(0, 4, 1, 5)], [2, 3, lanes(2, 6, 3, 7)]] as const;
  const t = mix.map(([a, b, sel]) => {
    const l = ctx.fn.local('v128');
    out.push(...get(x, a), ...get(x, b), ...V.i8x16Shuffle(sel), ...I.localSet(l));
    return l;
  });
  const rowsOf = [[0, 2, lanes(0, 1, 4, 5)], [0, 2, lanes(2, 3, 6, 7)], [1, 3, lanes(0, 1, 4, 5)], [1, 3, lanes(2, 3, 6, 7)]] as const;
  rowsOf.forEach(([a, b, sel], q) => out.push(...dstRow(q), ...get(t, a), ...get(t, b), ...V.i8x16Shuffle(sel), ...V.store()));
  return out;
}

/** Byte address of operand element (r, c). */
export function operandAddress(o: Operand, r: Bytes, c: Bytes): number[] {
  return [...I.localGet(o.base), ...r, ...I.localGet(o.s0), ...I.i32Mul, ...c, ...I.localGet(o.s1), ...I.i32Mul, ...I.i32Add, ...I.i32Const(2), ...I.i32Shl, ...I.i32Add];
}
