/**
 * How a reduction splits its input's axes: the ones it folds and the ones its result
 * keeps. Every backend walks a reduction this way, so the split is computed here once.
 */
import type { Axis, Value } from './nodes.ts';

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
