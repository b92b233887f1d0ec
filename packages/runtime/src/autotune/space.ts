/**
 * A search space: an ordered list of knobs. A point holds one value per knob, in knob
 * order; it maps to a nested config object through each knob's `path`.
 */
import { decodeNearest, type Knob, type KnobValue } from './knobs.ts';
import type { Rng } from './rng.ts';

export type Point = readonly KnobValue[];

export interface SearchSpace {
  readonly knobs: readonly Knob[];
  /** Number of points (the product of every knob's value count). */
  readonly size: number;
  defaultPoint(): Point;
  randomPoint(rng: Rng): Point;
  /** A stable string per point: the memo key of a search. */
  key(point: Point): string;
  encode(point: Point): number[];
  /** The point nearest to some coordinates (each knob decoded separately). */
  decode(coords: readonly number[]): Point;
  /** Every point, first knob slowest. */
  enumerate(): Generator<Point>;
  /** The config object a point stands for, e.g. { blocks: { tm: 4 }, workgroupSize: 64 }. */
  toObject(point: Point): Record<string, unknown>;
  /** The point for a config object; knobs it does not set take their defaults. */
  fromObject(config: unknown): Point;
  /** Short text, e.g. `tm=4 workgroupSize=64`. */
  describe(point: Point): string;
}

export function makeSpace(knobs: readonly Knob[]): SearchSpace {
  const widths = knobs.map((k) => k.encode(k.default()).length);
  const space: SearchSpace = {
    knobs,
    size: knobs.reduce((n, k) => n * k.values().length, 1),
    defaultPoint: () => knobs.map((k) => k.default()),
    randomPoint: (rng) => knobs.map((k) => k.random(rng)),
    key: (point) => JSON.stringify(point),
    encode: (point) => knobs.flatMap((k, i) => k.encode(point[i] ?? k.default())),
    decode(coords) {
      let at = 0;
      return knobs.map((k, i) => {
        const width = widths[i] ?? 1;
        const v = decodeNearest(k, coords.slice(at, at + width));
        at += width;
        return v;
      });
    },
    *enumerate() {
      const values = knobs.map((k) => k.values());
      const index = knobs.map(() => 0);
      if (values.some((v) => v.length === 0)) return;
      for (;;) {
        yield index.map((j, i) => values[i]?.[j] ?? (knobs[i] as Knob).default());
        let i = knobs.length - 1;
        while (i >= 0 && (index[i] ?? 0) + 1 >= (values[i]?.length ?? 0)) index[i--] = 0;
        if (i < 0) return;
        index[i] = (index[i] ?? 0) + 1;
      }
    },
    toObject(point) {
      const root: Record<string, unknown> = {};
      knobs.forEach((k, i) => setPath(root, k.path, point[i] ?? k.default()));
      return root;
    },
    fromObject(config) {
      return knobs.map((k) => {
        const v = getPath(config, k.path);
        return k.values().some((x) => x === v) ? (v as KnobValue) : k.default();
      });
    },
    describe: (point) => knobs.map((k, i) => `${k.path[k.path.length - 1] ?? k.name}=${String(point[i])}`).join(' '),
  };
  return space;
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: KnobValue): void {
  let node = root;
  for (const [i, part] of path.entries()) {
    if (i === path.length - 1) {
      node[part] = value;
      return;
    }
    const child = node[part];
    if (typeof child === 'object' && child !== null) node = child as Record<string, unknown>;
    else {
      const fresh: Record<string, unknown> = {};
      node[part] = fresh;
      node = fresh;
    }
  }
}

function getPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
