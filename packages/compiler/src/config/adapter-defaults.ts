/**
 * Defaults that depend on the kind of adapter, applied where no config is given and no
 * tuning is known (the runtime's tuner). A software adapter (lavapipe, SwiftShader) runs
 * an invocation as one SIMD lane of a CPU core: a workgroup is a loop over its lanes, a
 * barrier is a switch between them, and a load whose address differs per lane is a
 * gather. There, kernels that work on whole rows run fastest with one row per invocation,
 * walked serially in vec4 steps (`reduction: 'serial'`), 64 rows per workgroup of 64:
 * the shape a hand-written kernel takes on a CPU.
 *
 * Measured on lavapipe at 4096×1024 (bench/run.ts --only NAME, a loaded 2-core machine,
 * interleaved with the naive WGSL kernels): softmax ~110 ms against ~195 ms for the
 * shared-row default and ~230 ms naive; row cumsum ~60 ms against ~460 ms and ~90 ms;
 * row sum + argmax ~53 ms against ~62 ms and ~58 ms. GPUs keep the shared-row defaults
 * (config.ts ROW_DEFAULTS), where a row's lanes read consecutive addresses.
 *
 * Kernels that also read one vector along the whole row for every row (a gain `g[:]`, as
 * in layernorm and RMS norm) take the same default: every lane of the serial walk reads
 * the same address of `g` at each step, a broadcast load, and the walk still wins since
 * the row walks fold in vec4 steps (4096×1024 on lavapipe, one process, interleaved, a
 * loaded 2-core machine: layernorm 32 ms serial against 41 ms for the shared-row default,
 * RMS norm 25 against 37; 128 rows per workgroup were within noise of 64).
 *
 * Kernels with `@` get their tile shape per kind of adapter, GPUs included
 * (dot-defaults.ts).
 *
 * Elementwise kernels whose stores are written in vectors get 16 vectors per invocation
 * there instead of one (elementwiseDefaults): the per-invocation work around the vector
 * loop (decoding the tile, the bounds of its ragged edge) then runs once per 64 elements.
 */
import { walksRows, type ConfigInput } from './config.ts';
import { layoutDot } from './dots.ts';
import { dotAdapterDefaults } from './dot-defaults.ts';
import { attentionDefaults } from './attention-defaults.ts';
import type { AdapterKind } from './adapter-kind.ts';
import { hasFlatVectorStores, tiledVectorStoreLoops } from './vector-stores.ts';
import { operands, stmtValues, walkStmts } from '../ir/walk.ts';
import type { KernelIR, LoopInfo, Stmt, Value } from '../ir/nodes.ts';

export type { AdapterKind };

/** Rows per workgroup and invocations per workgroup of the serial row default. */
export const SERIAL_ROWS = 64;

/**
 * Rows per workgroup (and invocations) of the serial default for kernels that walk their
 * rows in column tiles (`for tn in tile(N) { … sum(x[tm, tn], …) … }`): fewer than
 * SERIAL_ROWS, so a few long rows (16×1000003) still make several workgroups for the
 * CPU's cores, and still a whole SIMD vector of lanes (8 on AVX2). Chosen on lavapipe
 * against 16 and 64 rows and the shared-row default for a long-row sum and an online
 * softmax; the margins were within the noise of a loaded 2-core machine except for the
 * long rows, where 64 rows leave one workgroup for all the cores. (Those measurements
 * predate the walks' current form, the unmasked interior of unaligned rows among them:
 * bench/run.ts --only NAME, interleaved with the naive WGSL kernels, is how to redo them.)
 */
export const SERIAL_TILED_ROWS = 8;

