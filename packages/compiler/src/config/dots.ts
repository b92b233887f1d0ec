/**
 * The facts about a kernel's `@`s that its config space depends on: which tile shape
 * gets the register micro-tile layout, and how long the contraction steps are.
 */
import type { Axis, KernelIR, LoopInfo, Value } from '../ir/nodes.ts';
import { walkStmts } from '../ir/walk.ts';

/** One `@` of the kernel, as its `materialize` statement holds it. */
export interface DotSite {
  readonly id: string;
  readonly value: Value & { kind: 'dot' };
  /** The result's row and column loops, when both result axes are tile-loop blocks. */
  readonly rows: LoopInfo | undefined;
  readonly cols: LoopInfo | undefined;
  /** The contraction axis (a's last, b's first): a block of a loop, or a whole dim. */
  readonly k: Axis | undefined;
}

export function dotSites(k: KernelIR): DotSite[] {
  const out: DotSite[] = [];
  walkStmts(k.body, (s) => {
    if (s.kind !== 'materialize' || s.value.kind !== 'dot') return;
    const [r, c] = s.value.type.axes;
    out.push({
      id: s.id,
      value: s.value,
      rows: r?.kind === 'block' ? r.loop : undefined,
      cols: c?.kind === 'block' ? c.loop : undefined,
      k: s.value.a.type.axes[1],
    });
  });
  return out;
}

/**
 * The dot whose result tile gets the register micro-tile layout: the first one whose
 * result is a [block, block] tile of two different loops. Other dots (rare: a second
 * product of a different shape) take the generic path.
 */
export function layoutDot(k: KernelIR): (DotSite & { rows: LoopInfo; cols: LoopInfo }) | undefined {
  for (const d of dotSites(k)) {
    const { rows, cols } = d;
    if (rows && cols && rows.id !== cols.id && d.value.type.axes.length === 2 && d.value.a.type.axes.length === 2 && d.value.b.type.axes.length === 2) {
      return { ...d, rows, cols };
    }
  }
  return undefined;
}
