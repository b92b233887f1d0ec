/**
 * Atomic adds into outputs (`atomic_add(out[...], v)`). An output that takes one is
 * declared `array<atomic<i32>>` / `array<atomic<u32>>`; WGSL has no float atomics, so an
 * f32 output is `array<atomic<u32>>` holding the float's bits, added to with a
 * compare-exchange loop (retry until no other invocation wrote in between). Plain
 * stores and loads of such an output go through atomicStore / atomicLoad.
 */
import type { DType, TensorRef } from '../ir/nodes.ts';
import { ident, type EmitContext } from './context.ts';
import { bufferName } from './values.ts';

/** The element type an atomic output is declared with. */
export function atomicElementType(d: DType): string {
  return d === 'i32' ? 'atomic<i32>' : 'atomic<u32>';
}

/** A statement (without `;`) adding `value` to element `index` of output `t`. */
export function atomicAdd(ctx: EmitContext, t: TensorRef, index: string, value: string): string {
  const name = bufferName(t);
  if (t.dtype === 'i32' || t.dtype === 'u32') return `atomicAdd(&${name}[${index}], ${value})`;
  if (t.dtype !== 'f32') return ctx.unsupported(`atomic_add into a ${t.dtype} output`, 'atomics work on f32, i32 and u32 outputs');
  // Pointers to storage cannot be function parameters in core WGSL: one helper per output.
  const helper = `tessera_atomic_add_${name}`;
  ctx.helpers.set(helper, `fn ${helper}(i: i32, v: f32) {
  var old = atomicLoad(&${name}[i]);
  loop {
    let r = atomicCompareExchangeWeak(&${name}[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}`);
  return `${helper}(${index}, ${value})`;
}
