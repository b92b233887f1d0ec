/**
 * What the wasm lowering hands the runtime: one WebAssembly module for one kernel and one
 * config, plus how to call it. The contract between compiler/src/wasm and runtime/src/wasm.
 *
 * The module imports `env.memory` (the device's memory) and the math functions of
 * imports.ts, and exports
 *   run(args, begin, end, scratch) -> tiles  runs tiles of [begin, end) of the launch grid,
 *                                   returning how many it ran itself
 *   scratch(args, 0, 0, 0) -> bytes the scratch memory one thread needs for a run (an f64:
 *                                    a product of large blocks and dims does not wrap)
 * `args` is the address of the argument block: one 4-byte slot per input tensor address,
 * output tensor address, dim and scalar parameter, in that order (artifact.slots), then
 * three i32 words, zero before a call: the tile counter, the done count and a failure
 * flag. Each run claims tile begin + n by adding 1 to the counter atomically (n is the
 * value it had) and stops at end, so every thread of a call passes the same [begin, end)
 * and the tiles go to whichever is free. A run that stops adds the tiles it ran to the
 * done count (atomically, after their stores), and the one whose add brings it to
 * end - begin notifies the word's waiters (memory.atomic.notify): the caller waits for
 * the tiles, not for each thread. The runtime sets the failure flag (and notifies the
 * done word) when a thread's run traps, since that thread's tiles are never counted.
 */
import type { DType } from '../ir/nodes.ts';
import type { KernelConfig } from '../config/config.ts';
import type { WasmFeatures } from './features.ts';

export interface WasmSlots {
  readonly inputs: number;
  readonly outputs: number;
  /** Symbolic dims by name, in slot order. */
  readonly dims: readonly string[];
  /** Scalar parameters in slot order; f32/f16 as f32 bits, the rest as i32. */
  readonly scalars: readonly { readonly name: string; readonly dtype: DType }[];
}

export interface WasmArtifact {
  readonly kernelName: string;
  readonly bytes: Uint8Array;
  readonly config: KernelConfig;
  readonly slots: WasmSlots;
  /** The launch grid: tiles = product over loops of ceil(dim / block). */
  readonly grid: readonly { readonly dim: string | number; readonly block: number }[];
  /** Threads the config asks for (the runtime caps it by its pool). */
  readonly threads: number;
  /** What the lowering used, as data (relaxedSimd: the module holds relaxed SIMD instructions). */
  readonly uses: { readonly simd: boolean; readonly relaxedSimd: boolean };
  readonly features: WasmFeatures;
  /** Milliseconds spent lowering and encoding. */
  readonly lowerMs: number;
}
