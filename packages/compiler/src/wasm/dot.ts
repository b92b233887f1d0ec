/**
 * `a @ b` on 2-D tiles, accumulated in f32. Each operand is read in place when it is a
 * plain f32 tensor load (its element index is affine in the tile coordinates), else
 * evaluated once into a scratch tile. The product runs in SIMD register micro-tiles when
 * the result's columns allow it (dot-simd.ts), else in a scalar loop: each sum starts
 * from its `init` (0, or the accumulator) and runs over k in order.
 */
import type { Axis, Value } from '../ir/nodes.ts';
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import { alignCoords, axisCount, axisSize, countedLoop, dimExpr, forEachElementVec, linearIndex } from './shape.ts';
import { emitVector } from './vector.ts';
import { allocate, matStorage } from './storage.ts';
import { emitValue, tensorIndex, wordAddress } from './values.ts';
import type { Storage, WasmContext } from './context.ts';
import { emitSimdProduct } from './dot-simd.ts';

export function emitDot(ctx: WasmContext, id: string, v: Value & { kind: 'dot' }): number[] {
  const [ai, ak] = v.a.type.axes;
  const [bk, bj] = v.b.type.axes;
  if (v.a.type.axes.length !== 2 || v.b.type.axes.length !== 2 || !ai || !ak || !bk || !bj || v.type.axes.length !== 2) {
    return ctx.unsupported(`'@' on tiles of ${v.a.type.axes.length} and ${v.b.type.axes.length} axes`, "'@' multiplies two 2-D tiles");
  }
  if (v.a.type.dtype !== 'f32' || v.b.type.dtype !== 'f32' || v.type.dtype !== 'f32') {
    return ctx.unsupported(`'@' on ${v.a.type.dtype} and ${v.b.type.dtype}`, "'@' accumulates in f32; cast the operands to f32");
  }
  const out = accumulatorStorage(ctx, id, v) ?? matStorage(ctx, id, v);
  if (out.kind !== 'tile') return ctx.unsupported("a scalar '@' result", 'this is an internal error');
  const kAxis: Axis = ak.kind === 'unit' ? bk : ak;
  const [ri, rj] = out.axes;
  const code: number[] = [];
  let A = directOperand(ctx, v.a, code) ?? scratchOperand(ctx, v.a, [ai, kAxis], [false, ak.kind === 'unit'], code);
  let B = directOperand(ctx, v.b, code) ?? scratchOperand(ctx, v.b, [kAxis, bj], [bk.kind === 'unit', false], code);
  const acc = v.acc;
  const ni = axisCount(ctx, ri ?? ai);
  const nj = axisCount(ctx, rj ?? bj);
  const nk = axisCount(ctx, kAxis);
  const accInPlace = acc !== undefined && ctx.mats.get(id) === ctx.locals.get(acc.kind === 'local' ? acc.id : '');
  const outStride = rj ? constLength(ctx, rj) : 1;
  // The SIMD product wants both operands packed with compile-time row strides (so every
  // load in its unrolled k loop is a constant offset from one pointer).
  const packable = outStride !== undefined && constLength(ctx, kAxis) !== undefined && constLength(ctx, bj) !== undefined;
  let inPlace = accInPlace;
  if (acc !== undefined && !accInPlace && packable) {
    // `acc * alpha + p @ v`: the starting values go into C first (four lanes at a time),
    // then the product accumulates there as for `acc += a @ b`.
    const cAt = (coords: readonly Bytes[]): number[] => wordAddress(I.localGet(out.ptr), linearIndex(ctx, out.axes, coords));
    code.push(...forEachElementVec(ctx, out.axes,
      (coords) => [...cAt(coords), ...emitValue(ctx, acc, alignCoords(coords, acc.type.axes)), ...I.f32Store()],
      (coords, vc) => [...cAt(coords), ...emitVector(ctx, acc, alignCoords(coords, acc.type.axes), vc), ...V.store()]));
    inPlace = true;
  }
  const simd = (acc === undefined || inPlace) && packable;
  if (simd) {
    A = packed(ctx, A, [ai, kAxis], ni, nk, code);
    B = packed(ctx, B, [kAxis, bj], nk, nj, code);
  }
  const p: Product = {
    C: out.ptr, A, B,
    init: acc ? (r, c) => emitValue(ctx, acc, alignCoords([r, c], acc.type.axes)) : undefined,
    accInPlace: inPlace, ni, nj, nk,
    outStride: !rj || rj.kind === 'unit' ? I.i32Const(1) : axisSize(ctx, rj),
    constOutStride: outStride,
  };
  return [...code, ...((simd ? emitSimdProduct(ctx, p) : undefined) ?? emitScalarProduct(ctx, p))];
}

