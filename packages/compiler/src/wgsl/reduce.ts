/**
 * Reductions in a workgroup. The result (its non-reduced axes are `rows`) goes to a
 * workgroup array. Each row gets T invocations (T a power of two, T × rows ≤ workgroup
 * size, or T = 1 with rows looped when there are more rows than invocations): each
 * invocation folds a strided part of the row, then a tree in workgroup memory combines
 * the T partials. Long rows are looped, never truncated.
 *
 * With `reduction: 'subgroup'` (sum, mean, max, min over f32/i32/u32) the partials are
 * combined with subgroup operations instead: when a row's T lanes fit in one subgroup, a
 * butterfly of subgroupShuffleXor; when a subgroup lies inside one row, subgroupAdd /
 * subgroupMax / subgroupMin, then the first invocation of each subgroup writes its
 * partial to workgroup memory and lane 0 of the row folds the row's partials (one barrier
 * instead of log2(T)). The subgroup size is found at run time (subgroupAdd(1u): every
 * invocation of the workgroup is active at a reduction, since it also takes barriers).
 * This assumes subgroups are runs of consecutive local_invocation_index, which holds for
 * 1-D workgroups on the adapters we know of. argmax/argmin keep the tree.
 *
 * With one lane per row (`reduction: 'serial'`, or more rows than invocations) there is
 * nothing to combine: each invocation folds its rows on its own and writes the results
 * straight to the workgroup array, with one barrier on each side of the statement
 * instead of two per pass over the rows.
 */
import type { Axis, DType, ReduceOp, Value } from '../ir/nodes.ts';
import { NO_ARG_INDEX, reductionAxes } from '../ir/reduce-axes.ts';
import type { EmitContext } from './context.ts';
import { alignCoords, axisSize, dimExpr, emitDecompose, maskExpr, rowLanes, staticSize } from './shape.ts';
import { constant, emitValue, literal, tensorAccess, wgslType } from './values.ts';
import { arrayRead } from './ranged-access.ts';
import { ROW_VECTOR, rowVectorReads, type RowVectorRead } from '../config/row-vectors.ts';
import { emitColumnLoop, offsetName } from './context.ts';

/**
 * The value a fold starts from: neutral for the op. Float max and min start from ∓inf, so
 * a row of nothing but -inf has max -inf (and its argmax is the first index), as in the
 * other backends.
 */
function identity(ctx: EmitContext, op: ReduceOp, d: DType): string {
  const lowest = op === 'max' || op === 'argmax';
  if (!lowest && op !== 'min' && op !== 'argmin') return literal(d, 0);
  if (d === 'f32' || d === 'f16') return constant(ctx, d, lowest ? -Infinity : Infinity);
  const extremes = { i32: ['i32(-2147483647 - 1)', 'i32(2147483647)'], u32: ['0u', '4294967295u'], bool: ['false', 'true'] }[d];
  return (lowest ? extremes[0] : extremes[1]) ?? '';
}

type ArgOp = 'argmax' | 'argmin';
const isArg = (op: ReduceOp): op is ArgOp => op === 'argmax' || op === 'argmin';

/** Emits `acc = combine(acc, x)`; for arg ops the pair (accV, accI) with the first index winning ties. */
function combine(op: ReduceOp, acc: string, x: string, accI: string, xI: string): string {
  switch (op) {
    case 'sum': case 'mean': return `${acc} = ${acc} + ${x};`;
    case 'max': return `${acc} = max(${acc}, ${x});`;
    case 'min': return `${acc} = min(${acc}, ${x});`;
    case 'argmax':
    case 'argmin': {
      const better = op === 'argmax' ? '>' : '<';
      return `if (${x} ${better} ${acc} || (${x} == ${acc} && ${xI} < ${accI})) { ${acc} = ${x}; ${accI} = ${xI}; }`;
    }
  }
}

/**
 * Whether a walk in vectors folds this reduction into a vector of 4 partials (`acc4`,
 * lane c taking the row's elements 4i + c), combined into `acc` after the walk: 4
 * independent chains of adds (or max, min) instead of one, which a CPU adapter's
 * per-invocation SIMD lane runs at its throughput rather than its latency. Arg
 * reductions keep one accumulator (their ties go to the first index).
 */
