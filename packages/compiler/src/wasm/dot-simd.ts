/**
 * `@` in SIMD register micro-tiles over packed operands (dot.ts packs them so that a's
 * and b's row strides are compile-time constants). Each register block computes an
 * MR × (4·NV) block of C in f32x4 locals over the tile's whole k range: per k, NV vector
 * loads of b's row and, per row, one 4-byte load broadcast to all lanes
 * (`v128.load32_splat`) times each of them, added into the accumulators
 * (multiplyAdd: `f32x4.relaxed_madd` where the engine has relaxed SIMD, else a multiply
 * then an add, rounded as the scalar path rounds). Every load is a constant offset from one a pointer
 * and one b pointer, so a k step costs only its loads and arithmetic.
 *
 * Ragged edges stay in SIMD as far as they can: the columns a full block leaves take
 * blocks one vector wide, the rows after the last full row block take blocks one row
 * high, and only the last columns (fewer than 4) take a scalar loop.
 *
 * Knobs: microTile [MR, 4·NV] (MR ≤ 8, NV ≤ 4) and unroll (1…8, k steps written out per
 * loop iteration). V8's wasm compiler (TurboFan, x64) hoists a loop body's loads to its
 * top and keeps 15 of the 16 xmm registers for values, so a block runs from registers
 * only while MR·NV accumulators + NV b vectors + MR broadcasts + 1 product fit in 15:
 * 4×8 and 2×16 do (measured at 1024³: ~36 GFLOP/s a core, against 13–16 for 5×8, 6×8
 * or 4×12, which spill); unrolling by hand multiplies the hoisted loads the same way,
 * and V8 unrolls the short loop itself, so unroll 1 is the best default.
 */
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import type { WasmContext } from './context.ts';
import type { Product } from './dot.ts';

/** The register block this config asks for, clamped to what the lowering supports. */
export function simdBlock(microTile: readonly [number, number]): { rows: number; vectors: number } {
  return { rows: Math.max(1, Math.min(8, microTile[0])), vectors: Math.max(1, Math.min(4, Math.floor(microTile[1] / 4))) };
}

/** `for (; x + step <= n; x += step) body`, from x's current value. */
function stepLoop(x: number, step: number, n: Bytes, body: Bytes): number[] {
  return [
    ...I.block(), ...I.loop(),
    ...I.localGet(x), ...I.i32Const(step), ...I.i32Add, ...n, ...I.i32GtS, ...I.brIf(1),
    ...body,
    ...I.localGet(x), ...I.i32Const(step), ...I.i32Add, ...I.localSet(x),
    ...I.br(0), ...I.end, ...I.end,
  ];
}

/**
 * x * y + acc on f32x4: `f32x4.relaxed_madd` where the engine has relaxed SIMD (one fused
 * multiply-add where the CPU has FMA, as V8 emits it on x64 with FMA3, else a multiply
 * then an add: either way at least as accurate as the fallback), else `f32x4.mul` then
 * `f32x4.add`, rounded twice as the scalar path rounds.
 */
function multiplyAdd(ctx: WasmContext, x: Bytes, y: Bytes, acc: Bytes): number[] {
  if (ctx.features.relaxedSimd) {
    ctx.usedRelaxedSimd = true;
    return [...x, ...y, ...acc, ...V.f32x4RelaxedMadd];
  }
  return [...acc, ...x, ...y, ...V.f32x4Mul, ...V.f32x4Add];
}

const bytes4 = (x: Bytes): number[] => [...x, ...I.i32Const(2), ...I.i32Shl];
const addConst = (l: number, n: number): number[] => [...I.localGet(l), ...I.i32Const(n), ...I.i32Add, ...I.localSet(l)];

