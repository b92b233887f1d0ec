/**
 * Broadcasting of tile shapes, numpy-style: shapes align at their last axis; two axes
 * are compatible when they are the same axis or one is a unit (size-1) axis; a missing
 * leading axis counts as a unit. A scalar broadcasts to anything.
 */
import { axisEquals, axisText, type Axis } from './types.ts';

/** The hint of a TSR2005 with nothing more specific to say. */
export const BROADCAST_HINT = 'axes must match or be 1; use keepdim=true on reductions to keep a size-1 axis, or add a unit axis with m[:, None]';

export type BroadcastResult =
  | { readonly ok: true; readonly axes: readonly Axis[] }
  | { readonly ok: false; readonly why: string };

export function broadcastAxes(a: readonly Axis[], b: readonly Axis[]): BroadcastResult {
  const n = Math.max(a.length, b.length);
  const out: Axis[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? { kind: 'unit' };
    const y = b[b.length - n + i] ?? { kind: 'unit' };
    if (axisEquals(x, y) || y.kind === 'unit') out.push(x);
    else if (x.kind === 'unit') out.push(y);
    else return { ok: false, why: `axis ${i} is '${axisText(x)}' in one and '${axisText(y)}' in the other` };
  }
  return { ok: true, axes: out };
}

/**
 * `from` with unit axes removed, first ones first, until it has `rank` axes: how a value
 * with more axes than its target is stored ([tm, 1] into out[tm], [1, n] into out[n]).
 * Undefined when it has too few unit axes.
 */
export function squeezeToRank(from: readonly Axis[], rank: number): Axis[] | undefined {
  const out = [...from];
  while (out.length > rank) {
    const unit = out.findIndex((a) => a.kind === 'unit');
    if (unit < 0) return undefined;
    out.splice(unit, 1);
  }
  return out;
}

/** Whether `from` can be broadcast to exactly `to` (used for stores and var updates). */
export function broadcastsTo(from: readonly Axis[], to: readonly Axis[]): boolean {
  if (from.length > to.length) {
    // Extra unit axes are dropped: [1, n] can be stored into [n], a [tm, 1] column into [tm].
    const squeezed = squeezeToRank(from, to.length);
    return squeezed !== undefined && broadcastsTo(squeezed, to);
  }
  const offset = to.length - from.length;
  return from.every((ax, i) => {
    const target = to[offset + i];
    return target !== undefined && (ax.kind === 'unit' || axisEquals(ax, target));
  });
}
