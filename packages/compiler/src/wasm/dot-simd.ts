/**
 * `@` in SIMD register micro-tiles: each step computes an MR × (4·NV) block of C in
 * f32x4 locals (MR rows, NV vectors of 4 columns) over the whole k range of the tile —
 * per k, NV vector loads of b's row, MR scalar loads of a broadcast to all lanes, and
 * MR·NV multiply-adds (`f32x4.relaxed_madd` where the engine has relaxed SIMD, else a
 * multiply then an add, rounded as the scalar path rounds) — then writes the block once.
 * Ragged rows and columns at the tile's edge take the scalar path.
 *
 * Knobs: microTile [MR, 4·NV] (MR ≤ 8, NV ≤ 4: 16 accumulators is about what x86's 16
 * vector registers hold), unroll (k steps per loop iteration).
 */
import type { Bytes } from './encoder.ts';
import { I, V } from './instr.ts';
import type { WasmContext } from './context.ts';
import type { Operand, Product } from './dot.ts';

/** The register block this config asks for, clamped to what the lowering supports. */
export function simdBlock(microTile: readonly [number, number]): { rows: number; vectors: number } {
  return { rows: Math.max(1, Math.min(8, microTile[0])), vectors: Math.max(1, Math.min(4, Math.floor(microTile[1] / 4))) };
}

/** Code for `for (; x + step <= n; x += step) body`, starting from x's current value. */
function stepLoop(x: number, step: number, n: Bytes, body: Bytes): number[] {
  return [
    ...I.block(), ...I.loop(),
    ...I.localGet(x), ...I.i32Const(step), ...I.i32Add, ...n, ...I.i32GtS, ...I.brIf(1),
    ...body,
    ...I.localGet(x), ...I.i32Const(step), ...I.i32Add, ...I.localSet(x),
    ...I.br(0), ...I.end, ...I.end,
  ];
}

const bytes4 = (x: Bytes): number[] => [...x, ...I.i32Const(2), ...I.i32Shl];

