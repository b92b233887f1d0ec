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
 * e^x for f32x4, about 20 lane ops plus a 3-op range check (6 more ops for the ends of
 * the range and NaN, only in a vector that holds such a lane). x = n·ln2 + r with
 * n = round(x·log2 e) and |r| ≤ ln2/2 (Cody–Waite: ln2 in two parts, the first with few
 * enough bits that n·LN2_HI is exact, so r stays accurate for large |x|); e^r by a
 * degree-5 minimax polynomial evaluated in Estrin's form (a dependency chain of 6 ops
 * instead of Horner's 10, so successive vectors overlap in the pipeline); 2^n is added
 * to the result's exponent bits with one integer add. Against Math.exp rounded to f32:
 * max relative error 1.9e-7 (under 2 ulp) over the finite range, checked on every
 * 1/4096 step of [-87.3, 88.7] by test/wasm/exp.test.ts.
 *
 * n is rounded by adding 1.5·2^23: the sum's low mantissa bits hold n (two's
 * complement), so shifting the sum's bits left by 23 gives n in the exponent field (the
 * constant's own bits shift out) with no float→int conversion (a multi-instruction
 * sequence on x86) — the same n as round-to-nearest-even for |x·log2 e| < 2^22.
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
  const t = ctx.fn.local('v128');
  const n = ctx.fn.local('v128');
  const r = ctx.fn.local('v128');
  const r2 = ctx.fn.local('v128');
  const e = ctx.fn.local('v128');
  const k = (c: number): number[] => [...konst(c)];
  const get = (l: number): number[] => I.localGet(l);
  // e^r ≈ 1 + C1 r + C2 r² + C3 r³ + C4 r⁴ + C5 r⁵ on |r| ≤ ln2/2 (Arm optimized-routines' expf coefficients: 0x1.0e4020p-7 … 0x1.ffffecp-1).
  const [C5, C4, C3, C2, C1] = [0.008247390389442444, 0.04189976677298546, 0.16668395698070526, 0.4999912679195404, 0.9999994039535522];
  // (C1 r) + r²·((C2 + C3 r) + r²·(C4 + C5 r)): three independent pairs, then two steps.
  const hi = [...k(C5), ...get(r), ...V.f32x4Mul, ...k(C4), ...V.f32x4Add];
  const mid = [...k(C3), ...get(r), ...V.f32x4Mul, ...k(C2), ...V.f32x4Add];
  const poly = [
    ...hi, ...get(r2), ...V.f32x4Mul, ...mid, ...V.f32x4Add, ...get(r2), ...V.f32x4Mul,
    ...k(C1), ...get(r), ...V.f32x4Mul, ...V.f32x4Add, ...k(1), ...V.f32x4Add,
  ];
  const magic = 12582912; // 1.5 · 2^23
  const HI = 88.72283172607422;
  const LO = -87.33654022216797;
  // ln2 = LN2_HI + LN2_LO: 0x1.62e4p-1 has 15 significant bits, so n·LN2_HI is exact for |n| < 2^9.
  const LN2_HI = 0.693145751953125;
  const LN2_LO = 0.000001428606765330187;
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
    ...k(1.44269504088896341), ...V.f32x4Mul, ...k(magic), ...V.f32x4Add, ...I.localTee(t),
    ...k(magic), ...V.f32x4Sub, ...I.localSet(n),
    ...get(xs), ...get(n), ...k(LN2_HI), ...V.f32x4Mul, ...V.f32x4Sub,
    ...get(n), ...k(LN2_LO), ...V.f32x4Mul, ...V.f32x4Sub, ...I.localTee(r),
    ...get(r), ...V.f32x4Mul, ...I.localSet(r2),
    ...poly, ...get(t), ...I.i32Const(23), ...V.i32x4Shl, ...V.i32x4Add, ...I.localSet(e),
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
