/**
 * Broadcasting of tile shapes, numpy-style: shapes align at their last axis; two axes
 * are compatible when they are the same axis or one is a unit (size-1) axis; a missing
 * leading axis counts as a unit. A scalar broadcasts to anything.
 */
import { axisEquals, axisText, type Axis } from './types.ts';

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

/** Whether `from` can be broadcast to exactly `to` (used for stores and var updates). */
export function broadcastsTo(from: readonly Axis[], to: readonly Axis[]): boolean {
  if (from.length > to.length) {
    // Extra leading unit axes are fine: [1, n] can be stored into [n].
    const extra = from.slice(0, from.length - to.length);
    if (!extra.every((a) => a.kind === 'unit')) return false;
    return broadcastsTo(from.slice(from.length - to.length), to);
  }
  const offset = to.length - from.length;
  return from.every((ax, i) => {
    const target = to[offset + i];
    return target !== undefined && (ax.kind === 'unit' || axisEquals(ax, target));
  });
}
