/**
 * A one-knob-at-a-time walk (coordinate descent) with no random choices, so the same
 * timings give the same path whatever the seed. From the best point so far, each knob in
 * turn (the `priority` names first, then the space's order) tries every neighbour one
 * step away; the fastest of them is taken when it beats the current point by more than
 * `minGain` (timing noise is not progress), and the same step is then repeated while it
 * keeps paying (a block that gained from halving may gain again). A pass over every knob
 * without a move ends the walk. Points already scored (the starts) cost nothing.
 */
import type { KnobValue } from '../knobs.ts';
import type { SearchHost, Strategy } from '../search.ts';
import type { Point } from '../space.ts';

export interface WalkOptions {
  /**
   * Knob names walked first, in this order; a name ending in '.' stands for every knob
   * it prefixes (`blocks.`), in the space's order. Default: the space's order.
   */
  readonly priority?: readonly string[];
  /** Relative gain a move must make. Default 0.02. */
  readonly minGain?: number;
}

export function knobWalk(options: WalkOptions = {}): Strategy {
  const minGain = options.minGain ?? 0.02;
  return async (host) => {
    const order = walkOrder(host, options.priority ?? []);
    let current = host.best()?.point ?? host.space.defaultPoint();
    let score = await host.evaluate(current);
    for (let moved = true; moved && !host.done;) {
      moved = false;
      for (const i of order) {
        if (host.done) return;
        const step = await bestNeighbour(host, current, i);
        if (step === undefined || !(step.score < score * (1 - minGain))) continue;
        let from = current;
        [current, score] = [step.point, step.score];
        moved = true;
        // The same step again, while it keeps paying.
        for (let next = repeatStep(host, i, from, current); next !== undefined && !host.done; next = repeatStep(host, i, from, current)) {
          const s = await host.evaluate(next);
          if (!(s < score * (1 - minGain))) break;
          [from, current, score] = [current, next, s];
        }
      }
    }
  };
}

/** Knob indices in walk order: the priority names first, then the rest in space order. */
function walkOrder(host: SearchHost, priority: readonly string[]): number[] {
  const names = host.space.knobs.map((k) => k.name);
  const out: number[] = [];
  for (const p of priority) {
    names.forEach((name, i) => {
      if ((p.endsWith('.') ? name.startsWith(p) : name === p) && !out.includes(i)) out.push(i);
    });
  }
  names.forEach((_, i) => {
    if (!out.includes(i)) out.push(i);
  });
  return out;
}

/** The fastest neighbour of `p` along knob `i` (every one of them evaluated, in the knob's order). */
async function bestNeighbour(host: SearchHost, p: Point, i: number): Promise<{ point: Point; score: number } | undefined> {
  const knob = host.space.knobs[i];
  if (knob === undefined) return undefined;
  let best: { point: Point; score: number } | undefined;
  for (const v of knob.neighbors(p[i] ?? knob.default(), 1)) {
    if (host.done) break;
    const point = withValue(p, i, v);
    const score = await host.evaluate(point);
    if (Number.isFinite(score) && (best === undefined || score < best.score)) best = { point, score };
  }
  return best;
}

/** `to` moved once more along knob `i` by the step from `from`, if the knob has that value (ordered knobs only). */
function repeatStep(host: SearchHost, i: number, from: Point, to: Point): Point | undefined {
  const knob = host.space.knobs[i];
  if (knob === undefined) return undefined;
  const values = knob.values();
  const a = values.indexOf(from[i] ?? knob.default());
  const b = values.indexOf(to[i] ?? knob.default());
  const v = values[2 * b - a];
  // Only along knobs whose neighbours are their adjacent values (not choices or pairs).
  if (a < 0 || b < 0 || Math.abs(b - a) !== 1 || v === undefined || !knob.neighbors(to[i] ?? knob.default(), 1).includes(v)) return undefined;
  return withValue(to, i, v);
}

function withValue(p: Point, i: number, v: KnobValue): Point {
  const out = [...p];
  out[i] = v;
  return out;
}
