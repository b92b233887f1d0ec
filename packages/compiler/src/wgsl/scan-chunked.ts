/**
 * cumsum along the last axis of a tile whose length is a runtime (':') dim, in windows of
 * W = lanes × chunk elements per row; each invocation scans `chunk` consecutive elements
 * of a window serially:
 *
 *   each invocation: running sums over its chunk of the window,
 *     read from x, into workgroup memory (rows × W)             barrier
 *   one invocation per row: offsets of the row's chunks from
 *     the chunks' totals and the carry of earlier windows       barrier
 *   each element adds its chunk's offset                        barrier
 *   the consumers (stores) run over the window                  barrier
 *
 * Four barriers per W elements of each row, and L adds, where the log-step scan of
 * scan.ts takes log2(lanes) + 3 barriers per `lanes` elements and L·log2(lanes) adds: on
 * a CPU adapter every barrier switches between the workgroup's invocations, so this is
 * the faster shape (a 4096×1024 row cumsum on lavapipe: ~270–450 ms of kernel time with the
 * log-step scan, ~90–105 ms this way, across four block/workgroup configs).
 */
import type { Stmt, Value } from '../ir/nodes.ts';
import type { EmitContext } from './context.ts';
import { windowCoords, type ScanWindow } from './scan.ts';
import { emitValue, literal, wgslType } from './values.ts';

type Scan = Value & { kind: 'scan' };

/** Most elements each invocation scans serially in a window. */
const MAX_CHUNK = 16;
/** Most elements a window holds (8 KB of f32), so tall blocks of rows still fit workgroup memory. */
const MAX_WINDOW = 2048;

export function emitChunkedWindowScan(
  ctx: EmitContext, id: string, v: Scan, rows: number, length: string,
  consumers: readonly Stmt[], emitStmts: (ctx: EmitContext, stmts: readonly Stmt[]) => void,
): void {
  const axes = v.x.type.axes;
  const wg = ctx.config.workgroupSize;
  // Lanes per row: as many as fit the workgroup with every row served.
  let lanes = 1;
  while (lanes * 2 * rows <= wg) lanes *= 2;
  const chunks = rows * lanes;
  let chunk = MAX_CHUNK;
  while (chunk > 1 && chunks * chunk > MAX_WINDOW) chunk /= 2;
  const size = lanes * chunk;
  const ty = wgslType(v.type.dtype);
  const zero = literal(v.type.dtype, 0);
  const buf = `scan_${id}`;
  const offsets = `scan_${id}_off`;
  const carry = `scan_${id}_carry`;
  ctx.declareWorkgroup(buf, `array<${ty}, ${rows * size}>`);
  ctx.declareWorkgroup(offsets, `array<${ty}, ${chunks}>`);
  ctx.declareWorkgroup(carry, `array<${ty}, ${rows}>`);

  ctx.open(`{ // @${id} = cumsum along the last axis (length ${length}) in windows of ${size}, ${chunk} per invocation`);
  ctx.barrier();
  ctx.open(`for (var s_e = lid; s_e < ${rows}; s_e += ${wg}) {`);
  ctx.line(`${carry}[s_e] = ${zero};`);
  ctx.close();
  const base = ctx.fresh('sb');
  ctx.open(`for (var ${base} = 0; ${base} < ${length}; ${base} += ${size}) {`);
  ctx.barrier();
  const window: ScanWindow = { axes, axis: axes.length - 1, base, size, length };
  // Each invocation reads its chunk of x and writes the running sums (0 past the end).
  ctx.open(`for (var s_c = lid; s_c < ${chunks}; s_c += ${wg}) {`);
  ctx.line(`var s_sum = ${zero};`);
  ctx.open(`for (var s_i = s_c * ${chunk}; s_i < (s_c + 1) * ${chunk}; s_i++) {`);
  const { coords, valid } = windowCoords(ctx, window, 's_i');
  // Guarded by an `if`, not select(): a ':' axis past its end must not be read at all.
  ctx.open(`if (${valid}) {`);
  ctx.line(`s_sum = s_sum + ${emitValue(ctx, v.x, coords)};`);
  ctx.close();
  ctx.line(`${buf}[s_i] = s_sum;`);
  ctx.close();
  ctx.close();
  ctx.barrier();
  // Each chunk's offset: the carry plus the totals of the row's chunks before it.
  ctx.open(`for (var s_r = lid; s_r < ${rows}; s_r += ${wg}) {`);
  ctx.line(`var s_run = ${carry}[s_r];`);
  ctx.open(`for (var s_c = 0; s_c < ${lanes}; s_c++) {`);
  ctx.line(`${offsets}[s_r * ${lanes} + s_c] = s_run;`);
  ctx.line(`s_run = s_run + ${buf}[(s_r * ${lanes} + s_c) * ${chunk} + ${chunk - 1}];`);
  ctx.close();
  ctx.line(`${carry}[s_r] = s_run;`);
  ctx.close();
  ctx.barrier();
  ctx.open(`for (var s_e = lid; s_e < ${rows * size}; s_e += ${wg}) {`);
  ctx.line(`${buf}[s_e] = ${buf}[s_e] + ${offsets}[s_e / ${chunk}];`);
  ctx.close();
  ctx.barrier();
  ctx.mats.set(id, { kind: 'workgroup', name: buf, axes: v.type.axes, dtype: v.type.dtype, window: { axis: axes.length - 1, base, size } });
  const saved = ctx.scanWindow;
  ctx.scanWindow = window;
  emitStmts(ctx, consumers);
  ctx.scanWindow = saved;
  ctx.close();
  ctx.close();
}
