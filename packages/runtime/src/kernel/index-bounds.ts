/**
 * Scalar subscripts made of dims and literals (`x[N - 5]`; dsl check/index-bounds.ts),
 * checked against the sizes a call binds: the backends address them without a guard,
 * so a subscript outside its dim is refused before anything runs.
 */
import type { KernelIR } from 'tessera-gpu-compiler';
import { dimArithNames, evalDimArith, type IndexBound } from 'tessera-gpu-dsl/check';

export interface IndexBoundFailure {
  readonly bound: IndexBound;
  /** `N - 5 = -1 with N = 4`. */
  readonly value: string;
  /** `dimension 0 of 'x' has size 4`. */
  readonly range: string;
}

/** The first dim-arithmetic subscript outside its dim at these sizes, if any. */
export function outsideIndex(ir: KernelIR, size: (name: string) => number | undefined): IndexBoundFailure | undefined {
  for (const b of ir.indexBounds) {
    const r = evalDimArith(b.arith, size);
    const n = b.dim.kind === 'const' ? b.dim.value : size(b.dim.name);
    if (!('value' in r) || n === undefined || (r.value >= 0 && r.value < n)) continue;
    const names = dimArithNames(b.arith);
    const from = names.length === 0 ? '' : ` with ${names.map((x) => `${x} = ${String(size(x))}`).join(', ')}`;
    const dimSize = b.dim.kind === 'const' ? String(n) : `${b.dim.name} = ${n}`;
    return { bound: b, value: `${b.text} = ${r.value}${from}`, range: `dimension ${b.axis} of '${b.tensor}' has size ${dimSize}` };
  }
  return undefined;
}

/** Where the subscript is in the kernel source, and how to fix it. */
export function indexBoundHint(f: IndexBoundFailure): string {
  const at = `${f.bound.span.start.line}:${f.bound.span.start.col}`;
  const fix = f.bound.dim.kind === 'const' ? `0 to ${f.bound.dim.value - 1}` : `0 to ${f.bound.dim.name} - 1`;
  return `the subscript at ${at} must be within ${fix} (${f.range}): pass tensors whose sizes keep it inside, or guard the kernel for these sizes`;
}
