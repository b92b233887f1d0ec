/**
 * Starting points that cover the space thinly: the default, plus a small Latin hypercube
 * (every knob takes each of `levels` spread-out values once). Cheap insurance against a
 * local search starting in the wrong basin. In spaces where most combinations are
 * invalid (a kernel with `@`: micro-tile, vector width and blocks must fit together),
 * more hypercubes are drawn until `levels` seeds are valid: invalid points cost nothing.
 */
import type { Strategy } from '../search.ts';
import type { KnobValue } from '../knobs.ts';
import type { Point } from '../space.ts';
import { shuffle } from '../rng.ts';

export function spreadSeeds(levels = 4): Strategy {
  return async (host) => {
    const { space, rng } = host;
    await host.evaluate(space.defaultPoint());
    let valid = 0;
    for (let batch = 0; batch < 8 && valid < levels && !host.done; batch++) {
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
      const seeds: Point[] = [];
      for (let l = 0; l < levels; l++) seeds.push(space.knobs.map((k, i) => columns[i]?.[l] ?? k.default()));
      for (const [l, seed] of seeds.entries()) {
        if (host.done || valid >= levels) return;
        if (host.scoreOf(seed) !== undefined) continue;
        host.prefetch(seeds.slice(l));
        if (Number.isFinite(await host.evaluate(seed))) valid++;
      }
    }
  };
}
