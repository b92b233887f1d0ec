/**
 * Pattern (compass) search: from the preferred point so far (SearchHost.preferred), try
 * moving one knob at a time by `radius` steps; take the first move that beats it beyond
 * the tie tolerance (SearchHost.beats: at least `minGain`, wider with the timings' noise,
 * apparent gains re-timed head to head), and try the same move again first (it often
 * keeps paying). When no single move helps, halve the radius; at radius 1, try moving
 * two knobs at once (block size and workgroup size often only pay together). Converged:
 * restart from the next-best point scored so far.
 *
 * The order moves are tried in is shuffled by a random source drawn from the seed and
 * the point moved from (SearchHost.rngFor), not from one stream shared by the whole
 * search: a run whose timings differ earlier still tries the same moves in the same
 * order from each point it reaches, so the seed alone fixes every random choice.
 */
import type { KnobValue } from '../knobs.ts';
import type { SearchHost, Strategy } from '../search.ts';
import type { Point } from '../space.ts';
import { shuffle } from '../rng.ts';

export interface PatternOptions {
  /** Steps per move at the start (ordered knobs). Default 2. */
  readonly radius?: number;
  /** A move must be at least this much faster (relative) to count, whatever the noise. Default TIE_TOLERANCE. */
  readonly minGain?: number;
  /** Local searches after the first, each from the best point not yet searched from. Default 2. */
  readonly restarts?: number;
  /** Two-knob moves at radius 1, for spaces with at most this many knobs. Default 6. */
  readonly pairKnobLimit?: number;
}

export function patternSearch(options: PatternOptions = {}): Strategy {
  const minGain = options.minGain;
  return async (host) => {
    const centres = new Set<string>();
    for (let run = 0; run <= (options.restarts ?? 2) && !host.done; run++) {
      const start = (run === 0 ? (await host.preferred())?.point : undefined) ?? host.ranked().find((s) => !centres.has(host.space.key(s.point)))?.point ??
        (run === 0 ? host.space.defaultPoint() : undefined);
      if (start === undefined) return;
      await descend(host, start, run === 0 ? options.radius ?? 2 : 1, minGain, options.pairKnobLimit ?? 6, centres);
    }
  };
}

async function descend(host: SearchHost, start: Point, radius: number, minGain: number | undefined, pairKnobLimit: number, centres: Set<string>): Promise<void> {
  let current = start;
  await host.evaluate(current);
  let r = radius;
  let lastMove: Point | undefined;
  while (!host.done) {
    centres.add(host.space.key(current));
    const rng = host.rngFor(`pattern ${host.space.key(current)} r${r}`);
    const moves = shuffle(singleMoves(current, host, r), rng);
    if (r === 1 && host.space.knobs.length <= pairKnobLimit) moves.push(...shuffle(pairMoves(current, host), rng));
    // Repeat the last successful step first.
    if (lastMove !== undefined) moves.unshift(lastMove);
    let improved = false;
    // No prefetch here: the walk moves on at the first better neighbour, and compiles of
    // the neighbours it skips would only take the cores from the one being timed.
    for (const move of moves) {
      if (host.done) return;
      await host.evaluate(move);
      if (await host.beats(move, current, minGain)) {
        lastMove = repeatStep(current, move, host);
        current = move;
        improved = true;
        break;
      }
    }
    if (improved) continue;
    lastMove = undefined;
    if (r > 1) r = Math.max(1, Math.floor(r / 2));
    else return;
  }
}

/** Points differing from `p` in one knob, by `radius` steps. */
function singleMoves(p: Point, host: SearchHost, radius: number): Point[] {
  const out: Point[] = [];
  host.space.knobs.forEach((knob, i) => {
    for (const v of knob.neighbors(p[i] ?? knob.default(), radius)) out.push(withValue(p, i, v));
  });
  return out;
}

function pairMoves(p: Point, host: SearchHost): Point[] {
  const out: Point[] = [];
  const knobs = host.space.knobs;
  for (let i = 0; i < knobs.length; i++) {
    for (let j = i + 1; j < knobs.length; j++) {
      const ki = knobs[i];
      const kj = knobs[j];
      if (ki === undefined || kj === undefined) continue;
      for (const a of ki.neighbors(p[i] ?? ki.default(), 1)) {
        for (const b of kj.neighbors(p[j] ?? kj.default(), 1)) out.push(withValue(withValue(p, i, a), j, b));
      }
    }
  }
  return out;
}

/** The move that repeats `from → to` once more (same knobs, same step), if it stays in the space. */
function repeatStep(from: Point, to: Point, host: SearchHost): Point | undefined {
  const next: KnobValue[] = [...to];
  for (const [i, knob] of host.space.knobs.entries()) {
    const values = knob.values();
    const a = values.indexOf(from[i] ?? knob.default());
    const b = values.indexOf(to[i] ?? knob.default());
    if (a === b) continue;
    const v = values[2 * b - a];
    if (v === undefined) return undefined;
    next[i] = v;
  }
  return next;
}

function withValue(p: Point, i: number, v: KnobValue): Point {
  const out = [...p];
  out[i] = v;
  return out;
}
