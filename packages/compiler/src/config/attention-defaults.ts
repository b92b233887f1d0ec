/**
 * The software-adapter config for kernels with two or more `@` (attention: scores
 * `q @ transpose(k)`, an online softmax over them, then `p @ v`), applied where nothing is
 * tuned (adapter-defaults.ts). On a CPU adapter an invocation is a SIMD lane and every
 * load whose address differs per lane is a gather, so what counts is fma per loaded
 * element, as for a matmul (config.ts DOT_DEFAULTS), with one thing more: the score tile
 * is reduced along its rows twice per key block (max, then sum) and written to workgroup
 * memory for the second product, so fewer, larger per-invocation blocks pay twice.
 *
 * The config: 32 query rows × 64 keys per score tile, a 16×8 register micro-tile (16
 * invocations), q's rows handed round the subgroup (broadcastA), the head dim staged in
 * one step of 64 with k unrolled by 4. Measured against a matmul tuned for the same adapter
 * (1024³, 64×128 tiles, 16×16, broadcastA) in one process, interleaved round by round:
 * see ATTENTION_DEFAULTS.
 */
import type { KernelIR } from '../ir/nodes.ts';
import { workgroupTileBytes } from '../wgsl/layout.ts';
import { resolveConfig, type ConfigInput } from './config.ts';
import { dotSites, layoutDot } from './dots.ts';

/**
 * The values, measured on lavapipe at BH=8, S=T=1024, D=64 on a 2-core machine heavily
 * loaded by other work (load average 8-15), so each round's attention time is taken
 * against a matmul timed just before it and the medians of those ratios compared (the
 * spread between rounds was wide, ±15 points):
 * - this config ~59% of the matmul's GFLOP/s; the kernel default (64×64, 8×8, no
 *   broadcast) ~21%; without broadcastA ~17% (q's rows are then a gather per lane);
 * - unroll 1 ~53%, a smaller shader (66 kB against 79 kB of WGSL); 32×128 with 16×16
 *   and 16×64 tiles were no better within the noise.
 */
export const ATTENTION_DEFAULTS = { rows: 32, cols: 64, microTile: [16, 8] as const, unroll: 4, kChunk: 64, broadcastA: true };

/** Workgroup memory WebGPU guarantees (validate.ts DEFAULT_LIMITS): the default fits it everywhere. */
const GUARANTEED_WORKGROUP_BYTES = 16384;

/**
 * The config for a software adapter, for a kernel with two or more `@` whose first
 * product has the micro-tile layout (dots.ts layoutDot); undefined otherwise, or when
 * its tiles would not fit the workgroup memory WebGPU guarantees (the kernel defaults
 * then shrink the blocks themselves). Fixed blocks are kept and the micro-tile shrinks to
 * fit them.
 */
export function attentionDefaults(k: KernelIR): ConfigInput | undefined {
  const dot = layoutDot(k);
  if (!dot || dotSites(k).length < 2) return undefined;
  const d = ATTENTION_DEFAULTS;
  const bm = dot.rows.fixedBlock ?? d.rows;
  const bn = dot.cols.fixedBlock ?? d.cols;
  const blocks: Record<string, number> = {};
  if (dot.rows.fixedBlock === undefined) blocks[dot.rows.name] = bm;
  if (dot.cols.fixedBlock === undefined) blocks[dot.cols.name] = bn;
  const input: ConfigInput = {
    blocks,
    microTile: [Math.min(d.microTile[0], bm), Math.min(d.microTile[1], bn)],
    unroll: d.unroll,
    kChunk: d.kChunk,
    broadcastA: d.broadcastA,
  };
  return workgroupTileBytes(k, resolveConfig(k, input)) <= GUARANTEED_WORKGROUP_BYTES ? input : undefined;
}
