/**
 * Does a candidate compute what the baseline computes? Two configs of one kernel sum in
 * different orders, so floats may differ by rounding: |got − want| ≤ atol + rtol·|want|
 * + rtol·NORMWISE·max|want|. The last term is there for sums: the rounding error of a sum
 * grows with its terms, not with its result, so a row of a million terms that happens to
 * add up to nearly 0 differs between orders by far more than rtol·|want| (a long-row sum
 * of 16×1000003 had correct configs rejected). Measured against the output's largest
 * value it stays small for every output that is right and catches one that is wrong
 * (zeros, a missed tile, garbage differ by about the values themselves).
 * Integers and booleans must match exactly. NaN matches NaN (both configs computed it).
 */
import type { DType } from '../dtype.ts';

export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

export function defaultTolerance(dtype: DType): Tolerance {
  if (dtype === 'f32') return { atol: 1e-5, rtol: 1e-3 };
  if (dtype === 'f16') return { atol: 1e-3, rtol: 1e-2 };
  return { atol: 0, rtol: 0 };
}

/** The share of an output's largest magnitude that any element may differ by, times rtol. */
const NORMWISE = 0.1;

function maxFiniteAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = Math.abs(xs[i] ?? 0);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

export interface Comparison {
  readonly ok: boolean;
  /** Largest |got − want| over every output; Infinity for a shape or NaN mismatch. */
  readonly maxError: number;
  readonly message?: string;
}

export function compareOutputs(
  got: readonly ArrayLike<number>[],
  want: readonly ArrayLike<number>[],
  dtypes: readonly DType[],
  override?: Partial<Tolerance>,
): Comparison {
  if (got.length !== want.length) return { ok: false, maxError: Infinity, message: `${got.length} outputs, the baseline has ${want.length}` };
  let maxError = 0;
  for (let o = 0; o < want.length; o++) {
    const g = got[o];
    const w = want[o];
    if (g === undefined || w === undefined) continue;
    if (g.length !== w.length) return { ok: false, maxError: Infinity, message: `output ${o} has ${g.length} elements, the baseline ${w.length}` };
    const tol = { ...defaultTolerance(dtypes[o] ?? 'f32'), ...override };
    const floor = tol.atol + tol.rtol * NORMWISE * maxFiniteAbs(w);
    for (let i = 0; i < w.length; i++) {
      const a = g[i] ?? NaN;
      const b = w[i] ?? NaN;
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      if (a === b) continue;
      const err = Math.abs(a - b);
      if (!(err <= floor + tol.rtol * Math.abs(b))) {
        return { ok: false, maxError: Number.isNaN(err) ? Infinity : Math.max(maxError, err), message: `output ${o}[${i}] = ${a}, baseline ${b} (atol ${tol.atol}, rtol ${tol.rtol})` };
      }
      maxError = Math.max(maxError, err);
    }
  }
  return { ok: true, maxError };
}