function foldsInVectors(op: ReduceOp, d: DType): boolean {
  return !isArg(op) && d !== 'bool';
}

/** `acc4 = combine(acc4, x4)` for vectors of partials. */
function combine4(op: ReduceOp, acc4: string, x4: string): string {
  return op === 'max' || op === 'min' ? `${acc4} = ${op}(${acc4}, ${x4});` : `${acc4} = ${acc4} + ${x4};`;
}

/** `acc = combine(acc, the 4 partials of acc4)`, the partials combined pairwise. */
function foldPartials(op: ReduceOp, acc: string, acc4: string): string {
  const two = (a: string, b: string): string => (op === 'max' || op === 'min' ? `${op}(${a}, ${b})` : `(${a} + ${b})`);
  return combine(op, acc, two(two(`${acc4}.x`, `${acc4}.y`), two(`${acc4}.z`, `${acc4}.w`)), '', '');
}

export function emitReduce(ctx: EmitContext, id: string, v: Value & { kind: 'reduce' }): void {
  emitReduces(ctx, [{ id, v }]);
}

/** A reduction statement: `@id = v`. */
export interface ReduceItem {
  readonly id: string;
  readonly v: Value & { kind: 'reduce' };
}

/**
 * Whether `b` can be folded in the same walk as `a` (stmts.ts fuses such neighbours): both
 * one lane per row, over the same row and reduced axes, both read in vectors or neither.
 * Then one pass over the row feeds both accumulators, and the elements they share are
 * loaded once.
 */
export function foldsWith(ctx: EmitContext, a: ReduceItem, b: ReduceItem): boolean {
  const [ra, rb] = [reductionAxes(a.v), reductionAxes(b.v)];
  const key = (axes: readonly Axis[]): string => JSON.stringify(axes.map((x) => (x.kind === 'block' ? x.loop.id : x.kind === 'full' ? x.dim : 'unit')));
  const rows = staticSize(ctx, ra.rowAxes);
  if (rows === undefined || rowLanes(rows, ctx.config.workgroupSize, ctx.config.reduction === 'serial').lanes !== 1) return false;
  if (key(ra.rowAxes) !== key(rb.rowAxes) || key(ra.redAxes) !== key(rb.redAxes) || JSON.stringify(ra.reduced) !== JSON.stringify(rb.reduced)) return false;
  return vectorReadsOf(ctx, a.v) === undefined ? vectorReadsOf(ctx, b.v) === undefined : vectorReadsOf(ctx, b.v) !== undefined;
}

/** The reduction's vector reads, when the layout declared all their tensors as vectors. */
function vectorReadsOf(ctx: EmitContext, v: Value & { kind: 'reduce' }): RowVectorRead[] | undefined {
  const reads = rowVectorReads(v, ctx.kernel, ctx.config);
  return reads && reads.every((r) => ctx.layout.vectorTensors.get(r.tensor.name) === ROW_VECTOR) ? reads : undefined;
}

/**
 * Emits reductions that share one walk over their rows (several only when each pair
 * `foldsWith` the first: one lane per row). Each has its own accumulator (`acc`, then
 * `acc_1`, …) and result array.
 */
