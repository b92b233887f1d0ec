/**
 * Curated starting points, tried in the order given after the default: configs that are
 * known to be good on this kind of adapter (the compiler's dot-defaults.ts), where a
 * spread of random seeds would spend the budget on shapes no adapter runs well. They
 * are announced for prefetch as one batch: every one of them is evaluated.
 */
import type { Strategy } from '../search.ts';
import type { Point } from '../space.ts';

export function startPoints(points: readonly Point[]): Strategy {
  return async (host) => {
    const all = [host.space.defaultPoint(), ...points];
    for (const [i, point] of all.entries()) {
      if (host.done) return;
      host.prefetch(all.slice(i));
      await host.evaluate(point);
    }
  };
}
