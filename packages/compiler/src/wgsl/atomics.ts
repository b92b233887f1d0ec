/**
 * Atomic adds into outputs (`atomic_add(out[...], v)`). An output that takes one is
 * declared `array<atomic<i32>>` / `array<atomic<u32>>`; WGSL has no float atomics, so an
 * f32 output is `array<atomic<u32>>` holding the float's bits, added to with a
 * compare-exchange loop (retry until no other invocation wrote in between). Plain
 * stores and loads of such an output go through atomicStore / atomicLoad.
 */
import type { TensorRef } from '../ir/nodes.ts';
import type { EmitContext } from './context.ts';
import { atomicUpdate, onElement, rangesOf } from './ranged-access.ts';
import { bufferName } from './values.ts';

/** A statement (without `;`) adding `value` to element `index` of output `t`. */
export function atomicAdd(ctx: EmitContext, t: TensorRef, index: string, value: string): string {
  const name = bufferName(t);
  if (t.dtype === 'i32' || t.dtype === 'u32') return atomicUpdate(ctx, t, 'atomicAdd', index, value);
  if (t.dtype !== 'f32') return ctx.unsupported(`atomic_add into a ${t.dtype} output`, 'atomics work on f32, i32 and u32 outputs');
  // Pointers to storage cannot be function parameters in core WGSL: one helper per output.
  const helper = `tessera_atomic_add_${name}`;
  const casLoop = (e: string): string => `var old = atomicLoad(&${e});
  loop {
    let r = atomicCompareExchangeWeak(&${e}, old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`;
  ctx.helpers.set(helper, `fn ${helper}(i: i32, v: f32) {\n${onElement(ctx, t, casLoop)}\n}`);
  return `${helper}(${rangesOf(ctx, t) > 1 ? `i32(${index})` : index}, ${value})`;
}