export function emitReduces(ctx: EmitContext, items: readonly ReduceItem[]): void {
  const first = items[0];
  if (!first) return;
  const v = first.v;
  const id = items.map((it) => it.id).join(', ');
  const x = v.x;
  const xAxes = x.type.axes;
  const { reduced, rowAxes, redAxes } = reductionAxes(v);
  const rows = staticSize(ctx, rowAxes);
  if (rows === undefined) {
    ctx.unsupported(`a reduction whose result keeps a whole (':') dimension`, "reduce along the ':' axis, or tile that dimension with a tile loop");
  }
  const wg = ctx.config.workgroupSize;
  const { lanes, perPass: rowsPerPass } = rowLanes(rows, wg, ctx.config.reduction === 'serial');

  const accType = x.type.dtype;
  const sfx = (k: number): string => (k === 0 ? '' : `_${k}`);
  const resultName = (it: ReduceItem): string => `mat_${it.id}`;
  for (const it of items) {
    ctx.declareWorkgroup(resultName(it), `array<${it.v.type.dtype}, ${rows}>`);
    ctx.mats.set(it.id, { kind: 'workgroup', name: resultName(it), axes: it.v.type.axes, dtype: it.v.type.dtype });
  }
  const scratch = `red_${accType}`;
  const direct = lanes === 1;
  if (!direct && items.length > 1) ctx.unsupported('folding several reductions in one walk with several lanes per row', 'this is an internal error');
  if (!direct) ctx.declareWorkgroup(scratch, `array<${accType}, ${wg}>`);
  if (!direct && isArg(v.op)) ctx.declareWorkgroup('red_idx', `array<i32, ${wg}>`);
  // Earlier readers of the result array (the same reduction in a loop) are done before it is rewritten.
  if (direct) ctx.barrier();
  // One block reduced (a column tile `x[tm, tn]`): its lanes stop at the dim's end, so the
  // elements they visit are in bounds and need no mask (a ragged last block is shorter).
  const redBlock = redAxes.length === 1 && redAxes[0]?.kind === 'block' ? redAxes[0].loop : undefined;
  const redLen = redBlock
    ? `min(${ctx.block(redBlock)}, ${dimExpr(redBlock.dim)} - ${offsetName(redBlock)})`
    : redAxes.map((a) => axisSize(ctx, a)).join(' * ') || '1';

  ctx.open(`{ // ${id} = ${items.map((it) => it.v.op).join(', ')} over ${redAxes.length} axis(es), ${rows} row(s), ${lanes} lane(s) per row`);
  ctx.line(`let lane = lid % ${lanes};`);
  ctx.open(`for (var r0 = 0; r0 < ${rows}; r0 += ${rowsPerPass}) {`);
  ctx.line(`let r = r0 + lid / ${lanes};`);
  const vectorReads = items.map((it) => vectorReadsOf(ctx, it.v));
  const inVectors = vectorReads.every((r) => r !== undefined);
  items.forEach((it, k) => {
    const d = it.v.x.type.dtype;
    ctx.line(`var acc${sfx(k)} = ${identity(ctx, it.v.op, d)};`);
    if (isArg(it.v.op)) ctx.line(`var accI${sfx(k)} = ${NO_ARG_INDEX};`);
    if (inVectors && foldsInVectors(it.v.op, d)) ctx.line(`var acc4${sfx(k)} = vec4<${wgslType(d)}>(${identity(ctx, it.v.op, d)});`);
  });
  const rowCoords = emitDecompose(ctx, rowAxes, 'r');
  // The row's mask is tested once; loads along the row's blocks then need no mask of their own.
  const rowMask = [`r < ${rows}`, maskExpr(rowAxes, rowCoords)].filter((m) => m !== '').join(' && ');
  ctx.open(`if (${rowMask}) {`);
  const savedInBounds = ctx.inBounds;
  ctx.inBounds = new Set([...(savedInBounds ?? []), ...rowAxes.flatMap((a) => (a.kind === 'block' ? [a.loop.id] : [])), ...(redBlock ? [redBlock.id] : [])]);
  const scalarLoop = (): void => emitColumnLoop(ctx, `for (var l = lane; l < ${redLen}; l += ${lanes}) {`, ['l'], (addColumns) => {
    const redCoords = emitDecompose(ctx, redAxes, 'l');
    addColumns(redCoords);
    const coords: string[] = [];
    let ri = 0;
    let li = 0;
    for (let i = 0; i < xAxes.length; i++) coords.push(reduced.includes(i) ? redCoords[li++] ?? '0' : rowCoords[ri++] ?? '0');
    const valid = redBlock ? '' : maskExpr(redAxes, redCoords);
    if (valid) ctx.open(`if (${valid}) {`);
    items.forEach((it, k) => {
      const xi = isArg(it.v.op) ? argIndex(redAxes, redCoords) : '';
      ctx.line(`let xv${sfx(k)} = ${emitValue(ctx, it.v.x, coords)};`);
      ctx.line(combine(it.v.op, `acc${sfx(k)}`, `xv${sfx(k)}`, `accI${sfx(k)}`, xi));
    });
    if (valid) ctx.close();
  });
  if (inVectors) {
    // Rows in vec4 steps when the dim allows (config/row-vectors.ts).
    ctx.open(`if (${redBlock ? dimExpr(redBlock.dim) : redLen} % ${ROW_VECTOR} == 0) {`);
    emitVectorLanes(ctx, items, vectorReads, rowCoords, redLen, lanes, redBlock ? `${offsetName(redBlock)} + ` : '');
    ctx.reopen('} else {');
    const one = oneTensor(vectorReads);
    if (one) emitUnalignedLanes(ctx, items, one, rowCoords, redLen, lanes, redBlock ? `${offsetName(redBlock)} + ` : '');
    else scalarLoop();
    ctx.close();
  } else {
    scalarLoop();
  }
  ctx.inBounds = savedInBounds;
  ctx.close();
  if (inVectors) items.forEach((it, k) => {
    if (foldsInVectors(it.v.op, it.v.x.type.dtype)) ctx.line(foldPartials(it.v.op, `acc${sfx(k)}`, `acc4${sfx(k)}`));
  });
  if (direct) {
    ctx.open(`if (r < ${rows}) {`);
    items.forEach((it, k) => ctx.line(`${resultName(it)}[r] = ${isArg(it.v.op) ? argResult(`accI${sfx(k)}`, redAxes) : finalizeValue(ctx, it.v.op, `acc${sfx(k)}`, redAxes, it.v.x.type.dtype)};`));
    ctx.close();
    ctx.close();
    ctx.close();
    ctx.barrier();
    return;
  }
  const name = resultName(first);
  if (useSubgroups(ctx, v.op, accType, lanes)) {
    emitSubgroupCombine(ctx, v.op, lanes, scratch);
    ctx.open(`if (lane == 0 && r < ${rows}) {`);
    ctx.line(`${name}[r] = ${finalizeValue(ctx, v.op, 'a', redAxes, accType)};`);
    ctx.close();
    ctx.barrier();
    ctx.close();
    ctx.close();
    return;
  }
  ctx.line(`${scratch}[lid] = acc;`);
  if (isArg(v.op)) ctx.line('red_idx[lid] = accI;');
  ctx.barrier();
  if (lanes > 1) {
    // A loop, not unrolled: the steps differ only in the stride, and each unrolled step
    // is one more block of loads, stores and a barrier for the shader compiler.
    ctx.open(`for (var s = ${lanes / 2}; s >= 1; s = s / 2) {`);
    ctx.open('if (lane < s) {');
    ctx.line(`var a = ${scratch}[lid];`);
    if (isArg(v.op)) ctx.line('var aI = red_idx[lid];');
    ctx.line(combine(v.op, 'a', `${scratch}[lid + s]`, 'aI', 'red_idx[lid + s]'));
    ctx.line(`${scratch}[lid] = a;`);
    if (isArg(v.op)) ctx.line('red_idx[lid] = aI;');
    ctx.close();
    ctx.line('workgroupBarrier();');
    ctx.close();
  }
  ctx.open(`if (lane == 0 && r < ${rows}) {`);
  ctx.line(`${name}[r] = ${finalize(ctx, v.op, scratch, redAxes, accType)};`);
  ctx.close();
  ctx.barrier();
  ctx.close();
  ctx.close();
}