export function emitSimdProduct(ctx: WasmContext, p: Product): number[] | undefined {
  if (!p.B.unitS1 || (p.init !== undefined && !p.accInPlace)) return undefined;
  const { rows: MR, vectors: NV } = simdBlock(ctx.config.microTile);
  const unroll = Math.max(1, Math.min(8, ctx.config.unroll));
  ctx.usedSimd = true;
  const fn = ctx.fn;
  const i = fn.local('i32');
  const j = fn.local('i32');
  const k = fn.local('i32');
  const ni = fn.local('i32');
  const nj = fn.local('i32');
  const nk = fn.local('i32');
  const cStride = fn.local('i32');
  const aStep = fn.local('i32');
  const bStep = fn.local('i32');
  const bPtr = fn.local('i32');
  const aPtr = Array.from({ length: MR }, () => fn.local('i32'));
  const acc = Array.from({ length: MR }, () => Array.from({ length: NV }, () => fn.local('v128')));
  const bv = Array.from({ length: NV }, () => fn.local('v128'));
  const cRow = fn.local('i32');

  const A: Operand = p.A;
  const B: Operand = p.B;
  const madd = (r: number, v: number): number[] => {
    const a = acc[r]?.[v] ?? 0;
    const b = bv[v] ?? 0;
    if (ctx.features.relaxedSimd) return [...I.localGet(aPtr[r] ?? 0), ...V.load32Splat(), ...I.localGet(b), ...I.localGet(a), ...V.f32x4RelaxedMadd, ...I.localSet(a)];
    return [...I.localGet(a), ...I.localGet(aPtr[r] ?? 0), ...V.load32Splat(), ...I.localGet(b), ...V.f32x4Mul, ...V.f32x4Add, ...I.localSet(a)];
  };
  // One k step: b's vectors, then each row's broadcast a against them; pointers advance.
  const kStep: number[] = [];
  for (let v = 0; v < NV; v++) kStep.push(...I.localGet(bPtr), ...V.loadAlign4(16 * v), ...I.localSet(bv[v] ?? 0));
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < NV; v++) kStep.push(...madd(r, v));
  }
  for (let r = 0; r < MR; r++) kStep.push(...I.localGet(aPtr[r] ?? 0), ...I.localGet(aStep), ...I.i32Add, ...I.localSet(aPtr[r] ?? 0));
  kStep.push(...I.localGet(bPtr), ...I.localGet(bStep), ...I.i32Add, ...I.localSet(bPtr));

  // C's address of (i + r, j).
  const cAddr = (r: number): number[] => [
    ...I.localGet(p.C), ...bytes4([...I.localGet(i), ...I.i32Const(r), ...I.i32Add, ...I.localGet(cStride), ...I.i32Mul, ...I.localGet(j), ...I.i32Add]), ...I.i32Add,
  ];
  const block: number[] = [];
  for (let r = 0; r < MR; r++) {
    block.push(...cAddr(r), ...I.localSet(cRow));
    for (let v = 0; v < NV; v++) {
      const init = p.accInPlace ? [...I.localGet(cRow), ...V.loadAlign4(16 * v)] : [...I.f32Const(0), ...V.f32x4Splat];
      block.push(...init, ...I.localSet(acc[r]?.[v] ?? 0));
    }
    // a's row pointer at k = 0.
    block.push(
      ...I.localGet(A.base), ...bytes4([...I.localGet(i), ...I.i32Const(r), ...I.i32Add, ...I.localGet(A.s0), ...I.i32Mul]), ...I.i32Add,
      ...I.localSet(aPtr[r] ?? 0),
    );
  }
  block.push(...I.localGet(B.base), ...bytes4(I.localGet(j)), ...I.i32Add, ...I.localSet(bPtr));
  block.push(...I.i32Const(0), ...I.localSet(k));
  if (unroll > 1) block.push(...stepLoop(k, unroll, I.localGet(nk), Array.from({ length: unroll }, () => kStep).flat()));
  block.push(...stepLoop(k, 1, I.localGet(nk), kStep));
  for (let r = 0; r < MR; r++) {
    block.push(...cAddr(r), ...I.localSet(cRow));
    for (let v = 0; v < NV; v++) block.push(...I.localGet(cRow), ...I.localGet(acc[r]?.[v] ?? 0), ...V.store(16 * v));
  }

  // Scalar element (row, col): the same sum, in order, for the ragged edges.
  const s = fn.local('f32');
  const kk = fn.local('i32');
  const elem = (row: Bytes, col: Bytes): number[] => {
    const cAt = [...I.localGet(p.C), ...bytes4([...row, ...I.localGet(cStride), ...I.i32Mul, ...col, ...I.i32Add]), ...I.i32Add];
    const aAt = [...I.localGet(A.base), ...bytes4([...row, ...I.localGet(A.s0), ...I.i32Mul, ...I.localGet(kk), ...I.localGet(A.s1), ...I.i32Mul, ...I.i32Add]), ...I.i32Add];
    const bAt = [...I.localGet(B.base), ...bytes4([...I.localGet(kk), ...I.localGet(B.s0), ...I.i32Mul, ...col, ...I.i32Add]), ...I.i32Add];
    return [
      ...(p.accInPlace ? [...cAt, ...I.f32Load()] : I.f32Const(0)), ...I.localSet(s),
      ...I.i32Const(0), ...I.localSet(kk),
      ...stepLoop(kk, 1, I.localGet(nk), [...I.localGet(s), ...aAt, ...I.f32Load(), ...bAt, ...I.f32Load(), ...I.f32Mul, ...I.f32Add, ...I.localSet(s)]),
      ...cAt, ...I.localGet(s), ...I.f32Store(),
    ];
  };
  const r = fn.local('i32');
  const jj = fn.local('i32');
  const tailCols = (rowsFrom: Bytes, rowsTo: Bytes): number[] => [
    ...rowsFrom, ...I.localSet(r),
    ...I.block(), ...I.loop(), ...I.localGet(r), ...rowsTo, ...I.i32GeS, ...I.brIf(1),
    // Columns from j (the first not covered by vector blocks) to nj.
    ...I.localGet(j), ...I.localSet(jj),
    ...stepLoop(jj, 1, I.localGet(nj), elem(I.localGet(r), I.localGet(jj))),
    ...I.localGet(r), ...I.i32Const(1), ...I.i32Add, ...I.localSet(r), ...I.br(0), ...I.end, ...I.end,
  ];

  return [
    ...p.ni, ...I.localSet(ni), ...p.nj, ...I.localSet(nj), ...p.nk, ...I.localSet(nk),
    ...p.outStride, ...I.localSet(cStride),
    ...bytes4(I.localGet(A.s1)), ...I.localSet(aStep),
    ...bytes4(I.localGet(B.s0)), ...I.localSet(bStep),
    ...I.i32Const(0), ...I.localSet(i),
    ...stepLoop(i, MR, I.localGet(ni), [
      ...I.i32Const(0), ...I.localSet(j),
      ...stepLoop(j, 4 * NV, I.localGet(nj), block),
      ...tailCols(I.localGet(i), [...I.localGet(i), ...I.i32Const(MR), ...I.i32Add]),
    ]),
    // Rows after the last full row block: every column, scalar.
    ...I.i32Const(0), ...I.localSet(j),
    ...tailCols(I.localGet(i), I.localGet(ni)),
  ];
}
