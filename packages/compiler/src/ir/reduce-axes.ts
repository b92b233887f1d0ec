/**
 * How a reduction splits its input's axes: the ones it folds and the ones its result
 * keeps. Every backend walks a reduction this way, so the split is computed here once.
 */
import type { Axis, Value } from './nodes.ts';

/**
 * The index an argmax/argmin holds before any element has won: larger than any real
 * index, so the first tie with the identity replaces it. Still there at the end means no
 * element compared (a row of nothing but NaN), and every backend then reports the row's
 * first index instead.
 */
export const NO_ARG_INDEX = 2147483647;

export interface ReductionAxes {
  /** Positions (in the input's axes) of the folded axes. */
  readonly reduced: readonly number[];
  /** The input's axes the result keeps, in order. */
  readonly rowAxes: readonly Axis[];
  /** The input's folded axes, in order. */
  readonly redAxes: readonly Axis[];
}

export function reductionAxes(v: Value & { kind: 'reduce' }): ReductionAxes {
  const xAxes = v.x.type.axes;
  const reduced = v.axis === 'all' ? xAxes.map((_, i) => i) : [v.axis];
  return {
    reduced,
    rowAxes: xAxes.filter((_, i) => !reduced.includes(i)),
    redAxes: xAxes.filter((_, i) => reduced.includes(i)),
  };
}
