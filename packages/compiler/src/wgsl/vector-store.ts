/**
 * 1-D elementwise stores in vectors: `out[tn] = x[tn] + y[tn]` over f32 tensors. Each
 * invocation takes w consecutive elements; when all w are in bounds it reads each input
 * as one vector, computes the w results as scalars from the vectors' components, and
 * writes them as one vector:
 *
 *   for e = lid·w; e < BN; e += workgroupSize·w
 *     g = off + e
 *     if g + w ≤ N   let v_x = buf_x[g / w]; …; buf_out[g / w] = vec4(f(v_x[0], …), …)
 *     else           each of the w elements on its own, masked (the ragged end)
 *
 * On CPU adapters every per-invocation load or store is a gather or scatter, so w
 * elements per access instead of one is most of the cost of a memory-bound kernel; on
 * GPUs vector accesses are wider transactions. The tensors involved are declared as
 * arrays of vectors (layout.ts), which the scalar path reads and writes by component.
 *
 * Applies to a store whose value reads only 1-D f32 tensors at the store's own block
 * (plus scalars, constants and elementwise ops) when the block is a multiple of w.
 */
import { blockOf } from '../config/block.ts';
import { loadedTensors, vectorLoop, type Store } from '../config/vector-stores.ts';
import type { TensorRef } from '../ir/nodes.ts';
import { offsetName, type EmitContext } from './context.ts';
import { dimExpr } from './shape.ts';
import { emitValue } from './values.ts';
import { arrayRead, arrayWrite } from './ranged-access.ts';

/**
 * Emits `stores` (each qualifying, see element-groups.ts vectorStoreLoop, all along the
 * same loop) in vectors, in one loop: each input vector is loaded once for all of them.
 */
export function emitVectorStores(ctx: EmitContext, stores: readonly Store[], scalarStore: (s: Store, coords: string[], mask: string) => void): void {
  const first = stores[0];
  const loop = first && vectorLoop(first, ctx.config);
  if (!loop) return ctx.unsupported('a vector store without a vector loop', 'this is an internal error');
  const w = ctx.config.vectorWidth;
  const tensors = new Map<string, TensorRef>();
  for (const s of stores) loadedTensors(s.value, tensors);

  const [e, g] = [ctx.fresh('e'), ctx.fresh('g')];
  const n = dimExpr(loop.dim);
  ctx.open(`for (var ${e} = lid * ${w}; ${e} < ${blockOf(ctx.config, loop)}; ${e} += ${ctx.config.workgroupSize * w}) { // ${w} elements per invocation`);
  ctx.line(`let ${g} = ${offsetName(loop)} + ${e};`);
  ctx.open(`if (${g} + ${w} <= ${n}) {`);
  const vectors = new Map([...tensors.values()].map((t) => [t.name, ctx.fresh(`v_${t.name.replace(/[^A-Za-z0-9_]/g, '_')}`)]));
  for (const t of tensors.values()) ctx.line(`let ${vectors.get(t.name)} = ${arrayRead(ctx, t, `${g} / ${w}`)};`);
  for (const s of stores) {
    const lanes: string[] = [];
    for (let c = 0; c < w; c++) {
      const saved = ctx.loadOverride;
      ctx.loadOverride = (t) => `${vectors.get(t.name)}[${c}]`;
      lanes.push(emitValue(ctx, s.value, [`${e} + ${c}`]));
      ctx.loadOverride = saved;
    }
    ctx.line(`${arrayWrite(ctx, s.tensor, `${g} / ${w}`, `vec${w}<f32>(${lanes.join(', ')})`)};`);
  }
  ctx.reopen('} else {');
  // The ragged end: element by element, each under its own mask (a loop, not unrolled:
  // it runs once per launch and only adds compile time).
  const c = ctx.fresh('c');
  ctx.open(`for (var ${c} = 0; ${c} < ${w}; ${c}++) {`);
  ctx.open(`if (${g} + ${c} < ${n}) {`);
  for (const s of stores) scalarStore(s, [`${e} + ${c}`], '');
  ctx.close();
  ctx.close();
  ctx.close();
  ctx.close();
}