/**
 * The lane loop over a row in vectors: lane l reads elements 4l … 4l+3 of each row read
 * (one vec4 load per tensor), then folds the 4 values; per-row values in workgroup memory
 * are read once per row (emitColumnLoop).
 */
function emitVectorLanes(ctx: EmitContext, items: readonly ReduceItem[], reads: readonly (readonly RowVectorRead[])[], rowCoords: readonly string[], length: string, lanes: number, offset: string): void {
  const w = ROW_VECTOR;
  const at = (col: string): string[] => [...rowCoords, col];
  emitColumnLoop(ctx, `for (var l4 = lane * ${w}; l4 < ${length}; l4 += ${lanes * w}) {`, ['l4'], () => {
    // One load per tensor and subscript, shared by the reductions that read it.
    const loaded = new Map<string, string>();
    const vectorsOf = reads.map((rs) => {
      const vectors = new Map<string, string>();
      for (const r of rs) {
        // The row's first vector, computed once per row (before the loop): the step adds
        // l4 / 4 to it, not the element index's products and a signed division per vector.
        const { index } = tensorAccess(ctx, r.tensor, r.load.index, alignCoords(at('0'), r.load.type.axes));
        const read = arrayRead(ctx, r.tensor, `${rowInvariantLet(ctx, `u32(${index}) / ${w}u`, 'vb')} + u32(l4) / ${w}u`);
        let name = loaded.get(read);
        if (name === undefined) {
          name = ctx.fresh('rv');
          ctx.line(`let ${name} = ${read};`);
          loaded.set(read, name);
        }
        vectors.set(r.tensor.name, name);
      }
      return vectors;
    });
    const saved = ctx.loadOverride;
    const sfx = (k: number): string => (k === 0 ? '' : `_${k}`);
    for (let c = 0; c < w; c++) {
      items.forEach((it, k) => {
        const vectors = vectorsOf[k];
        ctx.loadOverride = (t) => `${vectors?.get(t.name) ?? ''}[${c}]`;
        ctx.line(`let xv${c}${sfx(k)} = ${emitValue(ctx, it.v.x, at(`l4 + ${c}`))};`);
        ctx.loadOverride = saved;
        // An arg reduction's index is the column: the block's offset plus the position in it.
        if (!foldsInVectors(it.v.op, it.v.x.type.dtype)) ctx.line(combine(it.v.op, `acc${sfx(k)}`, `xv${c}${sfx(k)}`, `accI${sfx(k)}`, `${offset}l4 + ${c}`));
      });
    }
    items.forEach((it, k) => {
      const d = it.v.x.type.dtype;
      if (foldsInVectors(it.v.op, d)) ctx.line(combine4(it.v.op, `acc4${sfx(k)}`, `vec4<${wgslType(d)}>(${lanesOf(`xv`, sfx(k))})`));
    });
  });
}

