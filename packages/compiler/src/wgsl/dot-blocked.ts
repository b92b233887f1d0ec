/**
 * A `@` outside the micro-tile layout whose result has a compile-time size (attention's
 * `p @ v[bh, tn, :]`, a [BM, D] tile): each invocation computes a block of the result in
 * registers (blocked-plan.ts says which), then writes it to the result's workgroup array.
 *
 *   rows    bd_y·tr + i (in passes of rowsPerPass), columns (g·gx + bd_x)·w + c
 *   per k   rowsPerPass values of a, tc values of b (tc / w vector loads), rowsPerPass·tc fma
 *
 * Columns come in groups of w owned by neighbouring invocations in turn, so a vector of
 * b serves one group and the workgroup's loads along a row of b are contiguous.
 *
 * b is read in vectors when it is a plain f32 load the layout declared as vectors; rows
 * of it must then be a multiple of w long, checked at run time (a scalar copy of the
 * loop runs otherwise). Columns past the tensor's end read a clamped vector whose sums
 * are never stored; the contraction stops at the tensor's end, as on the generic path.
 */
import type { TensorRef, Value } from '../ir/nodes.ts';
import { offsetName, type EmitContext, type WgStorage } from './context.ts';
import type { BlockedDotPlan } from './blocked-plan.ts';
import { emitBlockedCoords } from './blocked-registers.ts';
import { contraction } from './dot.ts';
import { plainLoad } from './layout.ts';
import { dimExpr, linearIndex } from './shape.ts';
import { emitValue, matrixOffset } from './values.ts';
import { arrayRead } from './ranged-access.ts';

type Dot = Value & { kind: 'dot' };

