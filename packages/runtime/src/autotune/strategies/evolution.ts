/**
 * Differential evolution (DE/rand/1/bin) on the knobs' encodings: each member of a small
 * population is challenged by a + F·(b − c) of three others, crossed over knob by knob,
 * snapped back to the nearest real point; the challenger replaces it if no slower.
 * Good on larger spaces where the knobs interact; seeded from the best points so far.
 */
import type { Strategy } from '../search.ts';
import type { Point } from '../space.ts';

export interface EvolutionOptions {
  /** Population size. Default: 2 × knobs, within [6, 16]. */
  readonly population?: number;
  /** Differential weight. Default 0.7. */
  readonly f?: number;
  /** Crossover probability per knob. Default 0.6. */
  readonly cr?: number;
  /** Generations; default: until the budget is spent. */
  readonly generations?: number;
}

export function differentialEvolution(options: EvolutionOptions = {}): Strategy {
  return async (host) => {
    const { space, rng } = host;
    const size = options.population ?? Math.min(16, Math.max(6, 2 * space.knobs.length));
    const widths = space.knobs.map((k) => k.encode(k.default()).length);
    const pop: { point: Point; score: number }[] = host.ranked().slice(0, Math.ceil(size / 2)).map((s) => ({ ...s }));
    for (let tries = 0; pop.length < size && tries < 20 * size && !host.done; tries++) {
      const point = space.randomPoint(rng);
      if (pop.some((m) => space.key(m.point) === space.key(point))) continue;
      pop.push({ point, score: await host.evaluate(point) });
    }
    if (pop.length < 4) return;
    const f = options.f ?? 0.7;
    const cr = options.cr ?? 0.6;
    // Challengers that were all scored before cost nothing, so count them: a converged
    // population must end the strategy even when the budget is not spent.
    let stale = 0;
    for (let gen = 0; gen < (options.generations ?? Infinity) && !host.done && stale < 10 * pop.length; gen++) {
      for (let i = 0; i < pop.length && !host.done; i++) {
        const member = pop[i];
        const [a, b, c] = pickThree(pop.length, i, rng.int);
        const pa = pop[a];
        const pb = pop[b];
        const pc = pop[c];
        if (!member || !pa || !pb || !pc) continue;
        const xa = space.encode(pa.point);
        const xb = space.encode(pb.point);
        const xc = space.encode(pc.point);
        const xi = space.encode(member.point);
        const forced = rng.int(space.knobs.length);
        const coords: number[] = [];
        let at = 0;
        widths.forEach((w, k) => {
          const take = k === forced || rng.next() < cr;
          for (let j = at; j < at + w; j++) {
            const mutant = (xa[j] ?? 0) + f * ((xb[j] ?? 0) - (xc[j] ?? 0));
            coords.push(take ? Math.min(1, Math.max(0, mutant)) : (xi[j] ?? 0));
          }
          at += w;
        });
        let trial = space.decode(coords);
        // Snapping can land back on the member itself; nudge one knob so no budget is wasted.
        if (space.key(trial) === space.key(member.point)) {
          const knob = space.knobs[forced];
          if (knob !== undefined) {
            const moved = [...trial];
            moved[forced] = knob.random(rng);
            trial = moved;
          }
        }
        stale = host.scoreOf(trial) === undefined ? 0 : stale + 1;
        const score = await host.evaluate(trial);
        if (score <= member.score) pop[i] = { point: trial, score };
      }
    }
  };
}

function pickThree(n: number, not: number, int: (n: number) => number): [number, number, number] {
  const chosen: number[] = [];
  while (chosen.length < 3) {
    const k = int(n);
    if (k !== not && !chosen.includes(k)) chosen.push(k);
  }
  return [chosen[0] ?? 0, chosen[1] ?? 0, chosen[2] ?? 0];
}