/** `xv0_k, xv1_k, xv2_k, xv3_k`: the row's 4 elements of one vector step, as named by the walks. */
function lanesOf(prefix: string, suffix: string): string {
  return Array.from({ length: ROW_VECTOR }, (_, c) => `${prefix}${c}${suffix}`).join(', ');
}

/** A `let` of `expr` emitted before the column loop being written (context.ts emitColumnLoop), by name. */
function rowInvariantLet(ctx: EmitContext, expr: string, prefix: string): string {
  const lets = ctx.rowInvariant?.lets;
  if (!lets) return `(${expr})`;
  let name = lets.get(expr);
  if (name === undefined) {
    name = ctx.fresh(prefix);
    lets.set(expr, name);
  }
  return name;
}

/** The one tensor read, at one subscript, by all the reductions (each reads something); else undefined. */
function oneTensor(reads: readonly (readonly RowVectorRead[] | undefined)[]): RowVectorRead | undefined {
  const all = reads.flatMap((r) => r ?? []);
  const first = all[0];
  const key = (r: RowVectorRead): string => JSON.stringify(r.load.index.map((i) => (i.kind === 'block' ? i.loop.id : i.kind)));
  if (!first || reads.some((r) => !r || r.length === 0)) return undefined;
  return all.every((r) => r.tensor.name === first.tensor.name && key(r) === key(first)) ? first : undefined;
}

/**
 * The walk in vectors when the row does not start on a vector (the dim is not a multiple
 * of 4) and only one tensor is read: the vectors that cover the row's elements are read
 * whole. A vec4 load instead of 4 loads of single elements, each taken out of a vector at
 * a run-time component. Only the row's first and last vector can hold elements outside
 * the row: those two are folded with their elements masked out, the vectors between them
 * (all the others) without a mask. (Masking every vector cost the walk up to a third of
 * its time on lavapipe, where each mask is a compare and a select per element.)
 */
