/**
 * `a @ b` on 2-D tiles, accumulated in f32. Each operand is read in place when it is a
 * plain f32 tensor load, else evaluated once per materialization into a Float32Array
 * scratch tile; then register-blocked loops (emitProduct) multiply them: no closure per
 * element. Only in-bounds elements are visited, so the contraction skips out-of-bounds
 * k like every reduction.
 */
import type { Axis, Value } from 'tessera-gpu-compiler';
import { ident, tensorName, type JsContext, type Storage } from './context.ts';
import { alignCoords, axisCount, axisSize, dimExpr, forEachElement } from './shape.ts';
import { allocate, matStorage } from './storage.ts';
import { emitValue, tensorIndex } from './values.ts';

export function emitDot(ctx: JsContext, id: string, v: Value & { kind: 'dot' }): void {
  const [ai, ak] = v.a.type.axes;
  const [bk, bj] = v.b.type.axes;
  if (v.a.type.axes.length !== 2 || v.b.type.axes.length !== 2 || !ai || !ak || !bk || !bj || v.type.axes.length !== 2) {
    return ctx.unsupported(`'@' on tiles of ${v.a.type.axes.length} and ${v.b.type.axes.length} axes`, "'@' multiplies two 2-D tiles");
  }
  if (v.a.type.dtype !== 'f32' || v.b.type.dtype !== 'f32' || v.type.dtype !== 'f32') {
    return ctx.unsupported(`'@' on ${v.a.type.dtype} and ${v.b.type.dtype}`, "'@' accumulates in f32; cast the operands to f32");
  }
  const out = accumulatorStorage(ctx, id, v) ?? matStorage(ctx, id, v);
  // The contraction axis: a unit on one side broadcasts against the other's.
  const kAxis: Axis = ak.kind === 'unit' ? bk : ak;
  const [ri, rj] = out.axes;
  const A = directOperand(ctx, v.a) ?? scratchOperand(ctx, `A_${ident(id)}`, v.a, [ai, kAxis], [false, ak.kind === 'unit']);
  const B = directOperand(ctx, v.b) ?? scratchOperand(ctx, `B_${ident(id)}`, v.b, [kAxis, bj], [bk.kind === 'unit', false]);
  const acc = v.acc;
  emitProduct(ctx, {
    C: out.name, A, B,
    init: acc ? (r, c) => emitValue(ctx, acc, alignCoords([r, c], acc.type.axes)) : () => '0',
    ni: axisCount(ctx, ri ?? ai), nj: axisCount(ctx, rj ?? bj), nk: axisCount(ctx, kAxis),
    outStride: !rj || rj.kind === 'unit' ? '1' : axisSize(ctx, rj),
  });
}

/**
 * `dot(a, b, acc=%acc)` (from fuseDotAccumulate) followed by `%acc = @m`: when `%acc` is
 * a tile local laid out like the result, the product accumulates in the local's own
 * buffer and the copy back is a no-op (stmts.ts skips it). In place is safe: each
 * result element reads its accumulator element once, before it is written.
 */
