/**
 * cumsum along an axis, in workgroup memory: a Hillis–Steele scan (log2(L) passes, each
 * element adding the one d before it, d = 1, 2, 4, …; two buffers in turn). Simple and
 * correct over speed: O(L log L) adds, a barrier per pass.
 *
 * A tile of static shape is scanned whole into a workgroup array that any later
 * statement may read. Along a whole (':') dim of runtime length, the tile cannot be held
 * at once: it is scanned in windows of C elements along the axis, each window offset by
 * the running total of the windows before it (a carry per row), and the statements that
 * consume the scan (stores over the same shape, right after it) run once per window,
 * over that window's elements. Along the last axis the windows are scanned in serial
 * chunks per invocation instead (scan-chunked.ts).
 */
import type { Axis, Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';
import type { EmitContext, WgStorage } from './context.ts';
import { sameAxes, storeAxes } from './layout.ts';
import { axisSize, dimExpr, emitDecompose, maskExpr, staticAxisSize } from './shape.ts';
import { emitValue, literal, wgslType } from './values.ts';
import { emitChunkedWindowScan } from './scan-chunked.ts';
import { emitSerialRowScan, type StoreElement } from './scan-serial.ts';

type Scan = Value & { kind: 'scan' };

/** The window a consumer statement iterates over while a windowed scan runs. */
export interface ScanWindow {
  readonly axes: readonly Axis[];
  readonly axis: number;
  readonly base: string;
  readonly size: number;
  /** The axis's full length (runtime). */
  readonly length: string;
}

/**
 * Emits the scan; returns how many of the statements after it (`rest`) it emitted too
 * (its consumers, for a windowed scan).
 */
export function emitScan(
  ctx: EmitContext, id: string, v: Scan, rest: readonly Stmt[], emitStmts: (ctx: EmitContext, stmts: readonly Stmt[]) => void,
  storeOne: StoreElement,
): number {
  const axes = v.x.type.axes;
  const sizes = axes.map((a) => staticAxisSize(ctx, a));
  const scanned = axes[v.axis];
  if (!scanned) return ctx.unsupported(`cumsum along axis ${v.axis} of a ${axes.length}-D tile`, 'pick an existing axis');
  if (sizes.every((s): s is number => s !== undefined)) {
    emitStaticScan(ctx, id, v, sizes);
    return 0;
  }
  if (scanned.kind !== 'full' || sizes.some((s, i) => s === undefined && i !== v.axis)) {
    return ctx.unsupported(`cumsum over a tile with a whole (':') dimension other than the scanned one`, 'scan along the whole dimension, with the others tiled');
  }
  const consumers: Stmt[] = [];
  for (const s of rest) {
    if (s.kind !== 'store' || !readsMat(stmtValues(s), id) || !sameAxes(storeAxes(s), axes)) break;
    consumers.push(s);
  }
  if (consumers.length === 0 || rest.slice(consumers.length).some((s) => stmtReads(s, id))) {
    return ctx.unsupported(`using cumsum over a whole (':') dimension other than by storing it right away`,
      'store it straight into an output (out[tm, :] = cumsum(x[tm, :], axis=1)), or scan a tiled block instead');
  }
  const length = scanned.dim.kind === 'sym' ? dimExpr(scanned.dim) : String(scanned.dim.value);
  if (v.axis === axes.length - 1 && ctx.config.reduction === 'serial') {
    // One row per invocation, scanned serially as it is stored (scan-serial.ts).
    const rows = sizes.reduce<number>((n, s, i) => (i === v.axis ? n : n * (s ?? 1)), 1);
    emitSerialRowScan(ctx, id, v, rows, length, consumers, storeOne);
  } else if (v.axis === axes.length - 1) {
    // Along the last axis (rows): serial chunks per invocation, few barriers (scan-chunked.ts).
    const rows = sizes.reduce<number>((n, s, i) => (i === v.axis ? n : n * (s ?? 1)), 1);
    emitChunkedWindowScan(ctx, id, v, rows, length, consumers, emitStmts);
  } else {
    emitWindowedScan(ctx, id, v, sizes, length, consumers, emitStmts);
  }
  return consumers.length;
}

function readsMat(vs: readonly Value[], id: string): boolean {
  return vs.some((v) => (v.kind === 'mat' && v.id === id) || readsMat(operands(v), id));
}

function stmtReads(s: Stmt, id: string): boolean {
  if (readsMat(stmtValues(s), id)) return true;
  if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') return s.body.some((b) => stmtReads(b, id));
  if (s.kind === 'if') return [...s.then, ...s.otherwise].some((b) => stmtReads(b, id));
  return false;
}

/** Row-major stride of axis `axis` in a buffer of these sizes. */
const strideOf = (sizes: readonly number[], axis: number): number => sizes.slice(axis + 1).reduce((n, s) => n * s, 1);

/**
 * The Hillis–Steele passes over `total` elements in buffers `bufs` (input in bufs[0]);
 * returns the buffer holding the result.
 */
function emitPasses(ctx: EmitContext, bufs: readonly [string, string], total: number, length: number, stride: number): string {
  let [src, dst] = bufs;
  const wg = ctx.config.workgroupSize;
  for (let d = 1; d < length; d *= 2) {
    const e = ctx.fresh('e');
    ctx.open(`for (var ${e} = lid; ${e} < ${total}; ${e} += ${wg}) {`);
    ctx.line(`var s_x = ${src}[${e}];`);
    ctx.line(`if ((${e} / ${stride}) % ${length} >= ${d}) { s_x = s_x + ${src}[${e} - ${d * stride}]; }`);
    ctx.line(`${dst}[${e}] = s_x;`);
    ctx.close();
    ctx.barrier();
    [src, dst] = [dst, src];
  }
  return src;
}

/** Loads x at each element of the buffer (coords from `coordsOf`), 0 where `valid` fails. */
function emitLoadX(ctx: EmitContext, v: Scan, buf: string, total: number, decompose: (e: string) => { coords: string[]; valid: string }): void {
  const e = ctx.fresh('e');
  ctx.open(`for (var ${e} = lid; ${e} < ${total}; ${e} += ${ctx.config.workgroupSize}) {`);
  const { coords, valid } = decompose(e);
  ctx.line(`var s_x = ${literal(v.type.dtype, 0)};`);
  // Guarded by an `if`, not select(): a ':' axis past its end must not be read at all.
  if (valid) ctx.open(`if (${valid}) {`);
  ctx.line(`s_x = ${emitValue(ctx, v.x, coords)};`);
  if (valid) ctx.close();
  ctx.line(`${buf}[${e}] = s_x;`);
  ctx.close();
  ctx.barrier();
}

function emitStaticScan(ctx: EmitContext, id: string, v: Scan, sizes: readonly number[]): void {
  const total = sizes.reduce((n, s) => n * s, 1);
  const ty = wgslType(v.type.dtype);
  const bufs: [string, string] = [`scan_${id}_0`, `scan_${id}_1`];
  bufs.forEach((b) => ctx.declareWorkgroup(b, `array<${ty}, ${total}>`));
  const axes = v.x.type.axes;
  ctx.line(`// @${id} = cumsum along axis ${v.axis}`);
  ctx.barrier();
  emitLoadX(ctx, v, bufs[0], total, (e) => {
    const coords = emitDecompose(ctx, axes, e);
    return { coords, valid: maskExpr(axes, coords) };
  });
  const result = emitPasses(ctx, bufs, total, sizes[v.axis] ?? 1, strideOf(sizes, v.axis));
  const storage: WgStorage = { kind: 'workgroup', name: result, axes: v.type.axes, dtype: v.type.dtype };
  ctx.mats.set(id, storage);
}

function emitWindowedScan(
  ctx: EmitContext, id: string, v: Scan, staticSizes: readonly (number | undefined)[], length: string,
  consumers: readonly Stmt[], emitStmts: (ctx: EmitContext, stmts: readonly Stmt[]) => void,
): void {
  const axes = v.x.type.axes;
  const ax = v.axis;
  const rows = staticSizes.reduce<number>((n, s, i) => (i === ax ? n : n * (s ?? 1)), 1);
  let size = 1;
  while (size * 2 * rows <= ctx.config.workgroupSize) size *= 2;
  const sizes = staticSizes.map((s, i) => (i === ax ? size : s ?? 1));
  const total = rows * size;
  const stride = strideOf(sizes, ax);
  const ty = wgslType(v.type.dtype);
  const bufs: [string, string] = [`scan_${id}_0`, `scan_${id}_1`];
  bufs.forEach((b) => ctx.declareWorkgroup(b, `array<${ty}, ${total}>`));
  const carry = `scan_${id}_carry`;
  ctx.declareWorkgroup(carry, `array<${ty}, ${rows}>`);
  const wg = ctx.config.workgroupSize;
  const rowOf = (e: string): string => `(${e} / ${size * stride}) * ${stride} + ${e} % ${stride}`;

  ctx.open(`{ // @${id} = cumsum along axis ${ax} (length ${length}) in windows of ${size}`);
  ctx.barrier();
  ctx.open(`for (var s_e = lid; s_e < ${rows}; s_e += ${wg}) {`);
  ctx.line(`${carry}[s_e] = ${literal(v.type.dtype, 0)};`);
  ctx.close();
  const base = ctx.fresh('sb');
  ctx.open(`for (var ${base} = 0; ${base} < ${length}; ${base} += ${size}) {`);
  ctx.barrier();
  const window: ScanWindow = { axes, axis: ax, base, size, length };
  emitLoadX(ctx, v, bufs[0], total, (e) => windowCoords(ctx, window, e));
  const result = emitPasses(ctx, bufs, total, size, stride);
  ctx.open(`for (var s_e = lid; s_e < ${total}; s_e += ${wg}) {`);
  ctx.line(`${result}[s_e] = ${result}[s_e] + ${carry}[${rowOf('s_e')}];`);
  ctx.close();
  ctx.barrier();
  ctx.mats.set(id, { kind: 'workgroup', name: result, axes: v.type.axes, dtype: v.type.dtype, window: { axis: ax, base, size } });
  const saved = ctx.scanWindow;
  ctx.scanWindow = window;
  emitStmts(ctx, consumers);
  ctx.scanWindow = saved;
  ctx.barrier();
  // The last element of each row's window is the running total for the next window.
  ctx.open(`for (var s_r = lid; s_r < ${rows}; s_r += ${wg}) {`);
  ctx.line(`${carry}[s_r] = ${result}[(s_r / ${stride}) * ${size * stride} + ${(size - 1) * stride} + s_r % ${stride}];`);
  ctx.close();
  ctx.close();
  ctx.close();
}

/**
 * Coordinates (tile-local, so the scanned ':' axis is global) of element `e` of a
 * window, and whether it lies inside the tensor.
 */
export function windowCoords(ctx: EmitContext, w: ScanWindow, e: string): { coords: string[]; valid: string } {
  const sizes = w.axes.map((a, i) => (i === w.axis ? String(w.size) : axisSize(ctx, a)));
  const names = w.axes.map(() => ctx.fresh('c'));
  let rest = e;
  for (let i = w.axes.length - 1; i >= 0; i--) {
    const name = names[i] ?? 'c';
    if (i === 0) ctx.line(`let ${name} = ${rest};`);
    else {
      ctx.line(`let ${name} = ${rest} % ${sizes[i] ?? '1'};`);
      const next = ctx.fresh('q');
      ctx.line(`let ${next} = ${rest} / ${sizes[i] ?? '1'};`);
      rest = next;
    }
  }
  const coords = names.map((n, i) => (i === w.axis ? `(${w.base} + ${n})` : n));
  const valid = [maskExpr(w.axes, coords), `${coords[w.axis] ?? '0'} < ${w.length}`].filter((x) => x !== '').join(' && ');
  return { coords, valid };
}
