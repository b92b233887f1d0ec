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
import { offsetName, type EmitContext } from './context.ts';
import { dimExpr } from './shape.ts';
import { bufferName, emitValue } from './values.ts';

/** Emits `s` in vectors, or returns false when it does not qualify (the caller emits it per element). */
export function emitVectorStore(ctx: EmitContext, s: Store, scalarStore: (coords: string[], mask: string) => void): boolean {
  const loop = vectorLoop(s, ctx.config);
  const w = ctx.config.vectorWidth;
  if (!loop || ctx.inFunc || ctx.layout.vectorTensors.get(s.tensor.name) !== w) return false;
  const tensors = [...loadedTensors(s.value, new Map()).values()];
  if (tensors.some((t) => ctx.layout.vectorTensors.get(t.name) !== w)) return false;

  const [e, g] = [ctx.fresh('e'), ctx.fresh('g')];
  const n = dimExpr(loop.dim);
  ctx.open(`for (var ${e} = lid * ${w}; ${e} < ${blockOf(ctx.config, loop)}; ${e} += ${ctx.config.workgroupSize * w}) { // ${w} elements per invocation`);
  ctx.line(`let ${g} = ${offsetName(loop)} + ${e};`);
  ctx.open(`if (${g} + ${w} <= ${n}) {`);
  const vectors = new Map(tensors.map((t) => [t.name, ctx.fresh(`v_${t.name.replace(/[^A-Za-z0-9_]/g, '_')}`)]));
  for (const t of tensors) ctx.line(`let ${vectors.get(t.name)} = ${bufferName(t)}[${g} / ${w}];`);
  const lanes: string[] = [];
  for (let c = 0; c < w; c++) {
    const saved = ctx.loadOverride;
    ctx.loadOverride = (t) => `${vectors.get(t.name)}[${c}]`;
    lanes.push(emitValue(ctx, s.value, [`${e} + ${c}`]));
    ctx.loadOverride = saved;
  }
  ctx.line(`${bufferName(s.tensor)}[${g} / ${w}] = vec${w}<f32>(${lanes.join(', ')});`);
  ctx.reopen('} else {');
  // The ragged end: element by element, each under its own mask.
  for (let c = 0; c < w; c++) scalarStore([`${e} + ${c}`], `${g} + ${c} < ${n}`);
  ctx.close();
  ctx.close();
  return true;
}
