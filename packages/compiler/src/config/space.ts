/**
 * The config space a kernel exposes to the autotuner: one typed knob per tunable field,
 * each with the values worth trying on this adapter and its default. Search strategies
 * see only knobs (name, values, default) and never what a knob means; `build` turns one
 * choice per knob back into a config and `problems` rejects combinations that cannot
 * work (a rejected config scores Infinity), before any WGSL is generated.
 */
import { cacheableRows } from '../wgsl/row-cache.ts';
import { nullRecord, ownValue } from 'tessera-gpu-dsl';
import type { KernelIR } from '../ir/nodes.ts';
import { defaultConfig, REDUCTIONS, walksRows, type KernelConfig, type Reduction, type VectorWidth } from './config.ts';
import { hasReduction } from './validate.ts';
import { layoutDot } from './dots.ts';
import { hasVectorStores } from './vector-stores.ts';
import { configProblems, type DeviceLimits } from './validate.ts';

export type MicroTile = readonly [number, number];

export type Knob =
  | { readonly kind: 'int'; readonly name: string; readonly values: readonly number[]; readonly default: number }
  | { readonly kind: 'bool'; readonly name: string; readonly values: readonly boolean[]; readonly default: boolean }
  | { readonly kind: 'pair'; readonly name: string; readonly values: readonly MicroTile[]; readonly default: MicroTile }
  | { readonly kind: 'enum'; readonly name: string; readonly values: readonly string[]; readonly default: string };

export type KnobValue = Knob['default'];

export interface ConfigSpace {
  readonly knobs: readonly Knob[];
  readonly default: KernelConfig;
  /** A config from one value per knob, by knob name; knobs left out keep their default. */
  build(choice: Readonly<Record<string, KnobValue>>): KernelConfig;
  /** Why a config cannot run on these limits (empty when it can). */
  problems(config: KernelConfig): string[];
}

const pow2 = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let v = lo; v <= hi; v *= 2) out.push(v);
  return out;
};

/** Keeps `d` in the list (a fixed default outside the usual range stays selectable). */
const withDefault = (values: readonly number[], d: number): number[] => (values.includes(d) ? [...values] : [...values, d].sort((a, b) => a - b));

/**
 * `features` are the adapter's features (device.features): the `reduction` knob is
 * offered only to kernels with a reduction, on adapters with 'subgroups'.
 */
