/**
 * Reductions in a workgroup. The result (its non-reduced axes are `rows`) goes to a
 * workgroup array. Each row gets T invocations (T a power of two, T × rows ≤ workgroup
 * size, or T = 1 with rows looped when there are more rows than invocations): each
 * invocation folds a strided part of the row, then a tree in workgroup memory combines
 * the T partials. Long rows are looped, never truncated.
 */
import type { Axis, DType, ReduceOp, Value } from '../ir/nodes.ts';
import type { EmitContext } from './context.ts';
import { axisSize, dimExpr, emitDecompose, maskExpr, staticSize } from './shape.ts';
import { emitValue, literal } from './values.ts';
import { offsetName } from './context.ts';

/** The value a fold starts from: neutral for the op. */
function identity(op: ReduceOp, d: DType): string {
  const lowest: Record<DType, string> = { f32: 'f32(-3.4028234663852886e38)', f16: 'f16(-65504.0)', i32: 'i32(-2147483647 - 1)', u32: '0u', bool: 'false' };
  const highest: Record<DType, string> = { f32: 'f32(3.4028234663852886e38)', f16: 'f16(65504.0)', i32: 'i32(2147483647)', u32: '4294967295u', bool: 'true' };
  if (op === 'max' || op === 'argmax') return lowest[d];
  if (op === 'min' || op === 'argmin') return highest[d];
  return literal(d, 0);
}

const isArg = (op: ReduceOp): boolean => op === 'argmax' || op === 'argmin';

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

export function emitReduce(ctx: EmitContext, id: string, v: Value & { kind: 'reduce' }): void {
  const x = v.x;
  const xAxes = x.type.axes;
  const reduced: number[] = v.axis === 'all' ? xAxes.map((_, i) => i) : [v.axis];
  const rowAxes: Axis[] = xAxes.filter((_, i) => !reduced.includes(i));
  const redAxes: Axis[] = xAxes.filter((_, i) => reduced.includes(i));
  const rows = staticSize(ctx, rowAxes);
  if (rows === undefined) {
    ctx.unsupported(`a reduction whose result keeps a whole (':') dimension`, "reduce along the ':' axis, or tile that dimension with a tile loop");
  }
  const wg = ctx.config.workgroupSize;
  let lanes = 1;
  while (lanes * 2 * rows <= wg) lanes *= 2;
  const rowsPerPass = Math.max(1, Math.floor(wg / lanes));

  const accType = x.type.dtype;
  const resultName = `mat_${id}`;
  ctx.declareWorkgroup(resultName, `array<${v.type.dtype}, ${rows}>`);
  ctx.mats.set(id, { kind: 'workgroup', name: resultName, axes: v.type.axes, dtype: v.type.dtype });
  const scratch = `red_${accType}`;
  ctx.declareWorkgroup(scratch, `array<${accType}, ${wg}>`);
  if (isArg(v.op)) ctx.declareWorkgroup('red_idx', `array<i32, ${wg}>`);
  const redLen = redAxes.map((a) => axisSize(ctx, a)).join(' * ') || '1';

  ctx.open(`{ // ${id} = ${v.op} over ${redAxes.length} axis(es), ${rows} row(s), ${lanes} lane(s) per row`);
  ctx.line(`let lane = lid % ${lanes};`);
  ctx.open(`for (var r0 = 0; r0 < ${rows}; r0 += ${rowsPerPass}) {`);
  ctx.line(`let r = r0 + lid / ${lanes};`);
  ctx.line(`var acc = ${identity(v.op, accType)};`);
  if (isArg(v.op)) ctx.line('var accI = 2147483647;');
  ctx.open(`if (r < ${rows}) {`);
  const rowCoords = emitDecompose(ctx, rowAxes, 'r');
  ctx.open(`for (var l = lane; l < ${redLen}; l += ${lanes}) {`);
  const redCoords = emitDecompose(ctx, redAxes, 'l');
  const coords: string[] = [];
  let ri = 0;
  let li = 0;
  for (let i = 0; i < xAxes.length; i++) coords.push(reduced.includes(i) ? redCoords[li++] ?? '0' : rowCoords[ri++] ?? '0');
  const valid = maskExpr(redAxes, redCoords);
  const xv = emitValue(ctx, x, coords);
  const xi = isArg(v.op) ? argIndex(redAxes, redCoords) : '';
  if (valid) ctx.open(`if (${valid}) {`);
  ctx.line(`let xv = ${xv};`);
  ctx.line(combine(v.op, 'acc', 'xv', 'accI', xi));
  if (valid) ctx.close();
  ctx.close();
  ctx.close();
  ctx.line(`${scratch}[lid] = acc;`);
  if (isArg(v.op)) ctx.line('red_idx[lid] = accI;');
  ctx.line('workgroupBarrier();');
  for (let s = lanes / 2; s >= 1; s /= 2) {
    ctx.open(`if (lane < ${s}) {`);
    ctx.line(`var a = ${scratch}[lid];`);
    if (isArg(v.op)) ctx.line('var aI = red_idx[lid];');
    ctx.line(combine(v.op, 'a', `${scratch}[lid + ${s}]`, 'aI', `red_idx[lid + ${s}]`));
    ctx.line(`${scratch}[lid] = a;`);
    if (isArg(v.op)) ctx.line('red_idx[lid] = aI;');
    ctx.close();
    ctx.line('workgroupBarrier();');
  }
  ctx.open(`if (lane == 0 && r < ${rows}) {`);
  ctx.line(`${resultName}[r] = ${finalize(ctx, v.op, scratch, redAxes, accType)};`);
  ctx.close();
  ctx.line('workgroupBarrier();');
  ctx.close();
  ctx.close();
}

/** The index an argmax/argmin reports: the global index along the reduced axis. */
function argIndex(redAxes: readonly Axis[], redCoords: readonly string[]): string {
  if (redAxes.length === 1 && redAxes[0]?.kind === 'block') return `${offsetName(redAxes[0].loop)} + ${redCoords[0] ?? '0'}`;
  return 'l';
}

function finalize(ctx: EmitContext, op: ReduceOp, scratch: string, redAxes: readonly Axis[], d: DType): string {
  if (isArg(op)) return 'red_idx[lid]';
  if (op !== 'mean') return `${scratch}[lid]`;
  // The mean divides by the number of valid elements: a ragged block has fewer.
  const counts = redAxes.map((a) =>
    a.kind === 'block' ? `min(${ctx.block(a.loop)}, ${dimExpr(a.loop.dim)} - ${offsetName(a.loop)})` : a.kind === 'full' ? dimExpr(a.dim) : '1');
  return `${scratch}[lid] / ${d}(${counts.join(' * ')})`;
}
