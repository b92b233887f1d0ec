/**
 * The one-knob walk (strategies/walk.ts), the noise-aware move rule (SearchHost.beats),
 * the per-point random sources of the pattern search and the time budget, on fake
 * objectives: a deterministic cost of the config, timed as samples with seeded noise. No
 * GPU. The walk's path must not depend on the seed; it moves only on a neighbour faster
 * beyond the tie tolerance; equally fast neighbours resolve to the earlier one; a search
 * and its re-timing end within the budget plus one candidate.
 */
import { describe, expect, it } from 'vitest';
import {
  CONFIRM_GAIN, CONFIRM_ROUNDS, TIE_TOLERANCE, configBudget, knobWalk, makeRng, makeSpace, orderedKnob, planSearch, powerOfTwoKnob,
  remeasureWithinBudget, runSearch, startPoints, summarizeSamples, booleanKnob,
  type Evaluation, type Objective, type Point, type SearchSpace, type Strategy,
} from 'tessera-gpu-runtime';

/** Two sizes, 1..8 each, default 1: 16 points. */
function small(): SearchSpace {
  return makeSpace([powerOfTwoKnob('a', ['a'], 1, 8, 1), powerOfTwoKnob('b', ['b'], 1, 8, 1)]);
}

/** A walk-sized space: 7 × 7 × 4 × 2 = 392 points, default 16/16/4/false. */
function big(): SearchSpace {
  return makeSpace([
    powerOfTwoKnob('blocks.tm', ['blocks', 'tm'], 4, 256, 16),
    powerOfTwoKnob('blocks.tn', ['blocks', 'tn'], 4, 256, 16),
    orderedKnob('unroll', ['unroll'], [1, 2, 4, 8], 4),
    booleanKnob('broadcastA', ['broadcastA'], false),
  ]);
}

/** A bowl in log2 space on levels 20% apart: two points either cost the same or differ by ≥ 20%. */
function levels(p: Point): number {
  const tm = Math.log2(Number(p[0]));
  const tn = Math.log2(Number(p[1]));
  const u = Math.log2(Number(p[2]));
  return 1.2 ** (Math.abs(tm - 6) + Math.abs(tn - 5) + Math.abs(u - 1) + (p[3] === true ? 0 : 1));
}

/**
 * Times `cost(p)` as `samples` samples scattered by ±`noise` (uniform), drawn from a source
 * seeded with `noiseSeed`: the objective's figures are median, IQR/median and the count.
 */
function timed(cost: (p: Point) => number, noise: number, noiseSeed: number, samples = 10): Objective & { readonly draw: (p: Point) => number[] } {
  const rng = makeRng(noiseSeed);
  const draw = (p: Point): number[] => Array.from({ length: samples }, () => cost(p) * (1 + noise * (2 * rng.next() - 1)));
  const objective = async (p: Point): Promise<Evaluation> => {
    const s = summarizeSamples(draw(p));
    return { score: s.medianMs, status: 'ok', noise: s.noise, samples: s.samples };
  };
  return Object.assign(objective, { draw });
}

const exact = (cost: (p: Point) => number): Objective => async (p) => ({ score: cost(p), status: 'ok', noise: 0, samples: 10 });