/** Emits the blocked product, or returns false when the layout gave it no plan (sizes not static or not divisible). */
export function emitBlockedDot(ctx: EmitContext, id: string, v: Dot): boolean {
  // The layout chose the plan (layout.ts addBlockedDots), so declarations and code agree.
  const plan = ctx.layout.blockedDots.get(id);
  if (!plan) return false;
  const axes = v.type.axes;
  const [rows, cols] = [plan.gy * plan.tr, plan.gx * plan.tc];

  // A fused accumulation writes straight into its local's array (layout.ts addBlockedDots).
  const alias = ctx.layout.aliases.get(id);
  const aliasStorage = alias !== undefined ? ctx.locals.get(alias)?.storage : undefined;
  // Or into its registers, when the local lives there for good (blocked-registers.ts).
  const inRegisters = aliasStorage?.kind === 'registers' && aliasStorage.owner === id ? aliasStorage : undefined;
  if (alias !== undefined && aliasStorage?.kind !== 'workgroup' && !inRegisters) ctx.unsupported(`accumulating @${id} into ${alias} outside workgroup memory`, 'this is an internal error');
  const storage: WgStorage = aliasStorage?.kind === 'workgroup' ? aliasStorage : { kind: 'workgroup', name: `mat_${id}`, axes, dtype: 'f32' };
  if (storage !== aliasStorage && !inRegisters) ctx.declareWorkgroup(storage.name, `array<f32, ${rows * cols}>`);
  // The operands may have been written by other invocations just before.
  ctx.barrier();
  ctx.open(`{ // @${id}: ${rows}×${cols} tile, ${plan.gy}×${plan.gx} invocations, ${plan.tr}×${plan.tc} each`);
  // With one row of invocations, every invocation reads the same rows of a: spelt
  // without `lid`, so the compiler sees uniform addresses.
  emitBlockedCoords(ctx, plan);
  const passes = plan.tr > plan.rowsPerPass;
  if (passes) ctx.open(`for (var bd_p = 0; bd_p < ${plan.tr}; bd_p += ${plan.rowsPerPass}) {`);
  const rowBase = [plan.gy > 1 ? `bd_y * ${plan.tr}` : '', passes ? 'bd_p' : ''].filter((x) => x !== '').join(' + ') || '0';
  for (let i = 0; i < plan.rowsPerPass; i++) ctx.line(`let bd_r${i} = ${rowBase} + ${i};`);
  for (let j = 0; j < plan.tc; j++) ctx.line(`let bd_c${j} = ${ownedColumn(plan, j)};`);

  const n = plan.rowsPerPass * plan.tc;
  const sums = inRegisters?.name ?? 'bd_acc';
  if (!inRegisters) ctx.line(`var bd_acc: array<f32, ${n}> = array<f32, ${n}>();`);
  const acc = v.acc;
  if (acc) {
    eachSum(plan, (i, j, r) => {
      // The accumulator's own registers are read at the element being seeded.
      ctx.owned = inRegisters ? { index: String(r), copies: new Map(), owner: id } : undefined;
      try {
        ctx.line(`${sums}[${r}] = ${emitValue(ctx, acc, [`bd_r${i}`, `bd_c${j}`])};`);
      } finally {
        ctx.owned = undefined;
      }
    });
  }

  const kc = contraction(ctx, v.a.type.axes[1]);
  const len = kc.looped ? kc.extent : `min(${kc.chunk}, ${kc.extent})`;
  // k stops at the tensor's end, so loads along a block contraction need no mask of their own.
  const kAxis = v.a.type.axes[1];
  const saved = ctx.inBounds;
  if (kAxis?.kind === 'block') ctx.inBounds = new Set([...(saved ?? []), kAxis.loop.id]);
  const vector = vectorB(ctx, v, plan);
  const constantLength = vector && /^\d+$/.test(vector.rowLength) ? Number(vector.rowLength) : undefined;
  if (constantLength !== undefined) {
    // A row length known here decides the vector check at compile time: one loop, not two.
    emitKLoop(ctx, v, plan, len, constantLength % plan.w === 0 ? vector : undefined, sums);
  } else if (vector) {
    ctx.open(`if (${vector.rowLength} % ${plan.w} == 0) {`);
    emitKLoop(ctx, v, plan, len, vector, sums);
    ctx.reopen('} else {');
    emitKLoop(ctx, v, plan, len, undefined, sums);
    ctx.close();
  } else {
    emitKLoop(ctx, v, plan, len, undefined, sums);
  }
  ctx.inBounds = saved;
  if (inRegisters) {
    // The sums stay where they are, for the next product and the statements that read them.
    ctx.close();
    return true;
  }

  // Indexing the sums with a loop index would move them out of registers: read a copy.
  const copy = ctx.fresh('bd_acc_c');
  ctx.line(`var ${copy} = bd_acc;`);
  const r = ctx.fresh('bd_e');
  ctx.open(`for (var ${r} = 0; ${r} < ${n}; ${r}++) {`);
  const row = `${rowBase} + ${r} / ${plan.tc}`;
  const col = ownedColumn(plan, `${r} % ${plan.tc}`);
  ctx.line(`${storage.name}[${linearIndex(ctx, axes, [`(${row})`, `(${col})`])}] = ${copy}[${r}];`);
  ctx.close();
  if (passes) ctx.close();
  ctx.close();
  ctx.barrier();
  ctx.mats.set(id, storage);
  return true;
}

/**
 * With broadcastA, when all invocations compute the same rows (one row of invocations),
 * the lanes of a subgroup share a's reads: g of them each read rows of a, and
 * subgroupBroadcast gives every lane all of them — rowsPerPass / g reads per lane instead
 * of rowsPerPass. 1 when not applicable.
 */
function broadcastGroup(ctx: EmitContext, plan: BlockedDotPlan): number {
  const size = ctx.limits.subgroupMinSize;
  if (!ctx.config.broadcastA || plan.gy !== 1 || size === undefined) return 1;
  const g = Math.min(plan.rowsPerPass, size);
  return plan.rowsPerPass % g === 0 ? g : 1;
}

