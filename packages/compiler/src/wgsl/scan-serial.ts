/**
 * cumsum along the last axis of whole rows (`out[tm, :] = cumsum(x[tm, :], axis=1)`)
 * under `reduction: 'serial'`: each invocation takes whole rows and walks each once,
 * keeping the running sum in a variable and storing every prefix as it goes:
 *
 *   for each of the invocation's rows r
 *     run = 0
 *     for c in 0 … L-1:  run += x[r, c];  the consumers store at (r, c) with @scan = run
 *
 * No workgroup memory and no barriers inside the walk, L adds per row. On a CPU adapter
 * the invocations are SIMD lanes, so the rows are scanned side by side, one column per
 * step (what a hand-written kernel does there); scan-chunked.ts shares each row among
 * several invocations instead, which a GPU wants.
 */
import type { Stmt, Value } from '../ir/nodes.ts';
import { emitColumnLoop, type EmitContext } from './context.ts';
import { alignCoords, emitDecompose, maskExpr } from './shape.ts';
import { emitValue, literal, tensorAccess, wgslType } from './values.ts';
import { arrayRead, arrayWrite } from './ranged-access.ts';
import { ROW_VECTOR, rowScanVectors, type RowScanVectors } from '../config/row-vectors.ts';

type Scan = Value & { kind: 'scan' };

/** Emits one element of a store at tile coordinates, under a mask ('' for none): stmts.ts storeElement. */
export type StoreElement = (ctx: EmitContext, s: Stmt & { kind: 'store' }, coords: readonly string[], mask: string) => void;

export function emitSerialRowScan(ctx: EmitContext, id: string, v: Scan, rows: number, length: string, consumers: readonly Stmt[], storeOne: StoreElement): void {
  const axes = v.x.type.axes;
  const lead = axes.slice(0, -1);
  const wg = ctx.config.workgroupSize;
  const [r0, r, c, run] = [ctx.fresh('r'), ctx.fresh('r'), ctx.fresh('c'), ctx.fresh('s_run')];
  ctx.open(`{ // @${id} = cumsum along the last axis (length ${length}), one row per invocation`);
  ctx.open(`for (var ${r0} = 0; ${r0} < ${rows}; ${r0} += ${wg}) {`);
  ctx.line(`let ${r} = ${r0} + lid;`);
  const coords = [...emitDecompose(ctx, lead, r), c];
  const rowMask = [`${r} < ${rows}`, maskExpr(axes, coords)].filter((m) => m !== '').join(' && ');
  ctx.open(`if (${rowMask}) {`);
  // The row is in bounds: loads and stores along its blocks need no masks of their own.
  const saved = ctx.inBounds;
  ctx.inBounds = new Set([...(saved ?? []), ...lead.flatMap((a) => (a.kind === 'block' ? [a.loop.id] : []))]);
  ctx.line(`var ${run} = ${literal(v.type.dtype, 0)};`);
  const plan = rowScanVectors([{ kind: 'materialize', id, value: v }, ...consumers], 0, ctx.kernel, ctx.config);
  const vectors = plan && [...plan.reads.map((r) => r.tensor), ...plan.stores.map((t) => t.tensor)].every((t) => ctx.layout.vectorTensors.get(t.name) === ROW_VECTOR);
  if (plan && vectors) {
    ctx.open(`if (${length} % ${ROW_VECTOR} == 0) {`);
    emitVectorRowScan(ctx, id, v, plan, coords, c, run, length);
    ctx.reopen('} else {');
  }
  emitColumnLoop(ctx, `for (var ${c} = 0; ${c} < ${length}; ${c}++) {`, [c, run], () => {
    ctx.line(`${run} = ${run} + ${wgslType(v.type.dtype)}(${emitValue(ctx, v.x, coords)});`);
    const held = ctx.matOverride;
    ctx.matOverride = new Map([...(held ?? []), [id, run]]);
    for (const s of consumers) {
      if (s.kind === 'store') storeOne(ctx, s, coords, '');
    }
    ctx.matOverride = held;
  });
  if (plan && vectors) ctx.close();
  ctx.inBounds = saved;
  ctx.close();
  ctx.close();
  ctx.close();
}

/**
 * The row in steps of 4 (config/row-vectors.ts rowScanVectors): one vector load per
 * tensor read, the 4 prefixes in turn, then one vector store per consumer.
 */
function emitVectorRowScan(ctx: EmitContext, id: string, v: Scan, plan: RowScanVectors, coords: readonly string[], c: string, run: string, length: string): void {
  const w = ROW_VECTOR;
  const at = (col: string): string[] => [...coords.slice(0, -1), col];
  emitColumnLoop(ctx, `for (var ${c} = 0; ${c} < ${length}; ${c} += ${w}) {`, [c, run], () => {
    const vectors = new Map<string, string>();
    for (const r of plan.reads) {
      const name = ctx.fresh('sv');
      const { index } = tensorAccess(ctx, r.tensor, r.load.index, alignCoords(at(c), r.load.type.axes));
      ctx.line(`let ${name} = ${arrayRead(ctx, r.tensor, `(${index}) / ${w}`)};`);
      vectors.set(r.tensor.name, name);
    }
    const saved = ctx.loadOverride;
    const held = ctx.matOverride;
    const prefixes: string[] = [];
    for (let k = 0; k < w; k++) {
      ctx.loadOverride = (t) => `${vectors.get(t.name) ?? ''}[${k}]`;
      ctx.line(`${run} = ${run} + ${wgslType(v.type.dtype)}(${emitValue(ctx, v.x, at(`${c} + ${k}`))});`);
      const p = ctx.fresh('p');
      ctx.line(`let ${p} = ${run};`);
      prefixes.push(p);
    }
    for (const s of plan.stores) {
      const lanes = prefixes.map((p, k) => {
        ctx.loadOverride = (t) => `${vectors.get(t.name) ?? ''}[${k}]`;
        ctx.matOverride = new Map([...(held ?? []), [id, p]]);
        return emitValue(ctx, s.value, alignCoords(at(`${c} + ${k}`), s.value.type.axes));
      });
      const { index } = tensorAccess(ctx, s.tensor, s.index, at(c));
      ctx.line(`${arrayWrite(ctx, s.tensor, `(${index}) / ${w}`, `vec4<f32>(${lanes.join(', ')})`)};`);
    }
    ctx.loadOverride = saved;
    ctx.matOverride = held;
  });
}
