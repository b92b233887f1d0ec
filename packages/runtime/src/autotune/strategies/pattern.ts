/**
 * Pattern (compass) search: from the best point so far, try moving one knob at a time by
 * `radius` steps; take the first move that improves by more than `minGain`, and try the
 * same move again first (it often keeps paying). When no single move helps, halve the
 * radius; at radius 1, try moving two knobs at once (block size and workgroup size often
 * only pay together). Converged: restart from the next-best point scored so far.
 */
import type { KnobValue } from '../knobs.ts';
import type { SearchHost, Strategy } from '../search.ts';
import type { Point } from '../space.ts';
import { shuffle } from '../rng.ts';

export interface PatternOptions {
  /** Steps per move at the start (ordered knobs). Default 2. */
  readonly radius?: number;
  /** A move must be this much faster (relative) to count: timing noise is not progress. Default 0.02. */
  readonly minGain?: number;
  /** Local searches after the first, each from the best point not yet searched from. Default 2. */
  readonly restarts?: number;
  /** Two-knob moves at radius 1, for spaces with at most this many knobs. Default 6. */
  readonly pairKnobLimit?: number;
}

export function patternSearch(options: PatternOptions = {}): Strategy {
  const minGain = options.minGain ?? 0.02;
  return async (host) => {
    const centres = new Set<string>();
    for (let run = 0; run <= (options.restarts ?? 2) && !host.done; run++) {
      const start = host.ranked().find((s) => !centres.has(host.space.key(s.point)))?.point ??
        (run === 0 ? host.space.defaultPoint() : undefined);
      if (start === undefined) return;
      await descend(host, start, run === 0 ? options.radius ?? 2 : 1, minGain, options.pairKnobLimit ?? 6, centres);
    }
  };
}

async function descend(host: SearchHost, start: Point, radius: number, minGain: number, pairKnobLimit: number, centres: Set<string>): Promise<void> {
  let current = start;
  let score = await host.evaluate(current);
  let r = radius;
  let lastMove: Point | undefined;
  while (!host.done) {
    centres.add(host.space.key(current));
    const moves = shuffle(singleMoves(current, host, r), host.rng);
    if (r === 1 && host.space.knobs.length <= pairKnobLimit) moves.push(...shuffle(pairMoves(current, host), host.rng));
    // Repeat the last successful step first.
    if (lastMove !== undefined) moves.unshift(lastMove);
    let improved = false;
    // No prefetch here: the walk moves on at the first better neighbour, and compiles of
    // the neighbours it skips would only take the cores from the one being timed.
    for (const move of moves) {
      if (host.done) return;
      const s = await host.evaluate(move);
      if (s < score * (1 - minGain)) {
        lastMove = repeatStep(current, move, host);
        current = move;
        score = s;
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
