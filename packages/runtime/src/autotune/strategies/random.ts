/** Uniform random points: a baseline for the other strategies, and a way to seed them. */
import type { Strategy } from '../search.ts';

/** Evaluates up to `count` new random points (until the budget is spent when omitted). */
export function randomSearch(count = Infinity): Strategy {
  return async (host) => {
    let fresh = 0;
    let repeats = 0;
    // Many draws in a row that were already scored: the space is (nearly) exhausted.
    while (!host.done && fresh < count && repeats < 200) {
      const point = host.space.randomPoint(host.rng);
      if (host.scoreOf(point) !== undefined) {
        repeats++;
        continue;
      }
      repeats = 0;
      fresh++;
      await host.evaluate(point);
    }
  };
}
