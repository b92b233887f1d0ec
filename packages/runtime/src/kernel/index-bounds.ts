/**
 * Scalar subscripts made of dims and literals (`x[N - 5]`; dsl check/index-bounds.ts),
 * checked against the sizes a call binds: the backends address them without a guard,
 * so a subscript outside its dim is refused before anything runs.
 */
import type { KernelIR } from 'tessera-gpu-compiler';
import { dimArithNames, evalDimArith, type IndexBound } from 'tessera-gpu-dsl/check';

export interface IndexBoundFailure {
  readonly bound: IndexBound;
  /** `an index from 0 to N - 1 into dimension 0 of 'x'`. */
  readonly expected: string;
  /** `-1 (N = 4)`: the value and the sizes it was computed from. */
  readonly actual: string;
}

/** The first dim-arithmetic subscript outside its dim at these sizes, if any. */
export function outsideIndex(ir: KernelIR, size: (name: string) => number | undefined): IndexBoundFailure | undefined {
  for (const b of ir.indexBounds) {
    const r = evalDimArith(b.arith, size);
    const n = b.dim.kind === 'const' ? b.dim.value : size(b.dim.name);
    if (!('value' in r) || n === undefined || (r.value >= 0 && r.value < n)) continue;
    const names = [...new Set([...dimArithNames(b.arith), ...(b.dim.kind === 'sym' ? [b.dim.name] : [])])];
    const last = b.dim.kind === 'const' ? String(n - 1) : `${b.dim.name} - 1`;
    return {
      bound: b,
      expected: `an index from 0 to ${last} into dimension ${b.axis} of '${b.tensor}'`,
      actual: `${r.value} (${names.map((x) => `${x} = ${String(size(x))}`).join(', ')})`,
    };
  }
  return undefined;
}

/** Where the subscript is in the kernel source, and what to change. */
export function indexBoundHint(f: IndexBoundFailure): string {
  const at = `${f.bound.span.start.line}:${f.bound.span.start.col}`;
  return `the subscript ${f.bound.text} at ${at} of the kernel source is outside the dim at these sizes: pass tensors whose sizes keep it inside, or index with a run-time scalar (read as 0 outside the dim)`;
}
