/**
 * The wasm backend's entry: tile IR + config → a WebAssembly module (artifact.ts).
 * Same configs as the other backends (blocks, micro-tile, vector width, unroll), plus
 * `threads`; any positive integer block works, since tiles live in scratch memory and
 * there are no workgroup limits.
 */
import { InternalCompilerError, TesseraError } from 'tessera-gpu-dsl/errors';
import { blockOf, type KernelConfig } from '../config/config.ts';
import { blockNameProblems, ConfigError } from '../config/validate.ts';
import type { KernelIR } from '../ir/nodes.ts';
import type { WasmArtifact } from './artifact.ts';
import type { WasmFeatures } from './features.ts';
import { emitWasmModule } from './module.ts';

export interface WasmLowerOptions {
  readonly features: WasmFeatures;
  /** The memory is shared (threads); false for engines without SharedArrayBuffer. */
  readonly shared: boolean;
}

/** Problems with a config on the wasm backend (empty when it is valid). */
export function wasmConfigProblems(ir: KernelIR, config: KernelConfig): string[] {
  const problems = blockNameProblems(ir, config);
  for (const loop of ir.loops) {
    const b = blockOf(config, loop);
    if (!Number.isSafeInteger(b) || b < 1 || b > 65536) problems.push(`block ${loop.name}=${b} is not an integer in 1…65536`);
  }
  const t = config.threads;
  if (t !== undefined && (!Number.isSafeInteger(t) || t < 1 || t > 256)) problems.push(`threads=${t} is not an integer in 1…256`);
  return problems;
}

export function lowerWasm(ir: KernelIR, config: KernelConfig, opts: WasmLowerOptions): WasmArtifact {
  const problems = wasmConfigProblems(ir, config);
  if (problems.length > 0) throw new ConfigError(ir.name, problems);
  const t0 = performance.now();
  let mod;
  try {
    mod = emitWasmModule(ir, config, opts.features, { shared: opts.shared });
  } catch (e) {
    if (e instanceof TesseraError) throw e;
    throw new InternalCompilerError(`generating WebAssembly for kernel '${ir.name}'`, e);
  }
  return {
    kernelName: ir.name,
    bytes: mod.bytes,
    config,
    slots: mod.slots,
    grid: ir.grid.map((l) => ({ dim: l.dim.kind === 'sym' ? l.dim.name : l.dim.value, block: blockOf(config, l) })),
    threads: config.threads ?? 0,
    uses: { simd: mod.simd, relaxedSimd: mod.relaxedSimd },
    features: opts.features,
    lowerMs: performance.now() - t0,
  };
}
