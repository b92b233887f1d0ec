/**
 * The winner among the re-timed finalists (winner.ts, remeasure.ts) on fake timings: no
 * GPU. Near-ties go to the default or the first config in canonical order, so noise that
 * swaps two equally fast configs does not change the pick; a clearly faster config still
 * wins; the re-timing stays within the time budget but for one sample.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_TIE_TOLERANCE, TIE_TOLERANCE, canonicalOrder, choiceKnob, makeRng, makeSpace, pickWinner, powerOfTwoKnob, remeasureWithinBudget,
  tieTolerance, type Point, type SearchSpace,
} from 'tessera-gpu-runtime';

function space(): SearchSpace {
  return makeSpace([
    powerOfTwoKnob('blocks.tm', ['blocks', 'tm'], 1, 64, 8),
    choiceKnob('strategy', ['strategy'], ['tree', 'loop', 'subgroup'], 'tree'),
  ]);
}

interface Finalist {
  readonly point: Point;
  /** The true time; samples scatter around it. */
  readonly ms: number;
  readonly isDefault: boolean;
}

/**
 * Re-times `finalists` with multiplicative noise of ±`noise` drawn from `seed`, then picks
 * the winner: the plain fastest (`tie` false), with TIE_TOLERANCE (`'fixed'`), or with the
 * tolerance widened by the samples' noise as autotune.ts does (`true`).
 */
async function pick(s: SearchSpace, finalists: readonly Finalist[], seed: number, noise: number, tie: boolean | 'fixed' = true, normal = false): Promise<Point | undefined> {
  const rng = makeRng(seed);
  const order = canonicalOrder(s);
  // Normal noise of σ = `noise` (Box–Muller), or uniform in ±`noise`.
  const draw = (): number => (normal ? noise * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()) : noise * (2 * rng.next() - 1));
  const timed = await remeasureWithinBudget(finalists, async (f) => ({
    samples: Array.from({ length: 10 }, () => f.ms * Math.max(0.05, 1 + draw())),
    method: 'timestamp' as const,
  }), { rounds: 5, deadline: Infinity });
  const contenders = finalists.map((f) => ({ item: f, ms: timed.get(f)?.medianMs ?? Infinity }));
  if (tie === false) return [...contenders].sort((a, b) => a.ms - b.ms)[0]?.item.point;
  const tolerance = tie === 'fixed' ? TIE_TOLERANCE : tieTolerance(finalists.flatMap((f) => timed.get(f) ?? []));
  return pickWinner(contenders, { order: (a, b) => order(a.point, b.point), isDefault: (f) => f.isDefault, tolerance })?.point;
}

describe('picking the winner', () => {
  const s = space();
  const order = canonicalOrder(s);
  const by = (a: Point, b: Point): number => order(a, b);

  it('canonical order is the order enumerate() visits points in', () => {
    const all = [...s.enumerate()];
    const shuffled = [...all].reverse();
    expect(shuffled.sort(by)).toEqual(all);
  });

  it('a config faster by more than the tolerance wins, whatever the order', () => {
    const win = pickWinner([
      { item: [1, 'tree'], ms: 1.0 },
      { item: [32, 'loop'], ms: 0.9 },
    ], { order: by });
    expect(win).toEqual([32, 'loop']);
  });

  it('within the tolerance: the default wins when it is among them, else the first in canonical order', () => {
    const near = 1 + TIE_TOLERANCE / 2;
    const contenders = [
      { item: [32, 'loop'] as Point, ms: 1.0 },
      { item: [4, 'subgroup'] as Point, ms: near },
      { item: [8, 'tree'] as Point, ms: near },
      { item: [1, 'tree'] as Point, ms: 1.5 },
    ];
    expect(pickWinner(contenders, { order: by })).toEqual([4, 'subgroup']);
    expect(pickWinner(contenders, { order: by, isDefault: (p) => s.key(p) === s.key(s.defaultPoint()) })).toEqual([8, 'tree']);
    // The slow one is first in canonical order but not tied: never picked.
    expect(pickWinner([...contenders].reverse(), { order: by })).toEqual([4, 'subgroup']);
  });

  it('failed configs never win; nothing finite: no winner', () => {
    expect(pickWinner([{ item: [1, 'tree'] as Point, ms: Infinity }, { item: [2, 'tree'] as Point, ms: 3 }], { order: by })).toEqual([2, 'tree']);
    expect(pickWinner([{ item: [1, 'tree'] as Point, ms: Infinity }], { order: by })).toBeUndefined();
    expect(pickWinner([], { order: by })).toBeUndefined();
  });

  it('noisy re-timing of two equally fast configs: the plain fastest flips between runs, the tie-break does not', async () => {
    const finalists: Finalist[] = [
      { point: [32, 'loop'], ms: 1.0, isDefault: false },
      { point: [16, 'subgroup'], ms: 1.004, isDefault: false },
      { point: [2, 'tree'], ms: 1.25, isDefault: false },
      { point: [8, 'tree'], ms: 1.4, isDefault: true },
    ];
    const plain = new Set<string>();
    const tied = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      plain.add(s.key((await pick(s, finalists, seed, 0.05, false)) ?? []));
      tied.add(s.key((await pick(s, finalists, seed, 0.05)) ?? []));
    }
    // Without the tie-break the noise decides (so this test would notice if it returned).
    expect(plain.size).toBeGreaterThan(1);
    expect([...tied]).toEqual([s.key([16, 'subgroup'])]);
  });

  it('a clearly faster config wins through the noise', async () => {
    const finalists: Finalist[] = [
      { point: [1, 'tree'], ms: 1.0, isDefault: false },
      { point: [64, 'subgroup'], ms: 0.85, isDefault: false },
      { point: [8, 'tree'], ms: 1.1, isDefault: true },
    ];
    for (let seed = 1; seed <= 20; seed++) expect(await pick(s, finalists, seed, 0.05)).toEqual([64, 'subgroup']);
  });
});