function emitUnalignedLanes(ctx: EmitContext, items: readonly ReduceItem[], read: RowVectorRead, rowCoords: readonly string[], length: string, lanes: number, offset: string): void {
  const w = ROW_VECTOR;
  const at = (col: string): string[] => [...rowCoords, col];
  const [b, e, qi, qe] = [ctx.fresh('b'), ctx.fresh('e'), ctx.fresh('qi'), ctx.fresh('qe')];
  // Element indices of the row's first element and one past its last; the vectors
  // [qi, qe) lie wholly inside the row (none when the row is shorter than a vector).
  ctx.line(`let ${b} = ${tensorAccess(ctx, read.tensor, read.load.index, alignCoords(at('0'), read.load.type.axes)).index};`);
  ctx.line(`let ${e} = ${b} + ${length};`);
  ctx.line(`let ${qi} = (${b} + ${w - 1}) / ${w};`);
  ctx.line(`let ${qe} = max(${e} / ${w}, ${qi});`);
  const sfx = (k: number): string => (k === 0 ? '' : `_${k}`);
  /** The fold of vector `q` of the row; `inRow(c)` masks element c, or undefined for none. */
  const fold = (inRow: ((c: number, j: string) => string) | undefined, addColumns: (names: readonly string[]) => void): void => {
    const rv = ctx.fresh('rv');
    ctx.line(`let ${rv} = ${arrayRead(ctx, read.tensor, 'q')};`);
    const masks: string[] = [];
    const saved = ctx.loadOverride;
    for (let c = 0; c < w; c++) {
      const j = ctx.fresh('j');
      ctx.line(`let ${j} = q * ${w} + ${c} - ${b};`);
      addColumns([j]);
      let mask: string | undefined;
      if (inRow) {
        mask = ctx.fresh('in');
        ctx.line(`let ${mask} = ${inRow(c, j)};`);
        masks.push(mask);
      }
      items.forEach((it, k) => {
        ctx.loadOverride = () => `${rv}[${c}]`;
        ctx.line(`let xv${c}${sfx(k)} = ${emitValue(ctx, it.v.x, at(j))};`);
        ctx.loadOverride = saved;
        const acc = `acc${sfx(k)}`;
        if (isArg(it.v.op)) {
          const step = combine(it.v.op, acc, `xv${c}${sfx(k)}`, `accI${sfx(k)}`, `${offset}${j}`);
          ctx.line(mask ? `if (${mask}) { ${step} }` : step);
        } else if (!foldsInVectors(it.v.op, it.v.x.type.dtype)) {
          ctx.line(combine(it.v.op, acc, mask ? `select(${identity(ctx, it.v.op, it.v.x.type.dtype)}, xv${c}${sfx(k)}, ${mask})` : `xv${c}${sfx(k)}`, '', ''));
        }
      });
    }
    items.forEach((it, k) => {
      const d = it.v.x.type.dtype;
      if (!foldsInVectors(it.v.op, d)) return;
      const vec = `vec4<${wgslType(d)}>`;
      const all = `${vec}(${lanesOf('xv', sfx(k))})`;
      ctx.line(combine4(it.v.op, `acc4${sfx(k)}`, inRow ? `select(${vec}(${identity(ctx, it.v.op, d)}), ${all}, vec4<bool>(${masks.join(', ')}))` : all));
    });
  };
  emitColumnLoop(ctx, `for (var q = ${qi} + lane; q < ${qe}; q += ${lanes}) {`, ['q'], (addColumns) => fold(undefined, addColumns));
  // The row's partial first vector (t = 0, before qi) and partial last one (t = 1, from qe), where they exist.
  emitColumnLoop(ctx, `for (var t = lane; t < 2; t += ${lanes}) {`, ['t', 'q'], (addColumns) => {
    ctx.line(`let q = select(${qe}, ${b} / ${w}, t == 0);`);
    ctx.open(`if (select(${qe} * ${w} < ${e}, ${b} % ${w} != 0, t == 0)) {`);
    fold((c, j) => `${j} >= 0 && q * ${w} + ${c} < ${e}`, addColumns);
    ctx.close();
  });
}