describe('knobWalk', () => {
  it('walks knobs in priority order, repeats a paying step, and stops after a pass without a move', async () => {
    const s = small();
    // Minimum at a=4, b=8.
    const cost = (p: Point): number => 1 + (Math.log2(Number(p[0])) - 2) ** 2 + (Math.log2(Number(p[1])) - 3) ** 2;
    const out = await runSearch(s, exact(cost), [knobWalk({ priority: ['b'] })], { maxConfigs: 100, maxMs: Infinity });
    // b first: 1 → 2 → 4 → 8 (the step repeated while it pays); then a: 1 → 2 → 4, 8 is
    // worse; the second pass tries b=4 at a=4 (a's neighbours are known) and ends.
    expect(out.trials.map((t) => s.key(t.point))).toEqual(
      [[1, 1], [1, 2], [1, 4], [1, 8], [2, 8], [4, 8], [8, 8], [4, 4]].map((p) => s.key(p)),
    );
    expect(out.best?.point).toEqual([4, 8]);
  });

  it('takes no random choices: every seed walks the same path, with or without noise', async () => {
    const s = big();
    for (const noise of [0, 0.02]) {
      const paths = new Set<string>();
      for (const seed of [1, 2, 3, 17, 99]) {
        const out = await runSearch(s, timed(levels, noise, 5), [knobWalk({ priority: ['blocks.'] })], { maxConfigs: 40, maxMs: Infinity, seed });
        paths.add(out.trials.map((t) => s.key(t.point)).join(' | '));
      }
      expect(paths.size).toBe(1);
    }
  });

  it('noise that stays under the tie tolerance never changes the path', async () => {
    const s = big();
    const paths = new Set<string>();
    for (let noiseSeed = 1; noiseSeed <= 25; noiseSeed++) {
      const out = await runSearch(s, timed(levels, 0.02, noiseSeed), [knobWalk({ priority: ['blocks.'] })], { maxConfigs: 40, maxMs: Infinity });
      paths.add(out.trials.map((t) => s.key(t.point)).join(' | '));
      expect(out.best?.point).toEqual([64, 32, 2, true]);
    }
    expect(paths.size).toBe(1);
  });

  it('moves only on a neighbour faster by more than the tie tolerance', async () => {
    const s = makeSpace([powerOfTwoKnob('x', ['x'], 1, 16, 4)]);
    for (const [gain, moves] of [[0.5 * TIE_TOLERANCE, false], [0.95 * TIE_TOLERANCE, false], [1.5 * TIE_TOLERANCE, true], [0.3, true]] as const) {
      const cost = (p: Point): number => (p[0] === 8 ? 1 / (1 + gain) : 1);
      const out = await runSearch(s, exact(cost), [knobWalk()], { maxConfigs: 100, maxMs: Infinity });
      // Neighbours 2 and 8 are always looked at; 16 only after moving to 8.
      expect(out.trials.some((t) => t.point[0] === 16)).toBe(moves);
    }
  });

  it('a noisy neighbour needs a wider gain: the tolerance grows with the noise of the timings', async () => {
    const s = makeSpace([powerOfTwoKnob('x', ['x'], 1, 16, 4)]);
    // 8 is 6% faster: a move on quiet timings, a tie on timings whose IQR is 30% of the median.
    const evaluation = (noise: number): Objective => async (p) => ({ score: p[0] === 8 ? 1 / 1.06 : 1, status: 'ok', noise, samples: 10 });
    const quiet = await runSearch(s, evaluation(0.01), [knobWalk()], { maxConfigs: 100, maxMs: Infinity });
    const noisy = await runSearch(s, evaluation(0.3), [knobWalk()], { maxConfigs: 100, maxMs: Infinity });
    expect(quiet.trials.some((t) => t.point[0] === 16)).toBe(true);
    expect(noisy.trials.some((t) => t.point[0] === 16)).toBe(false);
  });

  it('two equally fast neighbours: the earlier in the knob order is the step, whatever the noise', async () => {
    const s = makeSpace([powerOfTwoKnob('x', ['x'], 1, 16, 4)]);
    // 2 and 8 are both far faster than 4 and within 1% of each other (8 nominally faster).
    const table: Record<number, number> = { 1: 5, 2: 1.01, 4: 2, 8: 1, 16: 3 };
    const ends = new Set<string>();
    for (let noiseSeed = 1; noiseSeed <= 30; noiseSeed++) {
      const out = await runSearch(s, timed((p) => table[Number(p[0])] ?? 9, 0.01, noiseSeed), [knobWalk()], { maxConfigs: 100, maxMs: Infinity });
      // Where the walk ended: its last move's point (the best it moved to, not the nominal best).
      const visited = out.trials.map((t) => Number(t.point[0]));
      ends.add(visited.includes(16) ? 'moved to 8' : 'stayed at 2');
    }
    expect([...ends]).toEqual(['stayed at 2']);
  });

  it('an apparent gain is re-timed head to head, interleaved, and the re-timing decides', async () => {
    const s = makeSpace([powerOfTwoKnob('x', ['x'], 1, 16, 4)]);
    // During the search 8 looks 6% (a lucky sample) or 30% (the machine's load dropped
    // meanwhile) faster; timed again beside 4, it is not.
    for (const gain of [0.06, 0.3]) {
      const searchTime = (p: Point): number => (p[0] === 8 ? 1 / (1 + gain) : 1);
      const retimed: string[] = [];
      const out = await runSearch(s, exact(searchTime), [knobWalk()], {
        maxConfigs: 100, maxMs: Infinity,
        retime: async (p) => {
          retimed.push(String(p[0]));
          return { samples: [1, 1, 1] };
        },
      });
      expect(retimed).toEqual(['8', '4', '4', '8'].slice(0, 2 * CONFIRM_ROUNDS));
      expect(out.trials.some((t) => t.point[0] === 16)).toBe(false);
    }

    // Faster by more than CONFIRM_GAIN: taken without re-timing.
    const retimed: string[] = [];
    const clear = await runSearch(s, exact((p) => (p[0] === 8 ? 1 / (1 + 2 * CONFIRM_GAIN) : 1)), [knobWalk()], {
      maxConfigs: 100, maxMs: Infinity, retime: async (p) => {
        retimed.push(String(p[0]));
        return { samples: [1] };
      },
    });
    expect(retimed).toEqual([]);
    expect(clear.trials.some((t) => t.point[0] === 16)).toBe(true);
  });

  it('starts from the preferred start: the default, given up only for a start that beats it, in the starts\' order', async () => {
    const s = small();
    const starts: Point[] = [[2, 2], [4, 4], [8, 8]];
    // [4,4] and [8,8] tie (0.5% apart, [8,8] nominally faster); the default [1,1] is slower.
    const table = (p: Point): number => (s.key(p) === s.key([4, 4]) ? 1.005 : s.key(p) === s.key([8, 8]) ? 1 : s.key(p) === s.key([1, 1]) ? 1.5 : 2);
    const from: string[] = [];
    const record: Strategy = async (host) => {
      from.push(s.key((await host.preferred())?.point ?? []));
    };
    await runSearch(s, exact(table), [startPoints(starts), record], { maxConfigs: 100, maxMs: Infinity });
    expect(from).toEqual([s.key([4, 4])]);
    // The default within the tie: it is preferred.
    from.length = 0;
    await runSearch(s, exact((p) => (s.key(p) === s.key([1, 1]) ? 1.01 : table(p))), [startPoints(starts), record], { maxConfigs: 100, maxMs: Infinity });
    expect(from).toEqual([s.key([1, 1])]);
  });
});

