/**
 * The block size of a tile loop under a config. On its own (re-exported by config.ts)
 * so that the layout analysis, which config.ts uses to size default blocks, can import
 * it without an import cycle.
 */
import type { LoopInfo } from '../ir/nodes.ts';
import type { KernelConfig } from './config.ts';

export function blockOf(config: KernelConfig, loop: LoopInfo): number {
  return loop.fixedBlock ?? config.blocks[loop.name] ?? 1;
}