describe('the tie tolerance widens with the noise of the timings', () => {
  it('quiet or unknown timings: TIE_TOLERANCE', () => {
    expect(tieTolerance([])).toBe(TIE_TOLERANCE);
    expect(tieTolerance([{ noise: null, samples: 10 }, {}])).toBe(TIE_TOLERANCE);
    expect(tieTolerance([{ noise: 0.005, samples: 50 }, { noise: 0.01, samples: 50 }])).toBe(TIE_TOLERANCE);
  });

  it('wider with more noise, narrower with more samples, never past MAX_TIE_TOLERANCE', () => {
    const at = (noise: number, samples: number): number => tieTolerance([{ noise, samples }, { noise, samples }]);
    // Three standard errors of a difference of two medians: 3·√2·0.93·noise/√samples.
    expect(at(0.1, 16)).toBeCloseTo((3 * Math.SQRT2 * 0.93 * 0.1) / 4, 10);
    expect(at(0.1, 16)).toBeGreaterThan(TIE_TOLERANCE);
    expect(at(0.2, 16)).toBeGreaterThan(at(0.1, 16));
    expect(at(0.1, 64)).toBeLessThan(at(0.1, 16));
    expect(at(5, 4)).toBe(MAX_TIE_TOLERANCE);
    // The typical (median) contender decides: one noisy outlier does not widen it.
    expect(tieTolerance([{ noise: 0.01, samples: 50 }, { noise: 0.01, samples: 50 }, { noise: 3, samples: 50 }])).toBe(TIE_TOLERANCE);
  });

  it('on a noisy machine a fixed tolerance lets noise pick between equals; the widened one does not', async () => {
    const s = space();
    // 1% apart, samples with σ = 10%: the medians of 50 samples wander by a few percent.
    const finalists: Finalist[] = [
      { point: [32, 'loop'], ms: 1.0, isDefault: false },
      { point: [16, 'subgroup'], ms: 1.01, isDefault: false },
      { point: [2, 'tree'], ms: 1.6, isDefault: true },
    ];
    const fixed = new Set<string>();
    const widened = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      fixed.add(s.key((await pick(s, finalists, seed, 0.1, 'fixed', true)) ?? []));
      widened.add(s.key((await pick(s, finalists, seed, 0.1, true, true)) ?? []));
    }
    expect(fixed.size).toBeGreaterThan(1);
    expect([...widened]).toEqual([s.key([16, 'subgroup'])]);
  });

  it('the widened tolerance still lets a config faster beyond it win', async () => {
    const s = space();
    const finalists: Finalist[] = [
      { point: [1, 'tree'], ms: 1.0, isDefault: true },
      { point: [64, 'subgroup'], ms: 0.8, isDefault: false },
    ];
    for (let seed = 1; seed <= 20; seed++) expect(await pick(s, finalists, seed, 0.1, true, true)).toEqual([64, 'subgroup']);
  });
});

describe('re-timing within the budget', () => {
  it('starts a sample only while the longest so far still fits: overrun ≤ one sample', async () => {
    for (const lengths of [[10, 10, 10], [5, 30, 5], [40, 1, 1], [1, 1, 70]]) {
      let t = 0;
      let calls = 0;
      const deadline = 100;
      const timed = await remeasureWithinBudget(['a', 'b', 'c'], async (item) => {
        const length = lengths[calls++ % lengths.length] ?? 1;
        t += length;
        return { samples: [length], method: 'timestamp' as const };
      }, { rounds: 50, deadline, now: () => t });
      expect(t).toBeLessThanOrEqual(deadline + Math.max(...lengths));
      expect(calls).toBeGreaterThan(0);
      expect(timed.size).toBeGreaterThan(0);
    }
  });

  it('past the deadline already: nothing is timed', async () => {
    let calls = 0;
    const timed = await remeasureWithinBudget(['a', 'b'], async () => {
      calls++;
      return { samples: [1], method: 'timestamp' as const };
    }, { rounds: 5, deadline: 10, now: () => 11 });
    expect(calls).toBe(0);
    expect(timed.size).toBe(0);
  });

  it('cancellation stops the rounds', async () => {
    let calls = 0;
    await remeasureWithinBudget(['a', 'b', 'c'], async () => {
      calls++;
      return { samples: [1], method: 'timestamp' as const };
    }, { rounds: 5, deadline: Infinity, cancelled: () => calls >= 4 });
    expect(calls).toBe(4);
  });
});
