/**
 * The `@` defaults per kind of adapter, for kernels with exactly one `@` (a matmul, a
 * batched matmul, a matmul with an epilogue). Kernels with two or more (attention) have
 * their own; where neither applies, config.ts DOT_DEFAULTS stands.
 *
 * Software adapters (lavapipe, SwiftShader): 128×128 result tiles of 16×16 register
 * micro-tiles (64 invocations), k in steps of 32, vec4 loads, nothing staged through
 * workgroup memory, and broadcastA where the subgroup size allows it. An invocation is a
 * SIMD lane of a CPU core, so what counts is fma per element loaded (each per-lane load is
 * a gather): a 16×16 micro-tile loads 32 values per 256 fma, and broadcastA turns a's 16
 * per-lane loads into one per subgroup. Staging adds stores and barriers and saves no
 * loads there (workgroup reads are per-lane loops too). Measured on lavapipe at 1024³
 * (bench/matmul-wgsl.ts, GPU timestamps, interleaved rounds, a 2-core machine shared
 * with other builds, load ~4–8): median ~220 ms against ~745 ms for DOT_DEFAULTS
 * (0.30×; best samples 151 against 347 ms, 0.44×); the same tiles without broadcastA
 * ~610 ms; k steps of 16 ~380 ms. A second run (5 rounds): ~151 against ~356 ms (0.43×);
 * k steps of 64 ~182 ms, of 16 ~176 ms; 64×128 tiles ~149 ms.
 *
 * GPUs (not measured here: this project's machines have none): 64×64 tiles of 4×4
 * micro-tiles (256 invocations, the most WebGPU guarantees), k in steps of 16, vec4
 * loads, a and b both staged through workgroup memory (8 KiB of the 16 KiB guaranteed).
 * There the invocations of a workgroup run in lock step and a staged tile is read from
 * on-chip memory by all of them, so staging turns each global element into one load per
 * workgroup instead of one per invocation that needs it; 4×4 keeps the accumulators (16)
 * and operand registers well inside a GPU thread's register budget at 256 threads, which
 * leaves several workgroups resident per core to hide memory latency. It is the shape of
 * the classic shared-memory SGEMM (and TF.js's WebGPU matmul) that the autotuner starts
 * from on a GPU.
 *
 * Where the call's sizes are known, software adapters take 8×8 micro-tiles for products
 * with a result dim of at most 64 (SOFTWARE_SMALL_DOT: they compile several times
 * faster), and a block never exceeds the power of two at or above
 * its dim (a 64×64 matmul gets 64×64 tiles, not 128×128 with three quarters masked off),
 * and the micro-tile shrinks with it: the result is the same for every shape of one
 * power-of-two bucket, as the tuning cache keys them.
 */
import { nullRecord } from 'tessera-gpu-dsl';
import type { Dim, KernelIR, LoopInfo } from '../ir/nodes.ts';
import { workgroupTileBytes } from '../wgsl/layout.ts';
import { resolveConfig, type ConfigInput } from './config.ts';
import { dotSites, layoutDot } from './dots.ts';
import type { AdapterKind } from './adapter-kind.ts';
import { configProblems, DEFAULT_LIMITS, type DeviceLimits } from './validate.ts';

/** The `@` tile shape of one adapter class (see the file comment). */
export interface DotTiles {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly microTile: readonly [number, number];
  /** a and b both through workgroup memory. */
  readonly stage: boolean;
  /** Where the adapter's subgroups allow it (validate.ts). */
  readonly broadcastA: boolean;
}

export const SOFTWARE_DOT: DotTiles = { rows: 128, cols: 128, k: 32, microTile: [16, 16], stage: false, broadcastA: true };
/**
 * Software, where the call's sizes are known and a result dim is at most 64: the 8×8
 * micro-tiles of DOT_DEFAULTS. A 16×16 micro-tile's shader is several times slower to
 * compile on a CPU adapter (lavapipe, first call of a 64³ matmul with the driver's cache
 * off, a heavily loaded 2-core machine: ~14 s against ~3 s for 8×8; ~7 s for 128×128 of
 * 16×16 with broadcastA), and on a small product that compile is the whole cost.
 */
export const SOFTWARE_SMALL_DOT: DotTiles = { rows: 64, cols: 64, k: 32, microTile: [8, 8], stage: false, broadcastA: true };

export const GPU_DOT: DotTiles = { rows: 64, cols: 64, k: 16, microTile: [4, 4], stage: true, broadcastA: false };

/**
 * Where the autotuner starts a quick search on each kind of adapter, the defaults first.
 * Software: the other 16×16 shape that measured as fast (64×128, ~149 against ~151 ms at
 * 1024³), b staged (it is read by every row of invocations), and the 8×8 middle ground
 * for shapes whose tiles would be mostly mask. GPUs: the usual neighbours of the classic
 * staged SGEMM — bigger 8×8 micro-tiles for large products, 32×32 tiles for small ones
 * (more workgroups to fill the GPU), and unrolled direct reads (DOT_DEFAULTS' tiles).
 */