/** Tile column of owned column `j` (a constant, or a WGSL expression). */
function ownedColumn(plan: BlockedDotPlan, j: number | string): string {
  if (typeof j === 'number') {
    const group = Math.floor(j / plan.w) * plan.gx;
    const start = group === 0 ? 'bd_x' : `(${group} + bd_x)`;
    return plan.w === 1 ? start : `${start} * ${plan.w} + ${j % plan.w}`;
  }
  if (plan.w === 1) return `(${j}) * ${plan.gx} + bd_x`;
  return `((${j}) / ${plan.w} * ${plan.gx} + bd_x) * ${plan.w} + (${j}) % ${plan.w}`;
}

function eachSum(plan: BlockedDotPlan, f: (i: number, j: number, r: number) => void): void {
  for (let i = 0; i < plan.rowsPerPass; i++) for (let j = 0; j < plan.tc; j++) f(i, j, i * plan.tc + j);
}

/** How b's rows are read in vectors: the element index of (k row `d_kk`, column group start). */
interface VectorB {
  readonly tensor: TensorRef;
  readonly rowLength: string;
  /** Element index of the vector starting at tile column `col` of contraction row `d_kk`. */
  readonly at: (col: string) => string;
}

function vectorB(ctx: EmitContext, v: Dot, plan: BlockedDotPlan): VectorB | undefined {
  const load = plainLoad(v.b);
  if (!load || plan.w === 1 || ctx.layout.vectorTensors.get(load.tensor.name) !== plan.w) return undefined;
  const [kItem, colItem] = load.index.slice(-2);
  const rowLength = dimExpr(load.tensor.dims[load.tensor.dims.length - 1] ?? { kind: 'const', value: 1 });
  const kBase = kItem?.kind === 'block' ? `${offsetName(kItem.loop)} + ` : '';
  const colBase = colItem?.kind === 'block' ? `${offsetName(colItem.loop)} + ` : '';
  const matrix = matrixOffset(ctx, load.tensor, load.index);
  return {
    tensor: load.tensor,
    rowLength,
    // Column groups past the end clamp to the last whole vector (their sums are not stored).
    at: (col) => `${matrix}(${kBase}d_kk) * ${rowLength} + min(${colBase}${col}, ${rowLength} - ${plan.w})`,
  };
}

function emitKLoop(ctx: EmitContext, v: Dot, plan: BlockedDotPlan, len: string, vector: VectorB | undefined, sums: string): void {
  ctx.open(`for (var d_kk = 0; d_kk < ${len}; d_kk++) {`);
  const g = broadcastGroup(ctx, plan);
  if (g > 1) {
    // Lane (l mod g) of each subgroup reads rows (l mod g) + j·g; broadcasts hand them round.
    for (let j = 0; j < plan.rowsPerPass / g; j++) ctx.line(`let bd_aL${j} = ${emitValue(ctx, v.a, [`bd_r${j * g} + i32(sg_id % ${g}u)`, 'd_kk'])};`);
    for (let i = 0; i < plan.rowsPerPass; i++) ctx.line(`let bd_a${i} = subgroupBroadcast(bd_aL${Math.floor(i / g)}, ${i % g}u);`);
  } else {
    for (let i = 0; i < plan.rowsPerPass; i++) ctx.line(`let bd_a${i} = ${emitValue(ctx, v.a, [`bd_r${i}`, 'd_kk'])};`);
  }
  const b: string[] = [];
  if (vector) {
    for (let g = 0; g < plan.tc / plan.w; g++) {
      ctx.line(`let bd_bv${g} = ${arrayRead(ctx, vector.tensor, `(${vector.at(`bd_c${g * plan.w}`)}) / ${plan.w}`)};`);
      for (let c = 0; c < plan.w; c++) b.push(`bd_bv${g}[${c}]`);
    }
  } else {
    for (let j = 0; j < plan.tc; j++) {
      ctx.line(`let bd_b${j} = ${emitValue(ctx, v.b, ['d_kk', `bd_c${j}`])};`);
      b.push(`bd_b${j}`);
    }
  }
  eachSum(plan, (i, j, r) => ctx.line(`${sums}[${r}] = fma(bd_a${i}, ${b[j] ?? '0.0'}, ${sums}[${r}]);`));
  ctx.close();
}
