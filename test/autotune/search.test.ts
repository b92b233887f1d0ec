/**
 * The search strategies on synthetic cost functions: deterministic, no GPU. A good
 * strategy finds the optimum (or gets close) within its budget; a config that throws
 * scores Infinity, is reported, and does not stop the search.
 */
import { describe, expect, it } from 'vitest';
import {
  differentialEvolution, exhaustive, makeSpace, patternSearch, powerOfTwoKnob, choiceKnob, randomSearch, runSearch,
  configBudget, planSearch, makeRng, type Evaluation, type Objective, type Point, type Strategy, type SearchSpace,
} from 'tessera-gpu-runtime';

/** blocks.tm ∈ 1..1024, workgroupSize ∈ 8..1024, a choice knob: 11 × 8 × 3 = 264 points. */
function space(): SearchSpace {
  return makeSpace([
    powerOfTwoKnob('blocks.tm', ['blocks', 'tm'], 1, 1024, 1),
    powerOfTwoKnob('workgroupSize', ['workgroupSize'], 8, 1024, 256),
    choiceKnob('strategy', ['strategy'], ['tree', 'loop', 'subgroup'], 'tree'),
  ]);
}

/** A bowl in log2 space with its minimum at tm=16, wg=64, 'loop'; both sizes interact. */
function bowl(p: Point): number {
  const tm = Math.log2(Number(p[0]));
  const wg = Math.log2(Number(p[1]));
  const s = p[2] === 'loop' ? 0 : p[2] === 'subgroup' ? 0.5 : 1;
  return 1 + (tm - 4) ** 2 + 0.5 * (wg - 6) ** 2 + 0.3 * (tm - 4) * (wg - 6) + s;
}
const OPTIMUM = 1;

const objective = (f: (p: Point) => number): Objective => async (p) => ({ score: f(p), status: 'ok' });

function run(strategies: readonly Strategy[], maxConfigs: number, f: (p: Point) => number = bowl, seed = 1) {
  return runSearch(space(), objective(f), strategies, { maxConfigs, maxMs: Infinity, seed });
}

describe('search space', () => {
  it('enumerates every point once, default first knob slowest', () => {
    const s = space();
    const all = [...s.enumerate()].map((p) => s.key(p));
    expect(all).toHaveLength(s.size);
    expect(new Set(all).size).toBe(s.size);
  });

  it('encodes knobs into [0, 1] and decodes back to the same point', () => {
    const s = space();
    const rng = makeRng(3);
    for (let i = 0; i < 50; i++) {
      const p = s.randomPoint(rng);
      const e = s.encode(p);
      expect(e.every((x) => x >= 0 && x <= 1)).toBe(true);
      expect(s.decode(e)).toEqual(p);
    }
  });

  it('maps points to nested config objects and back', () => {
    const s = space();
    const p: Point = [32, 128, 'loop'];
    expect(s.toObject(p)).toEqual({ blocks: { tm: 32 }, workgroupSize: 128, strategy: 'loop' });
    expect(s.fromObject({ blocks: { tm: 32 }, workgroupSize: 128, strategy: 'loop' })).toEqual(p);
    expect(s.fromObject({})).toEqual(s.defaultPoint());
  });

  it('knob neighbours: ordered knobs step by the radius, choice knobs offer every other value', () => {
    const [tm, , strategy] = space().knobs;
    expect(tm?.neighbors(16)).toEqual([8, 32]);
    expect(tm?.neighbors(16, 2)).toEqual([4, 64]);
    expect(tm?.neighbors(1)).toEqual([2]);
    expect(strategy?.neighbors('tree')).toEqual(['loop', 'subgroup']);
  });
});

describe('strategies on a synthetic cost', () => {
  it('exhaustive finds the optimum and tries every point once', async () => {
    const out = await run([exhaustive], 1000);
    expect(out.best?.score).toBe(OPTIMUM);
    expect(out.best?.point).toEqual([16, 64, 'loop']);
    expect(out.tried).toBe(space().size);
  });

  it('random search stays within its budget and is reproducible with a seed', async () => {
    const a = await run([randomSearch()], 40, bowl, 7);
    const b = await run([randomSearch()], 40, bowl, 7);
    expect(a.tried).toBe(40);
    expect(a.trials.map((t) => t.point)).toEqual(b.trials.map((t) => t.point));
  });

  it('pattern search from the default reaches the optimum in a fraction of the space', async () => {
    const out = await run([patternSearch()], 60);
    expect(out.best?.score).toBe(OPTIMUM);
    expect(out.tried).toBeLessThan(space().size / 4);
  });

  it('differential evolution gets within 10% of the optimum', async () => {
    const out = await run([differentialEvolution()], 120);
    expect(out.best?.score).toBeLessThanOrEqual(1.1 * OPTIMUM + 0.5);
  });

  it("quick's plan (seeds + pattern) finds the optimum within its budget", async () => {
    const s = space();
    const budget = configBudget('quick', s);
    expect(budget).toBeLessThanOrEqual(Math.ceil(0.25 * s.size));
    const plan = planSearch('quick', s, budget);
    const out = await runSearch(s, objective(bowl), plan.strategies, { maxConfigs: budget, maxMs: Infinity });
    expect(out.best?.score).toBeLessThanOrEqual(1.1 * OPTIMUM);
  });

  it("full's plan on a space larger than its budget still gets close", async () => {
    const s = space();
    const plan = planSearch('full', s, 100);
    expect(plan.name).not.toBe('exhaustive');
    const out = await runSearch(s, objective(bowl), plan.strategies, { maxConfigs: 100, maxMs: Infinity });
    expect(out.best?.score).toBeLessThanOrEqual(1.1 * OPTIMUM);
  });

  it('small spaces are searched exhaustively', () => {
    const tiny = makeSpace([powerOfTwoKnob('workgroupSize', ['workgroupSize'], 8, 64, 8)]);
    expect(planSearch('quick', tiny, configBudget('quick', tiny)).name).toBe('exhaustive');
  });
});