describe("quick's plans are deterministic", () => {
  it('curated starts + walk (one-@ kernels): the seed changes nothing', async () => {
    const s = big();
    const starts: Point[] = [[64, 64, 4, true], [32, 32, 2, false], [128, 64, 1, true]];
    const plan = planSearch('quick', s, configBudget('quick', s), undefined, starts);
    expect(plan.name).toBe('starts+walk');
    const paths = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const p = planSearch('quick', s, configBudget('quick', s), undefined, starts);
      const out = await runSearch(s, timed(levels, 0.02, 7), p.strategies, { maxConfigs: configBudget('quick', s), maxMs: Infinity, seed });
      paths.add(out.trials.map((t) => s.key(t.point)).join(' | '));
      expect(out.trials.slice(0, 4).map((t) => s.key(t.point))).toEqual([s.defaultPoint(), ...starts].map((x) => s.key(x)));
    }
    expect(paths.size).toBe(1);
  });

  it('seeds + pattern (row kernels): the same seed gives the same search through noise under the tolerance', async () => {
    const s = big();
    const budget = configBudget('quick', s);
    const paths = new Map<number, Set<string>>();
    for (const seed of [1, 2]) {
      for (let noiseSeed = 1; noiseSeed <= 10; noiseSeed++) {
        const plan = planSearch('quick', s, budget);
        expect(plan.name).toBe('seeds+pattern');
        const out = await runSearch(s, timed(levels, 0.02, noiseSeed), plan.strategies, { maxConfigs: budget, maxMs: Infinity, seed });
        const set = paths.get(seed) ?? new Set<string>();
        set.add(out.trials.map((t) => s.key(t.point)).join(' | '));
        paths.set(seed, set);
      }
    }
    expect(paths.get(1)?.size).toBe(1);
    expect(paths.get(2)?.size).toBe(1);
    // …and the seed does matter there (its random choices are the seeds and move orders).
    expect([...(paths.get(1) ?? [])][0]).not.toBe([...(paths.get(2) ?? [])][0]);
  });

  it('rngFor: one label, one sequence, whatever was drawn before; other seeds, other sequences', async () => {
    const draws: number[][] = [];
    const strategy: Strategy = async (host) => {
      draws.push([host.rngFor('x').next(), host.rng.next(), host.rngFor('x').next(), host.rngFor('y').next()]);
    };
    for (const seed of [4, 4, 5]) await runSearch(small(), exact(() => 1), [strategy], { maxConfigs: 10, maxMs: Infinity, seed });
    const [a, b, c] = draws;
    expect(a?.[0]).toBe(a?.[2]);
    expect(a?.[0]).not.toBe(a?.[3]);
    expect(b).toEqual(a);
    expect(c?.[0]).not.toBe(a?.[0]);
  });
});