export function configSpace(k: KernelIR, limits: DeviceLimits, features: readonly string[] = []): ConfigSpace {
  const base = defaultConfig(k);
  const dot = layoutDot(k);
  const maxWg = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  const knobs: Knob[] = [];

  for (const loop of k.loops) {
    if (loop.fixedBlock !== undefined) continue;
    // A batch loop of a 3-D `@` (a launch loop beside its rows and columns) stays at its
    // default block 1, where batchAsGrid makes it a grid loop with the accumulator in
    // registers. Above 1 the [tb, tm, tn] accumulator sits in workgroup memory and every
    // batch element's product is copied out and merged by a pass over the whole tile
    // (lowerBatchedDot): in GPU time on lavapipe (8×128³, 32×32 tiles) ~46 ms at tb = 1,
    // ~190 ms at 2 and ~300 ms at 4, so not worth a search. A config may still set it.
    if (dot && loop.level === 'grid' && loop.id !== dot.rows.id && loop.id !== dot.cols.id) continue;
    const d = ownValue(base.blocks, loop.name) ?? 1;
    let values: number[];
    if (dot && (loop.id === dot.rows.id || loop.id === dot.cols.id)) values = pow2(8, 128);
    else if (dot?.k?.kind === 'block' && loop.id === dot.k.loop.id) values = pow2(4, 64);
    else values = loop.level === 'grid' ? pow2(1, 1024) : pow2(8, 256);
    knobs.push({ kind: 'int', name: `blocks.${loop.name}`, values: withDefault(values, d), default: d });
  }
  knobs.push({ kind: 'int', name: 'workgroupSize', values: withDefault(pow2(16, maxWg), base.workgroupSize), default: base.workgroupSize });
  if (k.grid.length >= 2) knobs.push({ kind: 'int', name: 'groupM', values: withDefault([1, 4, 8, 16], base.groupM), default: base.groupM });
  if (dot) {
    const tiles: MicroTile[] = [];
    for (const tm of [1, 2, 4, 8, 16]) for (const tn of [1, 2, 4, 8, 16]) tiles.push([tm, tn]);
    const [dm, dn] = base.microTile;
    if (!tiles.some(([a, b]) => a === dm && b === dn)) tiles.push(base.microTile);
    knobs.push({ kind: 'pair', name: 'microTile', values: tiles, default: base.microTile });
    knobs.push({ kind: 'int', name: 'vectorWidth', values: [1, 2, 4], default: base.vectorWidth });
    // Unrolling multiplies shader size; on CPU adapters compile time grows faster still.
    knobs.push({ kind: 'int', name: 'unroll', values: withDefault([1, 2, 4, 8], base.unroll), default: base.unroll });
    if (dot.k?.kind !== 'block') knobs.push({ kind: 'int', name: 'kChunk', values: withDefault(pow2(8, 128), base.kChunk), default: base.kChunk });
    knobs.push({ kind: 'bool', name: 'stageA', values: [true, false], default: base.stageA });
    knobs.push({ kind: 'bool', name: 'stageB', values: [true, false], default: base.stageB });
    // Only where it can be valid: the adapter has subgroups and reports their sizes.
    if (features.includes('subgroups') && limits.subgroupMinSize !== undefined && limits.subgroupMaxSize !== undefined) {
      knobs.push({ kind: 'bool', name: 'broadcastA', values: [false, true], default: base.broadcastA });
    }
  }
  // Vector width of 1-D elementwise stores (vector-stores.ts), for kernels without `@`.
  if (!dot && hasVectorStores(k)) knobs.push({ kind: 'int', name: 'vectorWidth', values: [1, 2, 4], default: base.vectorWidth });
  // How rows are shared out (config.ts Reduction): 'subgroup' only where the adapter has them.
  if (hasReduction(k) || walksRows(k)) {
    const values = REDUCTIONS.filter((r) => r !== 'subgroup' || (features.includes('subgroups') && hasReduction(k)));
    knobs.push({ kind: 'enum', name: 'reduction', values, default: base.reduction });
  }

  if (!dot && cacheableRows(k).length > 0) {
    knobs.push({ kind: 'int', name: 'rowCache', values: [0, 256, 1024, 2048, 4096], default: base.rowCache });
  }

  const build = (choice: Readonly<Record<string, KnobValue>>): KernelConfig => {
    const num = (name: string, d: number): number => {
      const v = choice[name];
      return typeof v === 'number' ? v : d;
    };
    const bool = (name: string, d: boolean): boolean => {
      const v = choice[name];
      return typeof v === 'boolean' ? v : d;
    };
    const blocks = Object.assign(nullRecord<number>(), base.blocks);
    for (const loop of k.loops) {
      if (loop.fixedBlock === undefined) blocks[loop.name] = num(`blocks.${loop.name}`, ownValue(blocks, loop.name) ?? 1);
    }
    const mt = choice['microTile'];
    const red = choice['reduction'];
    const reduction: Reduction = REDUCTIONS.find((r) => r === red) ?? base.reduction;
    return {
      blocks,
      workgroupSize: num('workgroupSize', base.workgroupSize),
      microTile: Array.isArray(mt) && mt.length === 2 ? [mt[0] ?? 1, mt[1] ?? 1] : base.microTile,
      vectorWidth: num('vectorWidth', base.vectorWidth) as VectorWidth,
      unroll: num('unroll', base.unroll),
      groupM: num('groupM', base.groupM),
      kChunk: num('kChunk', base.kChunk),
      stageA: bool('stageA', base.stageA),
      stageB: bool('stageB', base.stageB),
      broadcastA: bool('broadcastA', base.broadcastA),
      reduction,
      rowCache: num('rowCache', base.rowCache),
    };
  };

  return { knobs, default: base, build, problems: (c) => configProblems(k, c, limits, features) };
}
