/**
 * Tuning knobs as typed fragments (after Helion's ConfigSpecFragment): each knob knows its
 * values, its default, how to draw one at random, which values are one move away and how
 * to encode a value as numbers. Search strategies only ever use this interface, so they
 * never care whether a knob is a block size, a workgroup size or a reduction strategy.
 */
import type { Rng } from './rng.ts';

export type KnobValue = number | string | boolean;

export interface Knob<T extends KnobValue = KnobValue> {
  /** Display name, e.g. `blocks.tm`. */
  readonly name: string;
  /** Where the value goes in a ConfigInput, e.g. ['blocks', 'tm'] or ['workgroupSize']. */
  readonly path: readonly string[];
  /** Every value; for ordered knobs from small to large. Never empty. */
  values(): readonly T[];
  default(): T;
  random(rng: Rng): T;
  /**
   * Values one move away. Ordered knobs: the values `radius` steps below and above (where
   * they exist). Unordered knobs: every other value, whatever the radius.
   */
  neighbors(value: T, radius?: number): T[];
  /** Coordinates for distance-based strategies, each in [0, 1]. */
  encode(value: T): number[];
}

/** A knob whose values have an order that matters (sizes): one coordinate, position in the list. */
export function orderedKnob<T extends KnobValue>(name: string, path: readonly string[], values: readonly T[], fallback: T): Knob<T> {
  if (values.length === 0) throw new RangeError(`knob '${name}' has no values`);
  const all = [...values];
  const def = all.includes(fallback) ? fallback : nearestIndexValue(all, fallback);
  const indexOf = (v: T): number => all.indexOf(v);
  return {
    name, path,
    values: () => all,
    default: () => def,
    random: (rng) => rng.pick(all),
    neighbors(value, radius = 1) {
      const i = indexOf(value);
      if (i < 0) return [def];
      return [all[i - radius], all[i + radius]].filter((v): v is T => v !== undefined);
    },
    encode: (value) => [all.length === 1 ? 0 : Math.max(0, indexOf(value)) / (all.length - 1)],
  };
}

/** A default outside the list (e.g. 256 when the dim only allows up to 64) snaps to the nearest value. */
function nearestIndexValue<T extends KnobValue>(values: readonly T[], target: T): T {
  const first = values[0] as T;
  if (typeof target !== 'number') return first;
  let best = first;
  for (const v of values) {
    if (typeof v === 'number' && typeof best === 'number' && Math.abs(Math.log2(v) - Math.log2(target)) < Math.abs(Math.log2(best) - Math.log2(target))) best = v;
  }
  return best;
}

/** Powers of two from `min` to `max` inclusive (both rounded to powers of two). */
export function powersOfTwo(min: number, max: number): number[] {
  const out: number[] = [];
  for (let v = 2 ** Math.ceil(Math.log2(Math.max(1, min))); v <= max; v *= 2) out.push(v);
  return out;
}

export function powerOfTwoKnob(name: string, path: readonly string[], min: number, max: number, fallback: number): Knob<number> {
  const values = powersOfTwo(min, max);
  return orderedKnob(name, path, values.length > 0 ? values : [2 ** Math.floor(Math.log2(Math.max(1, max)))], fallback);
}

/** A knob whose values have no order (a strategy name, on/off): one-hot coordinates. */
export function choiceKnob<T extends KnobValue>(name: string, path: readonly string[], values: readonly T[], fallback: T): Knob<T> {
  if (values.length === 0) throw new RangeError(`knob '${name}' has no values`);
  const all = [...values];
  const def = all.includes(fallback) ? fallback : (all[0] as T);
  return {
    name, path,
    values: () => all,
    default: () => def,
    random: (rng) => rng.pick(all),
    neighbors: (value) => all.filter((v) => v !== value),
    encode: (value) => all.map((v) => (v === value ? 1 : 0)),
  };
}

export function booleanKnob(name: string, path: readonly string[], fallback: boolean): Knob<boolean> {
  return choiceKnob(name, path, [false, true], fallback);
}

/** The value of `knob` whose encoding is closest to `coords` (for strategies that move in number space). */
export function decodeNearest<T extends KnobValue>(knob: Knob<T>, coords: readonly number[]): T {
  let best = knob.default();
  let bestDistance = Infinity;
  for (const v of knob.values()) {
    const e = knob.encode(v);
    let d = 0;
    for (let i = 0; i < e.length; i++) d += ((e[i] ?? 0) - (coords[i] ?? 0)) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = v;
    }
  }
  return best;
}
