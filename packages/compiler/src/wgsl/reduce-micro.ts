/**
 * A sum, max or min along the columns of a micro-tile-shaped tile (layout.ts
 * microRowReduce): the row statistics of attention's online softmax, `max(s, axis=1)`
 * of the q·kᵀ tile. The tile is never written out for it:
 *
 *   each invocation folds its TN owned elements of each of its TM rows in registers
 *   (columns past the tensor's edge take the op's identity);
 *   the TX = BN/TN invocations that share those rows combine their partials — with a
 *   subgroupShuffleXor butterfly when `reduction: 'subgroup'` and TX lanes fit in the
 *   smallest subgroup (subgroups are runs of consecutive local_invocation_index, as
 *   reduce.ts assumes, and a row group is TX consecutive invocations), otherwise
 *   through a [BM, TX] workgroup array that each invocation folds for a share of rows;
 *   the BM totals go to a workgroup array, as any reduction's result.
 *
 * Compared with the workgroup reduction over the tile (reduce.ts), the tile stays in
 * registers and only TM partials per invocation cross the workgroup.
 */
import type { ReduceOp, Value } from '../ir/nodes.ts';
import type { EmitContext, WgStorage } from './context.ts';
import type { MicroTile } from './layout.ts';
import { forEachOwned, ownedCol, ownedRow } from './microtile.ts';
import { linearIndex, maskExpr } from './shape.ts';
import { constant, emitValue, literal, wgslType } from './values.ts';

type RowOp = Extract<ReduceOp, 'sum' | 'max' | 'min'>;

function identity(ctx: EmitContext, op: RowOp, dtype: 'f32' | 'i32' | 'u32'): string {
  if (op === 'sum') return literal(dtype, 0);
  // ∓inf, as in reduce.ts.
  if (dtype === 'f32') return constant(ctx, 'f32', op === 'max' ? -Infinity : Infinity);
  const ext = { i32: ['i32(-2147483647 - 1)', 'i32(2147483647)'], u32: ['0u', '4294967295u'] }[dtype];
  return op === 'max' ? ext[0] ?? '' : ext[1] ?? '';
}

function fold(op: RowOp, a: string, b: string): string {
  return op === 'sum' ? `${a} + ${b}` : `${op}(${a}, ${b})`;
}

export function emitMicroRowReduce(ctx: EmitContext, id: string, v: Value & { kind: 'reduce' }): void {
  const m = ctx.layout.micro;
  const dtype = v.x.type.dtype;
  if (!m || (v.op !== 'sum' && v.op !== 'max' && v.op !== 'min') || (dtype !== 'f32' && dtype !== 'i32' && dtype !== 'u32')) {
    return ctx.unsupported(`reduction @${id} along the micro-tile's columns`, 'this is an internal error in the layout analysis');
  }
  const op: RowOp = v.op;
  const ty = wgslType(dtype);
  const zero = identity(ctx, op, dtype);
  const storage: WgStorage = { kind: 'workgroup', name: `mat_${id}`, axes: v.type.axes, dtype };
  ctx.declareWorkgroup(storage.name, `array<${ty}, ${m.bm}>`);
  // Invocations may still read the previous value of the result (inside a loop).
  ctx.barrier();
  ctx.open(`{ // @${id} = ${op} along the ${m.bm}×${m.bn} tile's columns: ${m.tn} per invocation in registers, ${m.threadsX} invocations per row`);
  // Columns past the tensor's edge hold clamped reads (layout.ts): the identity replaces them.
  const colAxis = m.axes[1];
  const colMask = (j: number): string => (colAxis ? maskExpr([colAxis], [ownedCol(j)]) : '');
  for (let j = 0; j < m.tn; j++) {
    const mask = colMask(j);
    if (mask) ctx.line(`let rm_ok${j} = ${mask};`);
  }
  const terms: string[][] = Array.from({ length: m.tm }, () => []);
  forEachOwned(ctx, m, (coords, _mask, r) => {
    const i = Math.floor(r / m.tn);
    const j = r % m.tn;
    const x = emitValue(ctx, v.x, coords);
    terms[i]?.push(colMask(j) ? `select(${zero}, ${x}, rm_ok${j})` : x);
  });
  // A balanced tree of folds: shorter dependency chains than one running fold.
  const tree = (xs: readonly string[]): string => {
    if (xs.length <= 1) return xs[0] ?? zero;
    const half = Math.ceil(xs.length / 2);
    return fold(op, `(${tree(xs.slice(0, half))})`, `(${tree(xs.slice(half))})`);
  };
  for (let i = 0; i < m.tm; i++) ctx.line(`var rm_p${i}: ${ty} = ${tree(terms[i] ?? [])};`);
  const at = (row: string): string => linearIndex(ctx, storage.axes, storage.axes.length === 2 ? [row, '0'] : [row]);
  const tx = m.threadsX;
  const min = ctx.limits.subgroupMinSize;
  if (tx === 1) {
    for (let i = 0; i < m.tm; i++) ctx.line(`${storage.name}[${at(ownedRow(i))}] = rm_p${i};`);
  } else if (ctx.config.reduction === 'subgroup' && min !== undefined && tx <= min) {
    for (let s = tx / 2; s >= 1; s /= 2) {
      for (let i = 0; i < m.tm; i++) ctx.line(`rm_p${i} = ${fold(op, `rm_p${i}`, `subgroupShuffleXor(rm_p${i}, ${s}u)`)};`);
    }
    ctx.open('if (mt_x == 0) {');
    for (let i = 0; i < m.tm; i++) ctx.line(`${storage.name}[${at(ownedRow(i))}] = rm_p${i};`);
    ctx.close();
  } else {
    const parts = `red_${id}`;
    ctx.declareWorkgroup(parts, `array<${ty}, ${m.bm * tx}>`);
    for (let i = 0; i < m.tm; i++) ctx.line(`${parts}[${ownedRow(i)} * ${tx} + mt_x] = rm_p${i};`);
    ctx.barrier();
    const r = ctx.fresh('rm_r');
    ctx.open(`for (var ${r} = lid; ${r} < ${m.bm}; ${r} += ${ctx.config.workgroupSize}) {`);
    const reads = Array.from({ length: tx }, (_, t) => `${parts}[${r} * ${tx} + ${t}]`);
    ctx.line(`${storage.name}[${at(r)}] = ${tree(reads)};`);
    ctx.close();
  }
  ctx.close();
  ctx.barrier();
  ctx.mats.set(id, storage);
}
