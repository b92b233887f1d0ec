/** SIMD register micro-tiles for `@` (filled in by the vector lowering). */
import type { WasmContext } from './context.ts';
import type { Product } from './dot.ts';

export function emitSimdProduct(_ctx: WasmContext, _p: Product): number[] | undefined {
  return undefined;
}
