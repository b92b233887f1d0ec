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
import { constLength, directOperand, operandAddress, packed, scratchOperand, type Operand } from './dot-operand.ts';

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
