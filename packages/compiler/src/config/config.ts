/**
 * A config: the knobs of one lowering of a kernel. The same kernel compiled with two
 * configs computes the same result (up to float rounding order) at different speeds.
 */
import type { KernelIR, LoopInfo, Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';
import { layoutDot } from './dots.ts';
import { blockOf } from './block.ts';
import { hasFlatVectorStores, tiledVectorStoreLoops } from './vector-stores.ts';
import { parseConfigInput } from './schema.ts';
import { nullRecord, ownValue } from 'tessera-gpu-dsl';
import { workgroupTileBytes } from '../wgsl/layout.ts';

export { blockOf };

export type VectorWidth = 1 | 2 | 4;

export interface KernelConfig {
  /** Block size per tile loop, keyed by the loop variable's name (`tm`, `tn`, `tk`). */
  readonly blocks: Readonly<Record<string, number>>;
  /** Invocations per workgroup. */
  readonly workgroupSize: number;
  /**
   * `@` only: the [TM, TN] register micro-tile each invocation owns of the [BM, BN]
   * result tile; the (BM/TM)×(BN/TN) invocation grid must equal the workgroup size.
   */
  readonly microTile: readonly [number, number];
  /**
   * `@` only: elements per global load of an operand along its contiguous dim (and the
   * width of the column groups an invocation owns). A vector path is taken at run time
   * only when that dim's size is a multiple of the width; otherwise a scalar path runs.
   */
  readonly vectorWidth: VectorWidth;
  /** `@` only: k steps per iteration of the inner (register) loop. */
  readonly unroll: number;
  /**
   * Grid order over the last two grid loops: 1 walks tiles row-major; g > 1 walks
   * groups of g tile rows column by column (Triton's GROUP_M), so neighbouring
   * workgroups share operand tiles in cache.
   */
  readonly groupM: number;
  /** `@` over a whole (':') contraction dim: elements of it staged per step. */
  readonly kChunk: number;
  /**
   * `@` only: stage operand a / b through workgroup memory (shared by the workgroup), or
   * read it from global memory in the inner loop. Reading directly pays when every
   * invocation reads the same elements (a with BM = TM, b with BN = TN): the loads are
   * uniform, and on CPU adapters a uniform load is one scalar load instead of a gather.
   */
  readonly stageA: boolean;
  readonly stageB: boolean;
  /**
   * `@` only, with a read directly (not staged): the invocations of a subgroup share
   * their rows of a (they differ only in columns), so each loads one of those rows and
   * subgroupBroadcast hands the values to the others — one load where there were TM. On
   * a CPU adapter every per-invocation load is a gather; this halves matmul time on
   * lavapipe. Needs 'subgroups' and BN/TN a multiple of the largest subgroup size, so a
   * subgroup never spans two row groups (with TM above the smallest subgroup size, each
   * invocation loads several rows).
   */
  readonly broadcastA: boolean;
  /**
   * Kernels that reduce or walk rows: how a row is shared out. 'tree' and 'subgroup' give
   * each row several invocations and combine their partials with a tree in workgroup
   * memory (runs everywhere) or with subgroup operations and one barrier (needs the
   * adapter feature 'subgroups'); 'serial' gives each invocation whole rows, walked on
   * its own in vec4 steps, the rows spread across invocations: no partials to combine and
   * no barriers per row. On a CPU adapter an invocation is a SIMD lane, so 'serial' is a
   * loop over the row vectorised across rows, what a hand-written kernel does there; on
   * a GPU it reads strided memory. See wgsl/reduce.ts.
   */
  readonly reduction: Reduction;
  /**
   * Kernels reading whole rows (`x[tm, :]`): 0 streams each row from global memory at
   * every use; CAP > 0 copies rows of at most CAP elements into workgroup memory once
   * (one pass over global memory), falling back to streaming for longer rows at run time.
   */
  readonly rowCache: number;
  /**
   * wasm backend only: threads the launch grid's tiles are shared over (left out: every
   * thread of the device's pool). Other backends ignore it.
   */
  readonly threads?: number;
}

export type Reduction = 'tree' | 'subgroup' | 'serial';

/** Every reduction strategy, in the order the config space lists them. */
export const REDUCTIONS: readonly Reduction[] = ['tree', 'subgroup', 'serial'];

/** A partial config as users write it: anything left out takes its default. */
export type ConfigInput = { readonly [K in keyof KernelConfig]?: KernelConfig[K] };

/** Whether the kernel works on whole rows (`x[tm, :]`): its row tiles are shared out as its reductions' are. */
export function walksRows(k: KernelIR): boolean {
  return usesFullAxes(k.body);
}

function usesFullAxes(stmts: readonly Stmt[]): boolean {
  const inValue = (v: Value): boolean => v.type.axes.some((a) => a.kind === 'full') || operands(v).some(inValue);
  return stmts.some((s) =>
    stmtValues(s).some(inValue) ||
    (s.kind === 'store' && s.index.some((i) => i.kind === 'full')) ||
    ((s.kind === 'tileLoop' || s.kind === 'rangeLoop') && usesFullAxes(s.body)) ||
    (s.kind === 'if' && (usesFullAxes(s.then) || usesFullAxes(s.otherwise))));
}

/**
 * Defaults for a kernel with `@` where nothing is known of the adapter: 64×64 tiles, 8×8
 * register micro-tiles (64 invocations), k in steps of 32, operands read from global
 * memory in vec4s, no unrolling, grouped grid. Valid under WebGPU's default limits
 * everywhere. They are the base every explicit config fills its left-out knobs from,
 * what `compileWgsl(ir, {})` and the other backends' lowerings get, and the centre of the
 * autotuner's config space. A call on a WebGPU adapter with one `@` gets its adapter
 * class's tiles instead (dot-defaults.ts: 128×128 of 16×16 with broadcastA on software
 * adapters, staged 64×64 of 4×4 on GPUs), unless a config is given or tuned.
 *
 * Why these, between the two: an 8×8 micro-tile is a middle a CPU adapter still runs
 * well (on lavapipe at 1024³ 8×8 beat 4×4 by ~2.5×, vec4 loads beat vec2 by ~1.2×,
 * staging was ~1.5× slower and unroll 4 ~1.5× slower than 1) and a GPU still holds in
 * registers at 64 invocations.
 */
export const DOT_DEFAULTS = {
  rows: 64, cols: 64, k: 32, microTile: [8, 8] as const, workgroupSize: 64,
  vectorWidth: 4 as const, unroll: 1, groupM: 8, kChunk: 32, stageA: false, stageB: false,
};

/**
 * Kernels that work on whole rows (`x[tm, :]`): 8 rows per workgroup of 64, so each row
 * is walked by 8 lanes (wgsl/shape.ts rowLanes). On lavapipe at 4096×1024 this is ~4×
 * faster than one row per 256-invocation workgroup (layernorm 47 vs 218 ms), and within
 * 10% of the best config found for softmax and layernorm at that shape.
 */
export const ROW_DEFAULTS = { rows: 8, workgroupSize: 64 };

/**
 * Defaults: kernels with a `@` get DOT_DEFAULTS; kernels that work on whole rows get
 * ROW_DEFAULTS (the last grid loop takes the rows, others one block each); purely
 * blocked kernels get 256 elements per tile (16×16 in 2-D; 1024 in 1-D when the stores
 * are written in vectors, 4 per invocation); nested loops get 32 in kernels with `@` and
 * up to NESTED_BLOCK otherwise (widenNestedLoops).
 */
export function defaultConfig(k: KernelIR): KernelConfig {
  const blocks = nullRecord<number>();
  // A declared block size (`zeros([tm, bd])` filled over D) holds rows across its loops,
  // as a whole-row kernel does: it takes the row defaults (8 rows, not 256).
  const rowWise = usesFullAxes(k.body) || k.loops.some((l) => l.blockSize === true);
  const vectorized = hasFlatVectorStores(k);
  // Grid loops (one program per index) have no block: only the tiled grid loops share the tile.
  const tiled = k.grid.filter((l) => l.iter === 'tile');
  const lastGrid = tiled[tiled.length - 1];
  const vectorTile = tiledVectorStoreLoops(k);
  const dot = layoutDot(k);
  const perGridLoop = (loop: KernelIR['loops'][number]): number => {
    if (rowWise) return loop.id === lastGrid?.id ? ROW_DEFAULTS.rows : 1;
    // Beside the @'s rows and columns a grid loop is a batch (a batched @ loops over its
    // block, every tile of it times the block): one matrix per workgroup, as grid(B) gives.
    if (dot && loop.id !== dot.rows.id && loop.id !== dot.cols.id) return 1;
    // 1-D stores written in vectors (vector-stores.ts) give each invocation 4 elements.
    if (tiled.length === 1) return vectorized ? 256 * DOT_DEFAULTS.vectorWidth : 256;
    if (vectorTile) return vectorTileBlock(vectorTile, loop);
    return tiled.length === 2 ? 16 : 8;
  };
  for (const loop of k.loops) {
    blocks[loop.name] = loop.fixedBlock ?? (loop.level === 'grid' ? perGridLoop(loop) : 32);
  }
  const d = DOT_DEFAULTS;
  let workgroupSize = rowWise ? ROW_DEFAULTS.workgroupSize : 256;
  let microTile: readonly [number, number] = [1, 1];
  if (dot) {
    blocks[dot.rows.name] = dot.rows.fixedBlock ?? d.rows;
    blocks[dot.cols.name] = dot.cols.fixedBlock ?? d.cols;
    if (dot.k?.kind === 'block') blocks[dot.k.loop.name] = dot.k.loop.fixedBlock ?? d.k;
    microTile = d.microTile;
    workgroupSize = d.workgroupSize;
    // A fixed block may make the default micro-tile impossible: shrink it to fit.
    const bm = ownValue(blocks, dot.rows.name) ?? d.rows;
    const bn = ownValue(blocks, dot.cols.name) ?? d.cols;
    const tm = Math.min(microTile[0], bm);
    const tn = Math.min(microTile[1], bn);
    microTile = [tm, tn];
    workgroupSize = Math.max(1, (bm / tm) * (bn / tn));
  }
  const config = (): KernelConfig => ({
    blocks: Object.assign(nullRecord<number>(), blocks), workgroupSize, microTile,
    vectorWidth: d.vectorWidth, unroll: d.unroll, groupM: dot ? d.groupM : 1, kChunk: d.kChunk,
    stageA: d.stageA, stageB: d.stageB, broadcastA: false, reduction: 'tree', rowCache: 0,
  });
  // A kernel that keeps tiles of the @'s block shape in workgroup memory (a product a
  // reduction reads, as in attention) can need more than WebGPU guarantees at 64×64:
  // halve the larger block the source leaves free until its tiles fit.
  while (dot && workgroupTileBytes(k, config()) > GUARANTEED_WORKGROUP_BYTES) {
    const [rows, cols] = [dot.rows, dot.cols].map((l) => (l.fixedBlock === undefined ? ownValue(blocks, l.name) ?? 1 : 0));
    const loop = (rows ?? 0) >= (cols ?? 0) ? dot.rows : dot.cols;
    const b = ownValue(blocks, loop.name) ?? 1;
    if (loop.fixedBlock !== undefined || b <= 8) break;
    blocks[loop.name] = b / 2;
    const bm = ownValue(blocks, dot.rows.name) ?? 1;
    const bn = ownValue(blocks, dot.cols.name) ?? 1;
    microTile = [Math.min(microTile[0], bm), Math.min(microTile[1], bn)];
    workgroupSize = Math.max(1, (bm / microTile[0]) * (bn / microTile[1]));
  }
  if (!dot) widenNestedLoops(k, blocks, config);
  return config();
}

/**
 * Tiles written in vectors over more than one dim (`out[tm, tn]`, vector-stores.ts): 4 rows
 * of 256 (1024 elements, 4 per invocation of 256), so a vector piece is 4 wide along the
 * contiguous dim and rows of a few hundred elements waste little at their ragged end. On
 * lavapipe a GEGLU over 1024×11008 took ~0.4 s at 4×256 against ~0.8 s at the 16×16
 * per-element default (a loaded 2-core machine, one process).
 */
function vectorTileBlock(loops: readonly LoopInfo[], loop: LoopInfo): number {
  const at = loops.findIndex((l) => l.id === loop.id);
  if (at === loops.length - 1) return 256;
  return at === loops.length - 2 ? 4 : 1;
}

/** The default block of a nested tile loop in a kernel without `@`, before it is fitted to workgroup memory. */
export const NESTED_BLOCK = 1024;

/**
 * Nested tile loops of kernels without `@` walk the columns of a program's rows (a long
 * row summed tile by tile, an online softmax, a Welford pass): each tile costs a
 * reduction tree and its barriers, so few wide tiles beat many narrow ones. On lavapipe,
 * a 16×1000003 row sum took ~1.5–2 s per call with 32-column tiles, ~0.26 s with 256 and
 * ~0.18–0.26 s with 1024; a Welford pass over 1024×5000, 1.1–1.5 s, 0.2–0.4 s and 0.15 s.
 * Tiles held in workgroup memory must still fit what WebGPU guarantees, so the widest
 * nested block is halved until they do (not below the old default of 32).
 */
function widenNestedLoops(k: KernelIR, blocks: Record<string, number>, config: () => KernelConfig): void {
  const nested = k.loops.filter((l) => l.level !== 'grid' && l.fixedBlock === undefined);
  if (nested.length === 0) return;
  for (const l of nested) blocks[l.name] = NESTED_BLOCK;
  while (workgroupTileBytes(k, config()) > GUARANTEED_WORKGROUP_BYTES) {
    const widest = nested.reduce((a, b) => ((ownValue(blocks, b.name) ?? 0) > (ownValue(blocks, a.name) ?? 0) ? b : a));
    const b = ownValue(blocks, widest.name) ?? 32;
    if (b <= 32) break;
    blocks[widest.name] = b / 2;
  }
}

/** WebGPU's guaranteed workgroup memory (validate.ts DEFAULT_LIMITS): defaults fit it everywhere. */
const GUARANTEED_WORKGROUP_BYTES = 16384;

/**
 * Fills in the defaults. In a kernel with `@`, knobs left out fit the ones given: the
 * workgroup size follows from the blocks and the micro-tile ((BM/TM)×(BN/TN)
 * invocations), and the default vector width and unroll shrink to what the micro-tile
 * and contraction step allow. So `{ blocks: { tm: 32, tn: 32 }, microTile: [2, 2] }`
 * alone is a valid config.
 */
export function resolveConfig(k: KernelIR, given: unknown): KernelConfig {
  // Configs come from users, tunings files and share links: only schema-checked values go on.
  const input = parseConfigInput(given, k.name);
  const base = defaultConfig(k);
  let c: KernelConfig = {
    ...base,
    ...input,
    blocks: Object.assign(nullRecord<number>(), base.blocks, input.blocks),
  };
  const dot = layoutDot(k);
  if (!dot) return c;
  const [tm, tn] = c.microTile;
  const chunk = dot.k?.kind === 'block' ? blockOf(c, dot.k.loop) : c.kChunk;
  if (input.vectorWidth === undefined) {
    let w: VectorWidth = c.vectorWidth;
    while (w > 1 && (tn % w !== 0 || chunk % w !== 0)) w = w === 4 ? 2 : 1;
    c = { ...c, vectorWidth: w };
  }
  if (input.unroll === undefined) c = { ...c, unroll: Math.max(1, Math.min(c.unroll, chunk)) };
  if (input.workgroupSize === undefined) {
    const threads = (blockOf(c, dot.rows) / tm) * (blockOf(c, dot.cols) / tn);
    if (Number.isInteger(threads) && threads >= 1) c = { ...c, workgroupSize: threads };
  }
  return c;
}

