/**
 * The wasm backend's defaults for the shared config knobs, applied where a call leaves a
 * knob out (resolveWasmConfig). Kernels with `@`: 64×64 tiles, k in steps of 64, 4×8
 * register micro-tiles (8 accumulators + 2 b vectors + 1 broadcast: no spills with x86's
 * 16 vector registers), k unrolled 4 times — the best of bench/matmul-wasm.ts's sweep at
 * 1024³ in Node 20 (SIMD128 without relaxed SIMD). Everything else keeps the
 * backend-independent defaults (config.ts).
 */
import { resolveConfig, type ConfigInput, type KernelConfig } from '../config/config.ts';
import { layoutDot } from '../config/dots.ts';
import type { KernelIR } from '../ir/nodes.ts';

export const WASM_DOT_DEFAULTS = { rows: 64, cols: 128, k: 128, microTile: [4, 8] as const, unroll: 1 };

export function resolveWasmConfig(ir: KernelIR, input: ConfigInput | undefined): KernelConfig {
  const dot = layoutDot(ir);
  if (!dot) return resolveConfig(ir, input);
  const d = WASM_DOT_DEFAULTS;
  const blocks: Record<string, number> = {};
  if (dot.rows.fixedBlock === undefined) blocks[dot.rows.name] = d.rows;
  if (dot.cols.fixedBlock === undefined) blocks[dot.cols.name] = d.cols;
  if (dot.k?.kind === 'block' && dot.k.loop.fixedBlock === undefined) blocks[dot.k.loop.name] = d.k;
  return resolveConfig(ir, {
    microTile: d.microTile, unroll: d.unroll,
    ...(input ?? {}),
    blocks: { ...blocks, ...(input?.blocks ?? {}) },
  });
}
