/**
 * Elementwise stores of whole rows in vectors: `out[tm, :] = e / sum(e, axis=1,
 * keepdim=true)`, `out[tm, :] = (x[tm, :] - mean) * inv * g[:]`. The rows are shared out
 * as a reduction's are (shape.ts rowLanes; one lane per row under `reduction: 'serial'`),
 * and each lane walks its row w elements at a time:
 *
 *   for each of the invocation's rows r (in bounds)
 *     if N % w == 0   for c = lane·w; c < N; c += lanes·w
 *                       let v_x = buf_x[index(r, c) / w]; …; buf_out[index(r, c) / w] = vec4(f(v_x[0], …), …)
 *     else            for c = lane; c < N; c += lanes: each element on its own
 *
 * Per-row values (a row max or sum in workgroup memory) are read once per row, before
 * the walk (context.ts emitColumnLoop). When N is a multiple of w every row of every
 * tensor involved starts on a vector boundary; otherwise the whole walk is per element.
 * Which stores qualify: config/vector-stores.ts.
 */
import { loadedTensors, type Store } from '../config/vector-stores.ts';
import type { Value } from '../ir/nodes.ts';
import { emitColumnLoop, type EmitContext } from './context.ts';
import { storeAxes } from './layout.ts';
import { alignCoords, axisSize, emitDecompose, maskExpr, rowLanes, staticSize } from './shape.ts';
import { emitValue, tensorAccess } from './values.ts';
import { arrayRead, arrayWrite } from './ranged-access.ts';

export function emitRowVectorStores(ctx: EmitContext, stores: readonly Store[], scalarStore: (s: Store, coords: string[], mask: string) => void): void {
  const first = stores[0];
  if (!first) return;
  const w = ctx.config.vectorWidth;
  const axes = storeAxes(first);
  const last = axes[axes.length - 1];
  const lead = axes.slice(0, -1);
  const rows = staticSize(ctx, lead);
  if (!last || rows === undefined) return ctx.unsupported('a row vector store over rows of run-time count', 'this is an internal error');
  const n = axisSize(ctx, last);
  const { lanes, perPass } = rowLanes(rows, ctx.config.workgroupSize, ctx.config.reduction === 'serial');
  const loads = new Map<string, Value & { kind: 'load' }>();
  for (const s of stores) loadedTensors(s.value, loads);

  const [r0, r] = [ctx.fresh('r'), ctx.fresh('r')];
  ctx.open(`for (var ${r0} = 0; ${r0} < ${rows}; ${r0} += ${perPass}) { // rows in vectors of ${w}`);
  ctx.line(`let ${r} = ${r0} + lid / ${lanes};`);
  const leadCoords = emitDecompose(ctx, lead, r);
  const rowMask = [rows % perPass !== 0 ? `${r} < ${rows}` : '', maskExpr(lead, leadCoords)].filter((m) => m !== '').join(' && ');
  if (rowMask) ctx.open(`if (${rowMask}) {`);
  const saved = ctx.inBounds;
  ctx.inBounds = new Set([...(saved ?? []), ...lead.flatMap((a) => (a.kind === 'block' ? [a.loop.id] : []))]);
  const at = (c: string): string[] => [...leadCoords, c];

  ctx.open(`if (${n} % ${w} == 0) {`);
  const c4 = ctx.fresh('c');
  emitColumnLoop(ctx, `for (var ${c4} = (lid % ${lanes}) * ${w}; ${c4} < ${n}; ${c4} += ${lanes * w}) {`, [c4], () => {
    const vectors = new Map<string, string>();
    for (const l of loads.values()) {
      const name = ctx.fresh(`v_${l.tensor.name.replace(/[^A-Za-z0-9_]/g, '_')}`);
      const { index } = tensorAccess(ctx, l.tensor, l.index, alignCoords(at(c4), l.type.axes));
      ctx.line(`let ${name} = ${arrayRead(ctx, l.tensor, `(${index}) / ${w}`)};`);
      vectors.set(l.tensor.name, name);
    }
    for (const s of stores) {
      const parts: string[] = [];
      for (let k = 0; k < w; k++) {
        const before = ctx.loadOverride;
        ctx.loadOverride = (t) => `${vectors.get(t.name) ?? ''}[${k}]`;
        parts.push(emitValue(ctx, s.value, alignCoords(at(`${c4} + ${k}`), s.value.type.axes)));
        ctx.loadOverride = before;
      }
      const { index } = tensorAccess(ctx, s.tensor, s.index, at(c4));
      ctx.line(`${arrayWrite(ctx, s.tensor, `(${index}) / ${w}`, `vec${w}<f32>(${parts.join(', ')})`)};`);
    }
  });
  ctx.reopen('} else {');
  const c = ctx.fresh('c');
  emitColumnLoop(ctx, `for (var ${c} = lid % ${lanes}; ${c} < ${n}; ${c} += ${lanes}) {`, [c], () => {
    for (const s of stores) scalarStore(s, at(c), '');
  });
  ctx.close();
  ctx.inBounds = saved;
  if (rowMask) ctx.close();
  ctx.close();
}