/**
 * `dot(a, b, acc=%acc)` followed by `%acc = @m`: when `%acc` is a tile local laid out
 * like the result, the product accumulates in the local's own buffer and the copy back
 * is a no-op (stmts.ts skips it).
 */
function accumulatorStorage(ctx: WasmContext, id: string, v: Value & { kind: 'dot' }): Storage | undefined {
  const acc = v.acc;
  if (acc?.kind !== 'local') return undefined;
  const local = ctx.locals.get(acc.id);
  if (!local || local.kind !== 'tile' || local.dtype !== 'f32' || !sameAxes(local.axes, v.type.axes)) return undefined;
  ctx.mats.set(id, local);
  return local;
}

function sameAxes(a: readonly Axis[], b: readonly Axis[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    if (x.kind === 'block') return y?.kind === 'block' && y.loop.id === x.loop.id;
    if (x.kind === 'full') return y?.kind === 'full' && JSON.stringify(y.dim) === JSON.stringify(x.dim);
    return y?.kind === 'unit';
  });
}

/** A 2-D f32 operand: element (r, c) at byte address `base + 4 * (r * s0 + c * s1)`. */
export interface Operand {
  /** Local holding the byte address of element (0, 0). */
  readonly base: number;
  /** Locals holding the strides, in elements. */
  readonly s0: number;
  readonly s1: number;
  /** s1 is 1 at compile time (rows contiguous): vector loads along columns. */
  readonly unitS1: boolean;
  /** s0 at compile time, for packed scratch tiles. */
  readonly constS0?: number;
}

/** An axis's length in a tile buffer when it is a compile-time constant. */
function constLength(ctx: WasmContext, a: Axis): number | undefined {
  if (a.kind === 'unit') return 1;
  if (a.kind === 'block') return ctx.block(a.loop);
  return a.dim.kind === 'const' ? a.dim.value : undefined;
}

export interface Product {
  /** Local holding C's address; C is row-major with row stride `outStride`. */
  readonly C: number;
  readonly A: Operand;
  readonly B: Operand;
  /** The starting value of result element (row, column); 0 when absent. */
  readonly init: ((row: Bytes, col: Bytes) => number[]) | undefined;
  /** The accumulator is C itself: init reads C's own element. */
  readonly accInPlace: boolean;
  readonly ni: Bytes;
  readonly nj: Bytes;
  readonly nk: Bytes;
  readonly outStride: Bytes;
  /** The row stride of C when it is a compile-time constant. */
  readonly constOutStride: number | undefined;
}

function setLocal(ctx: WasmContext, x: Bytes, code: number[]): number {
  const l = ctx.fn.local('i32');
  code.push(...x, ...I.localSet(l));
  return l;
}

