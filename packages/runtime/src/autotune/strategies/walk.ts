/**
 * A one-knob-at-a-time walk (coordinate descent) with no random choices, so the seed
 * never changes its path and noise changes it only where two timings are too close to
 * tell apart. It starts from the preferred point so far (SearchHost.preferred: the
 * default, given up only for a start that beats it, in the starts' order). Each knob in turn
 * (the `priority` names first, then the space's order) tries every neighbour one step
 * away, in the knob's order; the first neighbour that beats the current point beyond the
 * tie tolerance (SearchHost.beats: close calls re-timed head to head) is the step, and a
 * later one replaces it only by beating it in turn, so two equally fast neighbours
 * always resolve to the earlier one. The same step is then repeated while it keeps
 * paying (a block that gained from halving may gain again). A pass over every knob
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
  /** Least relative gain a move must make, whatever the noise. Default TIE_TOLERANCE (SearchHost.beats). */
  readonly minGain?: number;
}

export function knobWalk(options: WalkOptions = {}): Strategy {
  const minGain = options.minGain;
  return async (host) => {
    const order = walkOrder(host, options.priority ?? []);
    let current = (await host.preferred())?.point ?? host.space.defaultPoint();
    await host.evaluate(current);
    for (let moved = true; moved && !host.done;) {
      moved = false;
      for (const i of order) {
        if (host.done) return;
        const step = await bestNeighbour(host, current, i, minGain);
        if (step === undefined) continue;
        let from = current;
        current = step;
        moved = true;
        // The same step again, while it keeps paying.
        for (let next = repeatStep(host, i, from, current); next !== undefined && !host.done; next = repeatStep(host, i, from, current)) {
          await host.evaluate(next);
          if (!(await host.beats(next, current, minGain))) break;
          [from, current] = [current, next];
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

/**
 * The step along knob `i` from `p`: every neighbour is evaluated, in the knob's order;
 * the first that beats `p` is taken, and a later one only if it beats that one.
 * Undefined when none beats `p`.
 */
async function bestNeighbour(host: SearchHost, p: Point, i: number, minGain: number | undefined): Promise<Point | undefined> {
  const knob = host.space.knobs[i];
  if (knob === undefined) return undefined;
  const neighbours = knob.neighbors(p[i] ?? knob.default(), 1).map((v) => withValue(p, i, v));
  for (const [j, point] of neighbours.entries()) {
    if (host.done) break;
    host.prefetch(neighbours.slice(j));
    await host.evaluate(point);
  }
  let best: Point | undefined;
  for (const point of neighbours) {
    if (host.scoreOf(point) === undefined) continue;
    if (await host.beats(point, best ?? p, minGain)) best = point;
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