const STARTS: Readonly<Record<'software' | 'gpu', readonly DotTiles[]>> = {
  software: [
    SOFTWARE_DOT,
    { ...SOFTWARE_DOT, rows: 64 },
    { ...SOFTWARE_DOT, stage: true, broadcastA: true },
    { rows: 64, cols: 64, k: 32, microTile: [8, 8], stage: false, broadcastA: true },
  ],
  gpu: [
    GPU_DOT,
    { ...GPU_DOT, rows: 128, cols: 128, microTile: [8, 8] },
    { ...GPU_DOT, rows: 32, cols: 32 },
    { rows: 64, cols: 64, k: 32, microTile: [8, 8], stage: false, broadcastA: false },
  ],
};

/** Smallest blocks the shrinking goes to (the config space's lower ends). */
const MIN_BLOCK = 8;
const MIN_K_BLOCK = 4;

/** The config for the one `@` of `k` on this kind of adapter; undefined for kernels with none or several. */
export function dotAdapterDefaults(k: KernelIR, adapter: AdapterKind): ConfigInput | undefined {
  return dotStartConfigs(k, adapter)?.[0];
}

/**
 * The autotuner's starting configs for the one `@` of `k` on this kind of adapter
 * (STARTS, each fitted to the call's sizes and the adapter, duplicates left out), the
 * defaults first; undefined for kernels with none or several `@`, or where none fits.
 */
export function dotStartConfigs(k: KernelIR, adapter: AdapterKind): ConfigInput[] | undefined {
  const dot = layoutDot(k);
  if (!dot || dotSites(k).length !== 1) return undefined;
  const out: ConfigInput[] = [];
  const seen = new Set<string>();
  const small = Math.min(dimSize(dot.rows.dim, adapter.dims), dimSize(dot.cols.dim, adapter.dims)) <= SOFTWARE_SMALL_DOT.rows;
  const starts = adapter.software && small ? [SOFTWARE_SMALL_DOT, ...STARTS.software] : STARTS[adapter.software ? 'software' : 'gpu'];
  for (const tiles of starts) {
    const input = fittedTiles(k, dot, tiles, adapter);
    const key = input === undefined ? undefined : JSON.stringify(resolveConfig(k, input));
    if (input === undefined || key === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push(input);
  }
  return out.length === 0 ? undefined : out;
}

/** `tiles` as a config of `k`, fitted to the call's sizes and valid on the adapter; undefined where the kernel cannot take it. */
function fittedTiles(k: KernelIR, dot: NonNullable<ReturnType<typeof layoutDot>>, tiles: DotTiles, adapter: AdapterKind): ConfigInput | undefined {
  const limits: DeviceLimits = {
    ...DEFAULT_LIMITS,
    ...(adapter.subgroups === undefined ? {} : { subgroupMinSize: adapter.subgroups.minSize, subgroupMaxSize: adapter.subgroups.maxSize }),
  };
  const features = adapter.subgroups === undefined ? [] : ['subgroups'];
  const sized = (loop: LoopInfo, want: number, least: number): number =>
    loop.fixedBlock ?? Math.max(least, Math.min(want, ceilPow2(dimSize(loop.dim, adapter.dims))));
  const bm = sized(dot.rows, tiles.rows, MIN_BLOCK);
  const bn = sized(dot.cols, tiles.cols, MIN_BLOCK);
  const blocks = nullRecord<number>();
  if (dot.rows.fixedBlock === undefined) blocks[dot.rows.name] = bm;
  if (dot.cols.fixedBlock === undefined) blocks[dot.cols.name] = bn;
  const kLoop = dot.k?.kind === 'block' ? dot.k.loop : undefined;
  if (kLoop !== undefined && kLoop.fixedBlock === undefined) blocks[kLoop.name] = sized(kLoop, tiles.k, MIN_K_BLOCK);
  const microTile: [number, number] = [fitting(tiles.microTile[0], bm), fitting(tiles.microTile[1], bn)];
  const base: ConfigInput = {
    blocks, microTile, stageA: tiles.stage, stageB: tiles.stage,
    ...(kLoop === undefined ? { kChunk: tiles.k } : {}),
  };
  // broadcastA reads a directly: with a staged it gives way to b alone staged.
  const broadcast: ConfigInput = { ...base, stageA: false, broadcastA: true };
  // broadcastA only where this adapter's subgroups fit the tile (validate.ts says when);
  // a tile the kernel keeps in workgroup memory too big for WebGPU's guaranteed 16 KiB
  // leaves this start out (the kernel's own defaults shrink to fit).
  const candidates: ConfigInput[] = tiles.broadcastA && adapter.subgroups !== undefined ? [broadcast, base] : [base];
  for (const input of candidates) {
    const config = resolveConfig(k, input);
    if (configProblems(k, config, limits, features).length === 0 && workgroupTileBytes(k, config) <= limits.maxComputeWorkgroupStorageSize) return input;
  }
  return undefined;
}
/** The dim's size when the call's sizes are known, else Infinity (no shrinking). */
export function dimSize(dim: Dim, dims: Readonly<Record<string, number>> | undefined): number {
  if (dim.kind === 'const') return dim.value;
  const n = dims === undefined ? undefined : Object.hasOwn(dims, dim.name) ? dims[dim.name] : undefined;
  return n === undefined || !(n > 0) ? Infinity : n;
}

/** The least power of two at or above n (Infinity stays Infinity). */
export function ceilPow2(n: number): number {
  if (!Number.isFinite(n)) return Infinity;
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** The largest power of two at most `want` that divides `block`. */
function fitting(want: number, block: number): number {
  let t = want;
  while (t > 1 && block % t !== 0) t /= 2;
  return t;
}