function directOperand(ctx: WasmContext, v: Value, code: number[]): Operand | undefined {
  if (v.kind === 'transpose') {
    const inner = directOperand(ctx, v.x, code);
    return inner && { base: inner.base, s0: inner.s1, s1: inner.s0, unitS1: false };
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
  return {
    base,
    s0: setLocal(ctx, stride(tileItems[0] ?? 0), code),
    s1: setLocal(ctx, stride(last), code),
    unitS1: last === v.tensor.dims.length - 1,
  };
}

function scratchOperand(ctx: WasmContext, v: Value, axes: readonly [Axis, Axis], broadcast: readonly [boolean, boolean], code: number[]): Operand {
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
 * The operand as a scratch tile with a compile-time row stride: scratch operands already
 * are; a tensor read in place is copied (rows × cols in-bounds elements), 4 at a time
 * where its rows are contiguous.
 */
function packed(ctx: WasmContext, o: Operand, axes: readonly [Axis, Axis], rows: Bytes, cols: Bytes, code: number[]): Operand {
  if (o.constS0 !== undefined && o.unitS1) return o;
  const stride = constLength(ctx, axes[1]) ?? 1;
  const s = allocate(ctx, axes, 'f32');
  const c = ctx.fn.local('i32');
  const nc = ctx.fn.local('i32');
  const dst = (r: Bytes, col: Bytes): number[] => wordAddress(I.localGet(s.ptr), [...r, ...I.i32Const(stride), ...I.i32Mul, ...col, ...I.i32Add]);
  code.push(...cols, ...I.localSet(nc));
  code.push(...countedLoop(ctx, rows, (r) => [
    ...I.i32Const(0), ...I.localSet(c),
    ...(o.unitS1 ? [
      ...I.block(), ...I.loop(),
      ...I.localGet(c), ...I.i32Const(4), ...I.i32Add, ...I.localGet(nc), ...I.i32GtS, ...I.brIf(1),
      ...dst(r, I.localGet(c)), ...operandAddress(o, r, I.localGet(c)), ...V.loadAlign4(), ...V.store(),
      ...I.localGet(c), ...I.i32Const(4), ...I.i32Add, ...I.localSet(c),
      ...I.br(0), ...I.end, ...I.end,
    ] : []),
    ...I.block(), ...I.loop(),
    ...I.localGet(c), ...I.localGet(nc), ...I.i32GeS, ...I.brIf(1),
    ...dst(r, I.localGet(c)), ...operandAddress(o, r, I.localGet(c)), ...I.f32Load(), ...I.f32Store(),
    ...I.localGet(c), ...I.i32Const(1), ...I.i32Add, ...I.localSet(c),
    ...I.br(0), ...I.end, ...I.end,
  ]));
  return { base: s.ptr, s0: setLocal(ctx, I.i32Const(stride), code), s1: setLocal(ctx, I.i32Const(1), code), unitS1: true, constS0: stride };
}

/** Byte address of operand element (r, c). */
export function operandAddress(o: Operand, r: Bytes, c: Bytes): number[] {
  return [...I.localGet(o.base), ...r, ...I.localGet(o.s0), ...I.i32Mul, ...c, ...I.localGet(o.s1), ...I.i32Mul, ...I.i32Add, ...I.i32Const(2), ...I.i32Shl, ...I.i32Add];
}

function emitScalarProduct(ctx: WasmContext, p: Product): number[] {
  const s = ctx.fn.local('f32');
  const cAddr = (i: Bytes, j: Bytes): number[] => wordAddress(I.localGet(p.C), [...i, ...p.outStride, ...I.i32Mul, ...j, ...I.i32Add]);
  return countedLoop(ctx, p.ni, (i) => countedLoop(ctx, p.nj, (j) => [
    ...(p.init ? p.init(i, j) : I.f32Const(0)), ...I.localSet(s),
    ...countedLoop(ctx, p.nk, (k) => [
      ...I.localGet(s),
      ...operandAddress(p.A, i, k), ...I.f32Load(),
      ...operandAddress(p.B, k, j), ...I.f32Load(),
      ...I.f32Mul, ...I.f32Add, ...I.localSet(s),
    ]),
    ...cAddr(i, j), ...I.localGet(s), ...I.f32Store(),
  ]));
}
