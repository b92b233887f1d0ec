/**
 * The wasm backend's exp for f32, one routine for vector lanes and scalars alike (a
 * scalar is computed in lane 0 of a splat), so an element's e^x does not depend on
 * whether it fell in a vector step or the scalar tail, and no element calls out to
 * JavaScript's Math.exp (an import call costs more than the polynomial). f16 values keep
 * the double-precision import, rounded once to f16.
 */
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import type { WasmContext } from './context.ts';

/**
 * e^x for f32x4: 16 lane ops plus a 3-op range check (6 more ops for the ends of the
 * range and NaN, only in a vector that holds such a lane). e^x = 2^y with y = x·log2 e
 * rounded to f32, split as y = n + f with n = round(y) and |f| ≤ 1/2; 2^f by a degree-5
 * minimax polynomial in Horner's form; 2^n is added to the result's exponent bits with
 * one integer add. This is how GPUs compute exp (and lavapipe's exp measures the same):
 * the rounding of y costs up to |y|·2^-24 in f, so the error grows with |x| — under
 * 2.5 ulp near 0 and about 0.7·|x| ulp beyond, within WGSL's bound of 3 + 2·|x| ulp for
 * f32 exp (test/wasm/exp.test.ts checks every 1/4096 step of [-87.3, 88.7] against
 * it). A Cody–Waite reduction (x − n·ln2 with ln2 in two parts) keeps the error under
 * 2 ulp everywhere but costs three more lane ops, and exp is most of the work of a
 * softmax row (its exp-and-sum pass 4096×1024 on one thread: 3.5 → 3.2 ms).
 *
 * n is rounded by adding 1.5·2^23: the sum's low mantissa bits hold n (two's
 * complement), so shifting the sum's bits left by 23 gives n in the exponent field (the
 * constant's own bits shift out) with no float→int conversion (a multi-instruction
 * sequence on x86) — the same n as round-to-nearest-even for |y| < 2^22. Subtracting the
 * constant again gives n as an f32, and y − n is exact.
 *
 * The ends: the exponent add is valid while the result is a normal f32, for x in
 * [LO, HI] (e^LO ≥ the least normal f32, e^HI ≤ the largest); other lanes compute
 * garbage (no lane op traps) that is replaced. Lanes below LO are cleared (results that
 * would be subnormal are flushed to 0). Then pmax(u, e) with u = x·Infinity in the lanes
 * where x ≤ HI fails and 0 elsewhere: pmax(a, b) is `a < b ? b : a`, so it gives e where
 * u = 0 (e ≥ 0), Infinity above HI, and NaN for any NaN x whatever its payload (a NaN's
 * low payload bits would otherwise reach the exponent through t).
 */
export function expF32x4(ctx: WasmContext, x: Bytes, konst: (c: number) => Bytes): number[] {
  const xs = ctx.fn.local('v128');
  const y = ctx.fn.local('v128');
  const t = ctx.fn.local('v128');
  const f = ctx.fn.local('v128');
  const e = ctx.fn.local('v128');
  const k = (c: number): number[] => [...konst(c)];
  const get = (l: number): number[] => I.localGet(l);
  // 2^f ≈ 1 + f·(D1 + f·(D2 + f·(D3 + f·(D4 + f·D5)))) on |f| ≤ 1/2: Arm optimized-routines'
  // minimax coefficients for e^r on |r| ≤ ln2/2 (0x1.ffffecp-1 … 0x1.0e4020p-7), times ln2^k.
  const D = [0.6931467652320862, 0.24022230505943298, 0.055509865283966064, 0.009671936742961407, 0.001319604692980647];
  const horner = [...k(D[4]!)];
  for (const c of [D[3]!, D[2]!, D[1]!, D[0]!, 1]) horner.push(...get(f), ...V.f32x4Mul, ...k(c), ...V.f32x4Add);
  const magic = 12582912; // 1.5 · 2^23
  const HI = 88.72283172607422;
  const LO = -87.33654022216797;
  // Every lane in range when x² ≤ 87² (so |x| < -LO < HI; NaN and ±Infinity fail the
  // compare): a multiply, a compare and a bitmask instead of the ends' six lane ops,
  // which then run only for vectors holding a lane out of range — the same bits either
  // way, since the ends' ops leave an in-range lane's e as it is. (A square, not an abs:
  // V8 builds f32x4.abs's sign mask anew each time, three instructions on x64.) Always
  // running the ends' ops instead of branching measured slower (softmax's sum of exps
  // 2.7 -> 3.1 ms on one thread): the branch is almost never taken.
  const IN_RANGE_SQUARED = 87 * 87;
  return [
    ...x, ...I.localTee(xs),
    ...k(1.44269504088896341), ...V.f32x4Mul, ...I.localTee(y), ...k(magic), ...V.f32x4Add, ...I.localTee(t),
    // f holds n (as an f32) until y − n replaces it.
    ...k(magic), ...V.f32x4Sub, ...I.localSet(f),
    ...get(y), ...get(f), ...V.f32x4Sub, ...I.localSet(f),
    ...horner, ...get(t), ...I.i32Const(23), ...V.i32x4Shl, ...V.i32x4Add, ...I.localSet(e),
    ...get(xs), ...get(xs), ...V.f32x4Mul, ...k(IN_RANGE_SQUARED), ...V.f32x4Le, ...V.i32x4Bitmask, ...I.i32Const(15), ...I.i32Eq,
    ...I.if(V128), ...get(e), ...I.else,
    // u: x·Infinity where x ≤ HI fails (Infinity above HI, NaN for NaN), else 0; then pmax(u, e^x).
    ...get(xs), ...k(Infinity), ...V.f32x4Mul, ...get(xs), ...k(HI), ...V.f32x4Le, ...V.andnot,
    ...get(e), ...get(xs), ...k(LO), ...V.f32x4Lt, ...V.andnot,
    ...V.f32x4Pmax,
    ...I.end,
  ];
}

/** The block type of an `if` that leaves one v128. */
const V128 = 0x7b;