/**
 * The index an argmax/argmin reports: the global index along the reduced axis, for the
 * element at `redCoords`, `linear` its position in the walk over the reduced axes.
 */
function argIndex(redAxes: readonly Axis[], redCoords: readonly string[], linear = 'l'): string {
  if (redAxes.length === 1 && redAxes[0]?.kind === 'block') return `${offsetName(redAxes[0].loop)} + ${redCoords[0] ?? '0'}`;
  return linear;
}

/** No element of the row won (all NaN, which compares false): NO_ARG_INDEX gives way to the row's first index. */
function argResult(index: string, redAxes: readonly Axis[]): string {
  return `select(${index}, ${argIndex(redAxes, ['0'], '0')}, ${index} == ${NO_ARG_INDEX})`;
}

function finalize(ctx: EmitContext, op: ReduceOp, scratch: string, redAxes: readonly Axis[], d: DType): string {
  if (isArg(op)) return argResult('red_idx[lid]', redAxes);
  return finalizeValue(ctx, op, `${scratch}[lid]`, redAxes, d);
}

function finalizeValue(ctx: EmitContext, op: ReduceOp, value: string, redAxes: readonly Axis[], d: DType): string {
  if (op !== 'mean') return value;
  // The mean divides by the number of valid elements: a ragged block has fewer.
  const counts = redAxes.map((a) =>
    a.kind === 'block' ? `min(${ctx.block(a.loop)}, ${dimExpr(a.loop.dim)} - ${offsetName(a.loop)})` : a.kind === 'full' ? dimExpr(a.dim) : '1');
  return `${value} / ${d}(${counts.join(' * ')})`;
}

/** Whether this reduction combines its lanes with subgroup operations (see the file comment). */
function useSubgroups(ctx: EmitContext, op: ReduceOp, d: DType, lanes: number): op is Exclude<ReduceOp, ArgOp> {
  return ctx.config.reduction === 'subgroup' && lanes > 1 && !isArg(op) && (d === 'f32' || d === 'i32' || d === 'u32');
}

const SUBGROUP_OP: Record<Exclude<ReduceOp, ArgOp>, string> = { sum: 'subgroupAdd', mean: 'subgroupAdd', max: 'subgroupMax', min: 'subgroupMin' };

const MAX_SUBGROUP = 128;

/**
 * Leaves the row's total in `a` of the row's lane 0. Every subgroup has at least 4
 * invocations, so rows of up to 4 lanes never cross a subgroup and need no barrier.
 */
function emitSubgroupCombine(ctx: EmitContext, op: Exclude<ReduceOp, ArgOp>, lanes: number, scratch: string): void {
  const whole = SUBGROUP_OP[op];
  ctx.line('var a = acc;');
  const butterfly = (): void => {
    for (let s = lanes / 2; s >= 1; s /= 2) ctx.line(combine(op, 'a', `subgroupShuffleXor(a, ${s}u)`, '', ''));
  };
  if (lanes <= 4) {
    butterfly();
    return;
  }
  ctx.line('let sg_n = i32(subgroupAdd(1u));');
  ctx.line('let sg_i = subgroupExclusiveAdd(1u);');
  // Subgroups have at most 128 invocations: longer rows always span several.
  if (lanes <= MAX_SUBGROUP) {
    ctx.open(`if (sg_n >= ${lanes}) {`);
    butterfly();
    ctx.reopen('} else {');
  }
  // The subgroup lies inside one row: its first invocation publishes the subgroup's total.
  ctx.line(`a = ${whole}(a);`);
  ctx.line(`if (sg_i == 0u) { ${scratch}[lid / sg_n] = a; }`);
  if (lanes <= MAX_SUBGROUP) ctx.close();
  ctx.barrier();
  ctx.open(`if (lane == 0 && sg_n < ${lanes}) {`);
  ctx.open(`for (var j = 1; j < ${lanes} / sg_n; j++) {`);
  ctx.line(combine(op, 'a', `${scratch}[lid / sg_n + j]`, '', ''));
  ctx.close();
  ctx.close();
}