export function emitSimdProduct(ctx: WasmContext, p: Product): number[] | undefined {
  const SA = p.A.constS0;
  const SB = p.B.constS0;
  const SC = p.constOutStride;
  if (SA === undefined || SB === undefined || SC === undefined || !p.A.unitS1 || !p.B.unitS1) return undefined;
  const { rows: MR, vectors: NV } = simdBlock(ctx.config.microTile);
  const unroll = Math.max(1, Math.min(8, ctx.config.unroll));
  ctx.usedSimd = true;
  const fn = ctx.fn;
  const [i, j, k, ni, nj, nk, aPtr, bPtr, cPtr] = Array.from({ length: 9 }, () => fn.local('i32')) as [number, number, number, number, number, number, number, number, number];
  // One set of locals serves every block shape (the blocks run one after another).
  const acc = Array.from({ length: MR }, () => Array.from({ length: NV }, () => fn.local('v128')));
  const bv = Array.from({ length: NV }, () => fn.local('v128'));
  const as = fn.local('v128');
  const at = <T>(xs: readonly T[], n: number): T => {
    const x = xs[n];
    if (x === undefined) throw new RangeError(`micro-tile index ${n}`);
    return x;
  };
  const cRow = (r: number): number[] => [...I.localGet(cPtr), ...I.i32Const(4 * r * SC), ...I.i32Add];

  /** C[i : i+mr, j : j+4·nv] += A[i : i+mr, :] @ B[:, j : j+4·nv], in registers. */
  const registerBlock = (mr: number, nv: number): number[] => {
    const step = (u: number): number[] => {
      const out: number[] = [];
      for (let v = 0; v < nv; v++) out.push(...I.localGet(bPtr), ...V.loadAlign4(4 * (u * SB + 4 * v)), ...I.localSet(at(bv, v)));
      for (let r = 0; r < mr; r++) {
        out.push(...I.localGet(aPtr), ...V.load32Splat(4 * (r * SA + u)), ...I.localSet(as));
        for (let v = 0; v < nv; v++) {
          const a = at(at(acc, r), v);
          out.push(...multiplyAdd(ctx, I.localGet(as), I.localGet(at(bv, v)), I.localGet(a)), ...I.localSet(a));
        }
      }
      return out;
    };
    const block: number[] = [
      // C's (i, j), a's row i, b's column j.
      ...I.localGet(p.C), ...bytes4([...I.localGet(i), ...I.i32Const(SC), ...I.i32Mul, ...I.localGet(j), ...I.i32Add]), ...I.i32Add, ...I.localSet(cPtr),
      ...I.localGet(p.A.base), ...bytes4([...I.localGet(i), ...I.i32Const(SA), ...I.i32Mul]), ...I.i32Add, ...I.localSet(aPtr),
      ...I.localGet(p.B.base), ...bytes4(I.localGet(j)), ...I.i32Add, ...I.localSet(bPtr),
    ];
    for (let r = 0; r < mr; r++) {
      for (let v = 0; v < nv; v++) {
        const init = p.accInPlace ? [...cRow(r), ...V.loadAlign4(16 * v)] : [...I.f32Const(0), ...V.f32x4Splat];
        block.push(...init, ...I.localSet(at(at(acc, r), v)));
      }
    }
    block.push(...I.i32Const(0), ...I.localSet(k));
    if (unroll > 1) {
      const unrolled = Array.from({ length: unroll }, (_, u) => step(u)).flat();
      block.push(...stepLoop(k, unroll, I.localGet(nk), [...unrolled, ...addConst(aPtr, 4 * unroll), ...addConst(bPtr, 4 * unroll * SB)]));
    }
    block.push(...stepLoop(k, 1, I.localGet(nk), [...step(0), ...addConst(aPtr, 4), ...addConst(bPtr, 4 * SB)]));
    for (let r = 0; r < mr; r++) {
      for (let v = 0; v < nv; v++) block.push(...cRow(r), ...I.localGet(at(at(acc, r), v)), ...V.store(16 * v));
    }
    return block;
  };

  // Scalar element (row, col), the same sum in order, for the last columns.
  const s = fn.local('f32');
  const kk = fn.local('i32');
  const row = fn.local('i32');
  const col = fn.local('i32');
  const elem = (): number[] => {
    const cAt = [...I.localGet(p.C), ...bytes4([...I.localGet(row), ...I.i32Const(SC), ...I.i32Mul, ...I.localGet(col), ...I.i32Add]), ...I.i32Add];
    const aAt = [...I.localGet(p.A.base), ...bytes4([...I.localGet(row), ...I.i32Const(SA), ...I.i32Mul, ...I.localGet(kk), ...I.i32Add]), ...I.i32Add];
    const bAt = [...I.localGet(p.B.base), ...bytes4([...I.localGet(kk), ...I.i32Const(SB), ...I.i32Mul, ...I.localGet(col), ...I.i32Add]), ...I.i32Add];
    return [
      ...(p.accInPlace ? [...cAt, ...I.f32Load()] : I.f32Const(0)), ...I.localSet(s),
      ...I.i32Const(0), ...I.localSet(kk),
      ...stepLoop(kk, 1, I.localGet(nk), [...I.localGet(s), ...aAt, ...I.f32Load(), ...bAt, ...I.f32Load(), ...I.f32Mul, ...I.f32Add, ...I.localSet(s)]),
      ...cAt, ...I.localGet(s), ...I.f32Store(),
    ];
  };

  /** Rows [i, i+mr) across all columns: full blocks, then one-vector blocks, then scalars. */
  const rowBand = (mr: number): number[] => [
    ...I.i32Const(0), ...I.localSet(j),
    ...stepLoop(j, 4 * NV, I.localGet(nj), registerBlock(mr, NV)),
    ...(NV > 1 ? stepLoop(j, 4, I.localGet(nj), registerBlock(mr, 1)) : []),
    ...I.localGet(i), ...I.localSet(row),
    ...stepLoop(row, 1, [...I.localGet(i), ...I.i32Const(mr), ...I.i32Add], [
      ...I.localGet(j), ...I.localSet(col),
      ...stepLoop(col, 1, I.localGet(nj), elem()),
    ]),
  ];

  return [
    ...p.ni, ...I.localSet(ni), ...p.nj, ...I.localSet(nj), ...p.nk, ...I.localSet(nk),
    ...I.i32Const(0), ...I.localSet(i),
    ...stepLoop(i, MR, I.localGet(ni), rowBand(MR)),
    ...(MR > 1 ? stepLoop(i, 1, I.localGet(ni), rowBand(1)) : []),
  ];
}
