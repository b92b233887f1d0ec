/**
 * A config: the knobs of one lowering of a kernel. The same kernel compiled with two
 * configs computes the same result (up to float rounding order) at different speeds.
 */
import type { KernelIR, LoopInfo, Stmt, Value } from '../ir/nodes.ts';
import { operands, stmtValues } from '../ir/walk.ts';

export interface KernelConfig {
  /** Block size per tile loop, keyed by the loop variable's name (`tm`, `tn`, `tk`). */
  readonly blocks: Readonly<Record<string, number>>;
  /** Invocations per workgroup. */
  readonly workgroupSize: number;
}

/** A partial config as users write it: anything left out takes its default. */
export interface ConfigInput {
  readonly blocks?: Readonly<Record<string, number>>;
  readonly workgroupSize?: number;
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
 * Defaults: kernels that work on whole rows (`x[tm, :]`) get one row per workgroup so the
 * workgroup cooperates on the row; purely blocked kernels get 256 elements per tile
 * (16×16 in 2-D); nested loops get 32.
 */
export function defaultConfig(k: KernelIR): KernelConfig {
  const blocks: Record<string, number> = {};
  const rowWise = usesFullAxes(k.body);
  const perGridLoop = rowWise ? 1 : k.grid.length === 1 ? 256 : k.grid.length === 2 ? 16 : 8;
  for (const loop of k.loops) {
    blocks[loop.name] = loop.fixedBlock ?? (loop.level === 'grid' ? perGridLoop : 32);
  }
  return { blocks, workgroupSize: 256 };
}

export function resolveConfig(k: KernelIR, input: ConfigInput | undefined): KernelConfig {
  const base = defaultConfig(k);
  return {
    blocks: { ...base.blocks, ...(input?.blocks ?? {}) },
    workgroupSize: input?.workgroupSize ?? base.workgroupSize,
  };
}

export function blockOf(config: KernelConfig, loop: LoopInfo): number {
  return loop.fixedBlock ?? config.blocks[loop.name] ?? 1;
}
