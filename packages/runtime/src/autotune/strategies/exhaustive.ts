/** Every point of the space, default first. Meant for spaces that fit the budget. */
import type { Strategy } from '../search.ts';

export const exhaustive: Strategy = async (host) => {
  await host.evaluate(host.space.defaultPoint());
  for (const point of host.space.enumerate()) {
    if (host.done) return;
    await host.evaluate(point);
  }
};