describe('the time budget (fake clock)', () => {
  /** Each evaluation and each re-timing sample advances the clock by a length drawn per call. */
  function clocked(lengths: readonly number[]) {
    let t = 0;
    let calls = 0;
    const step = (): number => {
      const length = lengths[calls++ % lengths.length] ?? 1;
      t += length;
      return length;
    };
    return { now: () => t, step };
  }

  it('the walk stops starting candidates at the budget: overrun ≤ one candidate, re-timings included', async () => {
    const s = big();
    for (const lengths of [[7], [3, 20, 3], [31, 1, 1, 1], [1, 1, 1, 45]]) {
      const clock = clocked(lengths);
      const noisy = timed(levels, 0.08, 3);
      const plan = planSearch('quick', s, configBudget('quick', s), undefined, [[64, 64, 4, true]]);
      expect(plan.name).toBe('starts+walk');
      const out = await runSearch(s, async (p) => {
        clock.step();
        return noisy(p, undefined);
      }, plan.strategies, {
        maxConfigs: configBudget('quick', s), maxMs: 100, now: clock.now,
        retime: async (p) => {
          clock.step();
          return { samples: noisy.draw(p) };
        },
      });
      expect(out.tried).toBeGreaterThan(0);
      expect(clock.now()).toBeLessThanOrEqual(100 + Math.max(...lengths));
    }
  });

  it("search share, then re-timing to the deadline: the whole run ends within its budget plus one candidate", async () => {
    const s = big();
    const budgetMs = 1000;
    for (const lengths of [[40], [10, 90, 10], [200, 5, 5], [5, 5, 5, 5, 280]]) {
      const clock = clocked(lengths);
      const noisy = timed(levels, 0.05, 11);
      const plan = planSearch('quick', s, configBudget('quick', s), undefined, [[64, 64, 4, true], [32, 32, 2, false]]);
      expect(plan.name).toBe('starts+walk');
      const start = clock.now();
      const deadline = start + budgetMs;
      const out = await runSearch(s, async (p) => {
        clock.step();
        return noisy(p, undefined);
      }, plan.strategies, {
        maxConfigs: configBudget('quick', s), maxMs: plan.searchShare * budgetMs, now: clock.now,
        retime: async (p) => {
          clock.step();
          return { samples: noisy.draw(p) };
        },
      });
      const afterSearch = clock.now();
      expect(afterSearch - start).toBeLessThanOrEqual(plan.searchShare * budgetMs + Math.max(...lengths));
      const finalists = out.trials.filter((t) => Number.isFinite(t.evaluation.score)).slice(0, 5).map((t) => t.point);
      await remeasureWithinBudget(finalists, async (p) => {
        clock.step();
        return { samples: noisy.draw(p), method: 'timestamp' as const };
      }, { rounds: 50, deadline, now: clock.now, expectedMs: lengths[0] ?? 0 });
      expect(clock.now() - start).toBeLessThanOrEqual(budgetMs + Math.max(...lengths));
    }
  });

  it('re-timing with an expected sample length does not start a sample that cannot fit', async () => {
    let t = 0;
    let calls = 0;
    await remeasureWithinBudget(['a', 'b'], async () => {
      calls++;
      t += 30;
      return { samples: [1], method: 'timestamp' as const };
    }, { rounds: 5, deadline: 20, now: () => t, expectedMs: 30 });
    expect(calls).toBe(0);
  });
});