/** The config to use on this kind of adapter when none is given, or undefined for the kernel's defaults. */
export function adapterDefaults(k: KernelIR, adapter: AdapterKind): ConfigInput | undefined {
  // One `@`: dot-defaults.ts (both adapter classes); two or more (attention): attention-defaults.ts, software only.
  if (layoutDot(k)) return dotAdapterDefaults(k, adapter) ?? (adapter.software ? attentionDefaults(k, adapter.dims) : undefined);
  if (!adapter.software) return undefined;
  const columnTiles = reducesColumnTiles(k);
  if (!columnTiles && !walksRows(k)) return elementwiseDefaults(k);
  const tiled = k.grid.filter((l) => l.iter === 'tile');
  const rows = tiled[tiled.length - 1];
  if (!rows || rows.fixedBlock !== undefined) return undefined;
  const n = columnTiles ? SERIAL_TILED_ROWS : SERIAL_ROWS;
  return { blocks: { [rows.name]: n }, workgroupSize: n, reduction: 'serial' };
}

/**
 * Whether the kernel reduces rows tile by tile: a reduction along the last axis, the
 * block of a nested tile loop, of a tile whose other axes are grid blocks (an online
 * softmax, a Welford pass, a long-row sum).
 */
function reducesColumnTiles(k: KernelIR): boolean {
  let found = false;
  const visit = (v: Value): void => {
    if (v.kind === 'reduce') {
      const axes = v.x.type.axes;
      const last = axes[axes.length - 1];
      if (v.axis === axes.length - 1 && last?.kind === 'block' && last.loop.level === 'nested' && axes.slice(0, -1).every((a) => a.kind !== 'block' || a.loop.level === 'grid')) found = true;
    }
    operands(v).forEach(visit);
  };
  walkStmts(k.body, (s) => stmtValues(s).forEach(visit));
  return found;
}

/** Invocations per workgroup of the elementwise default, and the tile it covers (16 vec4 each). */
const ELEMENTWISE_WORKGROUP = 64;
const ELEMENTWISE_TILE = { flat: 4096, rows: 16, cols: 256 };

/** Whether the statements are elementwise only: no nested loop, reduction, scan or `@`. */
function elementwiseOnly(stmts: readonly Stmt[]): boolean {
  let only = true;
  walkStmts(stmts, (s) => {
    if (s.kind === 'tileLoop' || s.kind === 'rangeLoop' || s.kind === 'materialize') only = false;
  });
  return only;
}

/**
 * A software adapter's config for an elementwise kernel with stores written in vectors:
 * tiles of 4096 elements (1-D) or 16×256 over 64 invocations, 16 vec4 per invocation,
 * where the kernel defaults (config.ts) give one vec4 to each of 256. Measured CPU time
 * per call on lavapipe (all threads, a loaded 2-core machine, interleaved): a GEGLU over
 * 1024×11008 ~65 ms against ~115–135 ms at the default 4×256 and ~190 ms for a naive
 * one-element-per-invocation kernel (64 rows of 1024 over 256 invocations, 64 vec4 each,
 * was no faster: ~57–74 ms); a vector add of 4M elements ~20 ms against ~35 ms.
 * Fixed blocks are kept; undefined when the kernel is not of this kind.
 */
function elementwiseDefaults(k: KernelIR): ConfigInput | undefined {
  if (!elementwiseOnly(k.body)) return undefined;
  const tiled = k.grid.filter((l) => l.iter === 'tile');
  const blocks: Record<string, number> = {};
  const set = (l: LoopInfo | undefined, b: number): void => {
    if (l !== undefined && l.fixedBlock === undefined) blocks[l.name] = b;
  };
  const vectorTile = tiledVectorStoreLoops(k);
  if (vectorTile !== undefined && vectorTile.length >= 2) {
    set(vectorTile[vectorTile.length - 2], ELEMENTWISE_TILE.rows);
    set(vectorTile[vectorTile.length - 1], ELEMENTWISE_TILE.cols);
  } else if (tiled.length === 1 && hasFlatVectorStores(k)) {
    set(tiled[0], ELEMENTWISE_TILE.flat);
  } else {
    return undefined;
  }
  return { blocks, workgroupSize: ELEMENTWISE_WORKGROUP };
}
