/**
 * Elementwise stores in vectors: `out[tn] = x[tn] + y[tn]`, `out[tm, tn] = gelu(a[tm, tn])
 * * b[tm, tn]` over f32 tensors. Each invocation takes w consecutive elements along the
 * last (contiguous) dim; when all w are in bounds it reads each input as one vector,
 * computes the w results as scalars from the vectors' components, and writes them as one
 * vector:
 *
 *   for each w-wide piece (r…, e) of the tile, spread over the workgroup
 *     g = off + e
 *     if row r in bounds and g + w ≤ N   let v_x = buf_x[index(r…, g) / w]; …; buf_out[…] = vec4(f(v_x[0], …), …)
 *     else                               each of the w elements on its own, masked (the ragged end)
 *
 * On CPU adapters every per-invocation load or store is a gather or scatter, so w
 * elements per access instead of one is most of the cost of a memory-bound kernel; on
 * GPUs vector accesses are wider transactions. The tensors involved are declared as
 * arrays of vectors (layout.ts), which the scalar path reads and writes by component.
 * Stores into (or reading) tensors of more than one dim take the vector path only when N
 * is a multiple of w: then every row of every tensor involved starts on a vector boundary.
 *
 * Which stores qualify: config/vector-stores.ts.
 */
import { blockOf } from '../config/block.ts';
import { loadedTensors, vectorLoop, type Store } from '../config/vector-stores.ts';
import type { Axis, Value } from '../ir/nodes.ts';
import { type EmitContext, offsetName } from './context.ts';
import { storeAxes } from './layout.ts';
import { alignCoords, dimExpr, emitDecompose, maskExpr, staticSize } from './shape.ts';
import { emitValue, tensorAccess } from './values.ts';
import { arrayRead, arrayWrite } from './ranged-access.ts';
import { emitRowVectorStores } from './row-vector-store.ts';

/**
 * Emits `stores` (each qualifying, see element-groups.ts vectorStoreLoop, all over the
 * same tile) in vectors, in one loop: each input vector is loaded once for all of them.
 */
export function emitVectorStores(ctx: EmitContext, stores: readonly Store[], scalarStore: (s: Store, coords: string[], mask: string) => void): void {
  const first = stores[0];
  if (first?.index[first.index.length - 1]?.kind === 'full') return emitRowVectorStores(ctx, stores, scalarStore);
  const loop = first && vectorLoop(first, ctx.kernel, ctx.config);
  if (!first || !loop) return ctx.unsupported('a vector store without a vector loop', 'this is an internal error');
  const w = ctx.config.vectorWidth;
  const loads = new Map<string, Value & { kind: 'load' }>();
  for (const s of stores) loadedTensors(s.value, loads);
  const axes = storeAxes(first);
  const lead = axes.slice(0, -1);
  const rows = staticSize(ctx, lead) ?? 1;
  const block = blockOf(ctx.config, loop);
  const n = dimExpr(loop.dim);

  const [e, g] = [ctx.fresh('e'), ctx.fresh('g')];
  let col = e;
  let leadCoords: string[] = [];
  if (lead.length === 0) {
    ctx.open(`for (var ${e} = lid * ${w}; ${e} < ${block}; ${e} += ${ctx.config.workgroupSize * w}) { // ${w} elements per invocation`);
  } else {
    // Vector index e over the tile's rows × (block / w) pieces; consecutive invocations take consecutive pieces of a row.
    const pieces = block / w;
    ctx.open(`for (var ${e} = lid; ${e} < ${rows * pieces}; ${e} += ${ctx.config.workgroupSize}) { // ${w} elements per invocation`);
    col = ctx.fresh('c');
    ctx.line(`let ${col} = (${e} % ${pieces}) * ${w};`);
    leadCoords = emitDecompose(ctx, lead, `${e} / ${pieces}`);
  }
  ctx.line(`let ${g} = ${offsetName(loop)} + ${col};`);
  const rowMask = maskExpr(lead, leadCoords);
  // A tensor of more than one dim starts its rows at multiples of N: on vector boundaries
  // only when N is a multiple of w (also for a 1-D tile of one, `out[r, tn]` in a grid loop).
  const multiDim = [...stores.map((s) => s.tensor), ...[...loads.values()].map((l) => l.tensor)].some((t) => t.dims.length > 1);
  const aligned = lead.length === 0 && !multiDim ? '' : `${n} % ${w} == 0`;
  ctx.open(`if (${[rowMask, aligned, `${g} + ${w} <= ${n}`].filter((m) => m !== '').join(' && ')}) {`);
  const saved = ctx.inBounds;
  ctx.inBounds = new Set([...(saved ?? []), ...axes.flatMap((a) => (a.kind === 'block' ? [a.loop.id] : []))]);
  const at = (c: string): string[] => [...leadCoords, c];
  // A 1-D tensor along the loop is read at g; others at their own linear index.
  const vectorIndex = (t: Store['tensor'], index: Store['index'], loadAxes: readonly Axis[]): string =>
    index.length === 1 ? `${g} / ${w}` : `(${tensorAccess(ctx, t, index, alignCoords(at(col), loadAxes)).index}) / ${w}`;
  const vectors = new Map<string, string>();
  for (const l of loads.values()) {
    const name = ctx.fresh(`v_${l.tensor.name.replace(/[^A-Za-z0-9_]/g, '_')}`);
    ctx.line(`let ${name} = ${arrayRead(ctx, l.tensor, vectorIndex(l.tensor, l.index, l.type.axes))};`);
    vectors.set(l.tensor.name, name);
  }
  for (const s of stores) {
    const lanes: string[] = [];
    for (let c = 0; c < w; c++) {
      const before = ctx.loadOverride;
      ctx.loadOverride = (t) => `${vectors.get(t.name) ?? ''}[${c}]`;
      lanes.push(emitValue(ctx, s.value, alignCoords(at(`${col} + ${c}`), s.value.type.axes)));
      ctx.loadOverride = before;
    }
    ctx.line(`${arrayWrite(ctx, s.tensor, vectorIndex(s.tensor, s.index, axes), `vec${w}<f32>(${lanes.join(', ')})`)};`);
  }
  ctx.inBounds = saved;
  ctx.reopen('} else {');
  // The ragged end: element by element, each under its own mask (a loop, not unrolled:
  // it runs once per launch and only adds compile time).
  const c = ctx.fresh('c');
  ctx.open(`for (var ${c} = 0; ${c} < ${w}; ${c}++) {`);
  ctx.open(`if (${[rowMask, `${g} + ${c} < ${n}`].filter((m) => m !== '').join(' && ')}) {`);
  for (const s of stores) scalarStore(s, at(`${col} + ${c}`), '');
  ctx.close();
  ctx.close();
  ctx.close();
  ctx.close();
}