describe('failures never stop a search', () => {
  /** Throws for big workgroups, rejects some as invalid, scores the rest. */
  const flaky: Objective = async (p): Promise<Evaluation> => {
    if (Number(p[1]) >= 512) throw new Error(`boom at wg=${String(p[1])}\nsecond line`);
    if (Number(p[0]) === 2) return { score: Infinity, status: 'invalid', message: 'tm=2 not allowed' };
    return { score: bowl(p), status: 'ok' };
  };

  for (const [name, strategy] of [['exhaustive', exhaustive], ['random', randomSearch()], ['pattern', patternSearch()], ['evolution', differentialEvolution()]] as const) {
    it(`${name}: a throwing config scores Infinity and is reported`, async () => {
      const s = space();
      const out = await runSearch(s, flaky, [strategy], { maxConfigs: name === 'exhaustive' ? 1000 : 80, maxMs: Infinity, seed: 2 });
      const thrown = out.trials.filter((t) => t.evaluation.status === 'error');
      const invalid = out.trials.filter((t) => t.evaluation.status === 'invalid');
      if (name === 'exhaustive') {
        expect(thrown.length).toBeGreaterThan(0);
        expect(invalid.length).toBeGreaterThan(0);
      }
      for (const t of thrown) {
        expect(t.evaluation.score).toBe(Infinity);
        expect(t.evaluation.message).toMatch(/^boom at wg=\d+$/);
      }
      expect(out.best).toBeDefined();
      expect(Number(out.best?.point[1])).toBeLessThan(512);
      expect(Number.isFinite(out.best?.score)).toBe(true);
    });
  }

  it('invalid configs do not use the config budget', async () => {
    const onlyInvalid: Objective = async () => ({ score: Infinity, status: 'invalid', message: 'no' });
    const out = await runSearch(space(), onlyInvalid, [randomSearch()], { maxConfigs: 5, maxMs: Infinity });
    expect(out.tried).toBe(0);
    expect(out.best).toBeUndefined();
    // …but a search of nothing but invalid points still ends.
    expect(out.trials.length).toBeGreaterThan(5);
  });
});

describe('budgets and cancellation', () => {
  it('stops at the time budget', async () => {
    let t = 0;
    const out = await runSearch(space(), async (p) => {
      t += 10;
      return { score: bowl(p), status: 'ok' };
    }, [randomSearch()], { maxConfigs: 1000, maxMs: 95, now: () => t });
    expect(out.tried).toBe(10);
  });

  it('an abort ends the search with the best so far, dropping the cut-short candidate', async () => {
    const controller = new AbortController();
    let calls = 0;
    const out = await runSearch(space(), async (p) => {
      calls++;
      if (calls === 6) controller.abort();
      return { score: bowl(p), status: 'ok' };
    }, [exhaustive], { maxConfigs: 1000, maxMs: Infinity, signal: controller.signal });
    expect(out.aborted).toBe(true);
    expect(out.trials).toHaveLength(5);
    expect(out.best).toBeDefined();
  });
});

describe('compiling ahead (SearchOptions.prefetch)', () => {
  it('starts the seeds a batch will evaluate, a few ahead, each once, before they are evaluated', async () => {
    const events: string[] = [];
    const s = space();
    const seeds: Strategy = async (host) => {
      const points: Point[] = [[1, 8, 'tree'], [2, 16, 'loop'], [4, 32, 'subgroup'], [8, 64, 'tree'], [16, 128, 'loop']];
      for (const [i, p] of points.entries()) {
        host.prefetch(points.slice(i));
        await host.evaluate(p);
      }
    };
    await runSearch(s, async (p) => {
      events.push(`eval ${s.key(p)}`);
      return { score: bowl(p), status: 'ok' };
    }, [seeds], { maxConfigs: 4, maxMs: Infinity, prefetch: (p) => events.push(`prefetch ${s.key(p)}`) });
    const prefetched = events.filter((e) => e.startsWith('prefetch'));
    // Three ahead at first, then one more per evaluation, until the budget of 4 is in flight.
    expect(prefetched).toHaveLength(4);
    expect(new Set(prefetched).size).toBe(4);
    expect(events.slice(0, 3).every((e) => e.startsWith('prefetch'))).toBe(true);
    for (const e of events.filter((x) => x.startsWith('eval'))) {
      expect(events.indexOf(e.replace('eval', 'prefetch'))).toBeLessThan(events.indexOf(e));
    }
  });
});