function accumulatorStorage(ctx: JsContext, id: string, v: Value & { kind: 'dot' }): Storage | undefined {
  const acc = v.acc;
  if (acc?.kind !== 'local') return undefined;
  const local = ctx.locals.get(acc.id);
  if (!local || local.dtype !== 'f32' || !sameAxes(local.axes, v.type.axes)) return undefined;
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

/** A 2-D operand as `array[base + r * s0 + c * s1]` for in-bounds row r, column c. */
interface Operand {
  readonly array: string;
  readonly base: string;
  readonly s0: string;
  readonly s1: string;
}

/**
 * An f32 tensor load indexed by two tile axes (and any scalars) is read in place: its
 * element index is affine in the tile coordinates, and every coordinate the product
 * visits is in bounds. This skips a copy per tile, which matters for long thin blocks.
 * A transposed load is read in place too, with its strides swapped.
 */
function directOperand(ctx: JsContext, v: Value): Operand | undefined {
  if (v.kind === 'transpose') {
    const inner = directOperand(ctx, v.x);
    return inner && { ...inner, s0: inner.s1, s1: inner.s0 };
  }
  if (v.kind !== 'load' || v.tensor.dtype !== 'f32') return undefined;
  const tileItems = v.index.flatMap((item, p) => (item.kind === 'scalar' ? [] : [p]));
  if (tileItems.length !== 2) return undefined;
  const stride = (p: number): string => v.tensor.dims.slice(p + 1).map(dimExpr).join(' * ') || '1';
  const base = ctx.fresh('base');
  ctx.line(`const ${base} = ${tensorIndex(ctx, v.tensor, v.index, ['0', '0'])};`);
  return { array: tensorName(v.tensor), base, s0: stride(tileItems[0] ?? 0), s1: stride(tileItems[1] ?? 0) };
}

/** Any other operand is evaluated once into a row-major Float32Array scratch tile. */
function scratchOperand(ctx: JsContext, name: string, v: Value, axes: readonly [Axis, Axis], broadcast: readonly [boolean, boolean]): Operand {
  const s = allocate(ctx, name, axes, 'f32');
  const s0 = axes[1].kind === 'unit' ? '1' : axisSize(ctx, axes[1]);
  forEachElement(ctx, axes, ([r = '0', c = '0']) => {
    const at = [broadcast[0] ? '0' : r, broadcast[1] ? '0' : c];
    ctx.line(`${s.name}[${r} * ${s0} + ${c}] = ${emitValue(ctx, v, at)};`);
  });
  return { array: s.name, base: '0', s0, s1: '1' };
}

interface Product {
  readonly C: string;
  /** The starting value of result element (row, column), given as JS expressions. */
  readonly init: (row: string, col: string) => string;
  readonly A: Operand;
  readonly B: Operand;
  /** In-bounds extents (JS expressions). */
  readonly ni: string;
  readonly nj: string;
  readonly nk: string;
  /** Row stride of C. */
  readonly outStride: string;
}

const times = (x: string, s: string): string => (s === '1' ? x : `${x} * ${s}`);
const plus = (x: string, n: number, s: string): string => (n === 0 ? x : `${x} + ${times(String(n), s)}`);

/**
 * C = init + A·B, register-blocked: each step computes a 2×4 block of C in local
 * variables over the whole k range (the loads of A and B are shared across the block,
 * and C is written once), then a row or column remainder. Each sum starts from its
 * `init` (0, or the accumulator as the GPU's fused dot does) and runs over k in order
 * with f32 rounding after the multiply and after the add, so blocking does not change
 * the result.
 */
function emitProduct(ctx: JsContext, p: Product): void {
  const i = ctx.fresh('i');
  const j = ctx.fresh('j');
  ctx.line(`let ${i} = 0;`);
  ctx.open(`for (; ${i} + 2 <= ${p.ni}; ${i} += 2) {`);
  emitRows(ctx, p, i, j, 2);
  ctx.close();
  ctx.open(`for (; ${i} < ${p.ni}; ${i}++) {`);
  emitRows(ctx, p, i, j, 1);
  ctx.close();
}

/** `rows` rows of C starting at row `i`: 4-column blocks, then single columns. */
function emitRows(ctx: JsContext, p: Product, i: string, j: string, rows: number): void {
  const { A, B } = p;
  const r = Array.from({ length: rows }, (_, n) => n);
  for (const n of r) {
    ctx.line(`const ${i}a${n} = ${A.base} + ${times(`(${i} + ${n})`, A.s0)}, ${i}c${n} = ${times(`(${i} + ${n})`, p.outStride)};`);
  }
  ctx.line(`let ${j} = 0;`);
  for (const width of [4, 1]) {
    const cols = Array.from({ length: width }, (_, n) => n);
    // Names no ctx.fresh() prefix can produce, so they never shadow an outer variable.
    const acc = (row: number, col: number): string => `s${row}_${col}`;
    const k = ctx.fresh('k');
    ctx.open(width > 1 ? `for (; ${j} + ${width} <= ${p.nj}; ${j} += ${width}) {` : `for (; ${j} < ${p.nj}; ${j}++) {`);
    const at = (n: string, d: number): string => (d === 0 ? n : `(${n} + ${d})`);
    ctx.line(`let ${r.flatMap((row) => cols.map((col) => `${acc(row, col)} = ${p.init(at(i, row), at(j, col))}`)).join(', ')};`);
    ctx.open(`for (let ${k} = 0, ${k}b = ${B.base} + ${times(j, B.s1)}; ${k} < ${p.nk}; ${k}++, ${k}b += ${B.s0}) {`);
    ctx.line(`const ${r.map((row) => `xa${row} = ${A.array}[${i}a${row} + ${times(k, A.s1)}]`).join(', ')};`);
    ctx.line(`const ${cols.map((col) => `yb${col} = ${B.array}[${plus(`${k}b`, col, B.s1)}]`).join(', ')};`);
    for (const row of r) {
      ctx.line(cols.map((col) => `${acc(row, col)} = fr(${acc(row, col)} + fr(xa${row} * yb${col}));`).join(' '));
    }
    ctx.close();
    for (const row of r) {
      ctx.line(cols.map((col) => `${p.C}[${i}c${row} + ${j}${col ? ` + ${col}` : ''}] = ${acc(row, col)};`).join(' '));
    }
    ctx.close();
  }
}
