/**
 * The block size of a tile loop under a config. On its own (re-exported by config.ts)
 * so that the layout analysis, which config.ts uses to size default blocks, can import
 * it without an import cycle.
 */
import type { Axis, LoopInfo } from '../ir/nodes.ts';
import type { KernelConfig } from './config.ts';
import { ownValue } from 'tessera-gpu-dsl';

export function blockOf(config: KernelConfig, loop: LoopInfo): number {
  return loop.fixedBlock ?? ownValue(config.blocks, loop.name) ?? 1;
}

/** An axis's length inside a tile under a config: a block, 1 for a unit, a constant ':' dim; undefined for a runtime dim. */
export function axisLength(config: KernelConfig, a: Axis): number | undefined {
  if (a.kind === 'block') return blockOf(config, a.loop);
  if (a.kind === 'unit') return 1;
  return a.dim.kind === 'const' ? a.dim.value : undefined;
}
