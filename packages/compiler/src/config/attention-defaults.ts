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
import type { Dim, KernelIR } from '../ir/nodes.ts';
import { workgroupTileBytes } from '../wgsl/layout.ts';
import { resolveConfig, type ConfigInput } from './config.ts';
import { dotSites, layoutDot } from './dots.ts';
import { ceilPow2, dimSize } from './dot-defaults.ts';

/**
 * The values, measured on lavapipe at BH=8, S=T=1024, D=64 on a 2-core machine heavily
 * loaded by other work (load average 8-15), so each round's attention time is taken
 * against a matmul timed just before it and the medians of those ratios compared (the
 * spread between rounds was wide, ±15 points):
 * - this config ~59% of the matmul's GFLOP/s; the kernel default (64×64, 8×8, no
 *   broadcast) ~21%; without broadcastA ~17% (q's rows are then a gather per lane);
 * - unroll 1 ~53%, a smaller shader (66 kB against 79 kB of WGSL); 32×128 with 16×16
 *   and 16×64 tiles were no better within the noise.
 * - `reduction: 'subgroup'`: the row max and sum of the score tile combine the 8
 *   invocations of a row with a subgroupShuffleXor butterfly (wgsl/reduce-micro.ts)
 *   instead of a workgroup array and a barrier each. Warm the same within noise (causal,
 *   BH=4, S=1024: 47 against 49 ms; BH=8: 160 against 157 ms, 7 interleaved rounds, an
 *   idle machine); the cold compile ~10% shorter (causal 2.45 against 2.80 s, attention
 *   2.31 against 2.59 s, 3 alternating rounds), fewer barriers being fewer suspend points
 *   in lavapipe's coroutine per workgroup. Where the subgroups are narrower than a row's
 *   invocations, reduce-micro.ts takes the workgroup array anyway.
 */
export const ATTENTION_DEFAULTS = { rows: 32, cols: 64, microTile: [16, 8] as const, unroll: 4, kChunk: 64, broadcastA: true, reduction: 'subgroup' as const };

/**
 * The config for small calls (SMALL_ATTENTION_WORK): 16 query rows of 8×8 micro-tiles,
 * the same 16 invocations. Its shader is about half the size, and lavapipe compiles it in
 * about half the time; on a small call that compile is nearly all of the first call's
 * cost. Measured on lavapipe (Mesa's shader cache off, an idle 2-core machine, cold first
 * calls at the examples' check sizes, and warm calls interleaved in one process at
 * BH=8, S=T=1024 and, causal, BH=4, S=1024):
 * - causal attention, S=77: first call ~1.2 s against ~2.4 s (55 against 102 kB of WGSL);
 *   warm at S=1024 ~63 against ~46 ms (1.38×);
 * - attention, S=37, T=45: ~1.2 s against ~2.0–2.4 s; warm at S=1024 ~171 against ~148 ms
 *   (1.15×);
 * - 32 rows of 8×8 with k unrolled once compiled a little faster (~1.0 s) but ran slower
 *   still (222 and 74 ms); the large default with k unrolled once (−28% compile) ran
 *   ~20% slower (k unrolled by less than the vector width loses the vec4 loads along k);
 * - subgroup row reductions, as in ATTENTION_DEFAULTS: 1.21 against 1.45 s to compile.
 */
export const SMALL_ATTENTION_DEFAULTS = { rows: 16, cols: 64, microTile: [8, 8] as const, unroll: 4, kChunk: 64, broadcastA: true, reduction: 'subgroup' as const };

/**
 * Below this many multiply-adds in the scores product (BH·S·T·D for attention, sizes
 * rounded up to powers of two, so every shape of one tuning-cache bucket gets the same
 * config), a call gets SMALL_ATTENTION_DEFAULTS. At 2^25 (a sixteenth of BH=8,
 * S=T=1024, D=64) a call takes ~10 ms on lavapipe here: the small config's ≤ 1.4× costs
 * at most ~4 ms a call, so its ~1.2 s of compile saved is worth it for the first few
 * hundred calls; above it the large config's speed wins sooner.
 */
export const SMALL_ATTENTION_WORK = 2 ** 25;

/**
 * Multiply-adds of the first product over the whole call: the grid loops' sizes, the
 * product's column dim and its contraction length, each rounded up to a power of two;
 * Infinity where a size is not known (no dims: the large config).
 */
function scoresWork(k: KernelIR, dot: NonNullable<ReturnType<typeof layoutDot>>, dims: Readonly<Record<string, number>> | undefined): number {
  const size = (dim: Dim): number => ceilPow2(dimSize(dim, dims));
  const contraction = dot.k === undefined ? Infinity : dot.k.kind === 'block' ? size(dot.k.loop.dim) : dot.k.kind === 'full' ? size(dot.k.dim) : 1;
  return k.grid.reduce((w, l) => w * size(l.dim), size(dot.cols.dim) * contraction);
}

/** Workgroup memory WebGPU guarantees (validate.ts DEFAULT_LIMITS): the default fits it everywhere. */
const GUARANTEED_WORKGROUP_BYTES = 16384;

/**
 * The config for a software adapter, for a kernel with two or more `@` whose first
 * product has the micro-tile layout (dots.ts layoutDot); undefined otherwise, or when
 * its tiles would not fit the workgroup memory WebGPU guarantees (the kernel defaults
 * then shrink the blocks themselves). Fixed blocks are kept and the micro-tile shrinks to
 * fit them.
 */
export function attentionDefaults(k: KernelIR, dims?: Readonly<Record<string, number>>): ConfigInput | undefined {
  const dot = layoutDot(k);
  if (!dot || dotSites(k).length < 2) return undefined;
  const d = scoresWork(k, dot, dims) < SMALL_ATTENTION_WORK ? SMALL_ATTENTION_DEFAULTS : ATTENTION_DEFAULTS;
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
    reduction: d.reduction,
  };
  return workgroupTileBytes(k, resolveConfig(k, input)) <= GUARANTEED_WORKGROUP_BYTES ? input : undefined;
}
