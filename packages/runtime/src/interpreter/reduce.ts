/**
 * Reductions and scans, sequentially: for each in-bounds row (the non-reduced axes), fold
 * the in-bounds elements of the reduced axes in row-major order. Results match the WGSL
 * backend's (emitReduce) up to float rounding order: the same identities (∓Infinity for
 * float max and min, so a row of -Infinity has max -Infinity), the mean divides by the
 * count of in-bounds elements, argmax/argmin report the first index among ties, as a global index along a single
 * reduced block axis and as the row-major index within the reduced tile otherwise.
 */
import { NO_ARG_INDEX, reductionAxes, type Axis, type DType, type ReduceOp, type Value } from 'tessera-gpu-compiler';
import { offsetName, type JsContext } from './context.ts';
import { literal, rounded } from './ops.ts';
import { roundHalf } from './numeric.ts';
import { axisCount, forEachElement, linearIndex } from './shape.ts';
import { matStorage, put } from './storage.ts';
import { emitValue } from './values.ts';

const LOWEST: Record<DType, number> = { f32: -Infinity, f16: -Infinity, i32: -2147483648, u32: 0, bool: 0 };
const HIGHEST: Record<DType, number> = { f32: Infinity, f16: Infinity, i32: 2147483647, u32: 4294967295, bool: 1 };

/** The neutral value a fold starts from. */
function identity(op: ReduceOp, d: DType): string {
  if (op === 'max' || op === 'argmax') return literal(d, LOWEST[d], roundHalf);
  if (op === 'min' || op === 'argmin') return literal(d, HIGHEST[d], roundHalf);
  return literal(d, 0, roundHalf);
}

export function emitReduce(ctx: JsContext, id: string, v: Value & { kind: 'reduce' }): void {
  const x = v.x;
  const d = x.type.dtype;
  if (d === 'bool') ctx.unsupported(`${v.op} over a bool tile`, 'cast it first, e.g. sum(i32(mask))');
  const xAxes = x.type.axes;
  const { reduced, rowAxes, redAxes } = reductionAxes(v);
  const expected = v.keepdim ? xAxes.length : rowAxes.length;
  if (v.type.axes.length !== expected) {
    ctx.unsupported(`a reduction to ${v.type.axes.length} axes from ${xAxes.length}`, 'this is an internal error');
  }
  const out = matStorage(ctx, id, v);
  const arg = v.op === 'argmax' || v.op === 'argmin';
  const acc = ctx.fresh('acc');
  const accI = `${acc}i`;

  forEachElement(ctx, rowAxes, (rowCoords) => {
    ctx.line(`let ${acc} = ${identity(v.op, d)};`);
    if (arg) ctx.line(`let ${accI} = ${NO_ARG_INDEX};`);
    forEachElement(ctx, redAxes, (redCoords) => {
      const coords: string[] = [];
      let ri = 0;
      let li = 0;
      for (let i = 0; i < xAxes.length; i++) coords.push(reduced.includes(i) ? redCoords[li++] ?? '0' : rowCoords[ri++] ?? '0');
      const xv = ctx.fresh('x');
      ctx.line(`const ${xv} = ${emitValue(ctx, x, coords)};`);
      switch (v.op) {
        case 'sum': case 'mean': ctx.line(`${acc} = ${rounded(d, `${acc} + ${xv}`)};`); break;
        // Comparisons skip NaN, as GPU max/min (NMax/NMin) typically do.
        case 'max': ctx.line(`if (${xv} > ${acc}) ${acc} = ${xv};`); break;
        case 'min': ctx.line(`if (${xv} < ${acc}) ${acc} = ${xv};`); break;
        case 'argmax': case 'argmin': {
          const xi = argIndex(ctx, redAxes, redCoords);
          const better = v.op === 'argmax' ? '>' : '<';
          // The same test as the WGSL tree combine, so ties and the identity behave alike.
          ctx.line(`if (${xv} ${better} ${acc} || (${xv} === ${acc} && ${xi} < ${accI})) { ${acc} = ${xv}; ${accI} = ${xi}; }`);
          break;
        }
      }
    });
    const matCoords: string[] = [];
    let ri = 0;
    if (v.keepdim) for (let i = 0; i < xAxes.length; i++) matCoords.push(reduced.includes(i) ? '0' : rowCoords[ri++] ?? '0');
    else matCoords.push(...rowCoords);
    ctx.line(put(ctx, out, matCoords, finalize(ctx, v.op, acc, redAxes, d)));
  });
}

/** The index an argmax/argmin reports (see the file comment). */
function argIndex(ctx: JsContext, redAxes: readonly Axis[], redCoords: readonly string[]): string {
  const only = redAxes.length === 1 ? redAxes[0] : undefined;
  if (only?.kind === 'block') return `(${offsetName(only.loop)} + ${redCoords[0] ?? '0'})`;
  return linearIndex(ctx, redAxes, redCoords);
}

function finalize(ctx: JsContext, op: ReduceOp, acc: string, redAxes: readonly Axis[], d: DType): string {
  // No element won (a row of nothing but NaN): the row's first index, as on the other backends.
  if (op === 'argmax' || op === 'argmin') return `(${acc}i === ${NO_ARG_INDEX} ? ${argIndex(ctx, redAxes, redAxes.map(() => '0'))} : ${acc}i)`;
  if (op !== 'mean') return acc;
  const count = redAxes.map((a) => axisCount(ctx, a)).join(' * ') || '1';
  if (d === 'i32') return `divI32(${acc}, ${count})`;
  if (d === 'u32') return `divU32(${acc}, ${count})`;
  return rounded(d, `${acc} / (${count})`);
}

/** Inclusive cumsum along one axis, in order, into a buffer of the same shape. */
export function emitScan(ctx: JsContext, id: string, v: Value & { kind: 'scan' }): void {
  const x = v.x;
  const d = x.type.dtype;
  if (d === 'bool') ctx.unsupported('cumsum over a bool tile', 'cast it first, e.g. cumsum(i32(mask))');
  const xAxes = x.type.axes;
  const along = xAxes[v.axis];
  if (!along) return ctx.unsupported(`cumsum along axis ${v.axis} of a ${xAxes.length}-axis tile`, 'this is an internal error');
  const out = matStorage(ctx, id, v);
  const rest = xAxes.filter((_, i) => i !== v.axis);
  const acc = ctx.fresh('acc');
  forEachElement(ctx, rest, (restCoords) => {
    ctx.line(`let ${acc} = ${literal(d, 0, roundHalf)};`);
    forEachElement(ctx, [along], ([c]) => {
      const coords = [...restCoords.slice(0, v.axis), c ?? '0', ...restCoords.slice(v.axis)];
      ctx.line(`${acc} = ${rounded(d, `${acc} + ${emitValue(ctx, x, coords)}`)};`);
      ctx.line(put(ctx, out, coords, acc));
    });
  });
}
