/**
 * Starting points that cover the space thinly: the default, plus a small Latin hypercube
 * (every knob takes each of `levels` spread-out values once). Cheap insurance against a
 * local search starting in the wrong basin.
 */
import type { Strategy } from '../search.ts';
import type { KnobValue } from '../knobs.ts';
import type { Point } from '../space.ts';
import { shuffle } from '../rng.ts';

export function spreadSeeds(levels = 4): Strategy {
  return async (host) => {
    const { space, rng } = host;
    const seeds: Point[] = [space.defaultPoint()];
    const columns = space.knobs.map((knob) => {
      const values = knob.values();
      // Level l sits at quantile (l + 0.5) / levels of the knob's values.
      const picks: KnobValue[] = [];
      for (let l = 0; l < levels; l++) {
        const v = values[Math.min(values.length - 1, Math.floor(((l + 0.5) / levels) * values.length))];
        if (v !== undefined) picks.push(v);
      }
      return shuffle(picks, rng);
    });
    for (let l = 0; l < levels; l++) seeds.push(space.knobs.map((k, i) => columns[i]?.[l] ?? k.default()));
    for (const seed of seeds) {
      if (host.done) return;
      await host.evaluate(seed);
    }
  };
}
