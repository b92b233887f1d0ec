/**
 * Effort levels: how much search and measurement an autotune run may spend, and which
 * strategies spend it.
 *
 * `quick` is designed to land within ~10% of the exhaustive best for a fraction (≤ 25%)
 * of its time: a handful of spread-out seeds, then pattern search from the best of them.
 * Its config budget is 20% of the space (at least 12, at most 30). Kernels with one `@`
 * have curated starting configs per kind of adapter (the compiler's dot-defaults.ts):
 * there `quick` tries those, then walks one knob at a time from the default, or a start that beats it
 * (strategies/walk.ts, no random choices), and keeps 30% of its time for re-timing the
 * finalists, whose ranking decides a matmul more often than one more candidate does.
 * `full` searches the
 * whole space when it fits the budget, and otherwise seeds, samples at random, evolves
 * a population and polishes the winner with pattern search.
 */
import type { Strategy } from './search.ts';
import type { SearchSpace } from './space.ts';
import { differentialEvolution } from './strategies/evolution.ts';
import { exhaustive } from './strategies/exhaustive.ts';
import { patternSearch } from './strategies/pattern.ts';
import { randomSearch } from './strategies/random.ts';
import { spreadSeeds } from './strategies/seeds.ts';
import { startPoints } from './strategies/starts.ts';
import { knobWalk } from './strategies/walk.ts';
import type { Point } from './space.ts';

export type Effort = 'none' | 'quick' | 'full';
export type StrategyName = 'exhaustive' | 'random' | 'pattern' | 'evolution';

export const EFFORTS: readonly Effort[] = ['none', 'quick', 'full'];
export const STRATEGIES: readonly StrategyName[] = ['exhaustive', 'random', 'pattern', 'evolution'];

export interface EffortBudget {
  /** Most configs to benchmark (before the budget's share of the space is applied). */
  readonly maxConfigs: number;
  /** Share of the space `quick` may benchmark (1 for full). */
  readonly spaceFraction: number;
  readonly maxSeconds: number;
  /** Time budget of one candidate's measurement (ms) and its most samples. */
  readonly measureMs: number;
  readonly repeats: number;
  /**
   * Rounds of the interleaved re-measurement of the finalists. Five for quick: each finalist's
   * median then pools five interleaved batches, so one noisy batch cannot decide the winner
   * (winner.ts breaks the remaining near-ties).
   */
  readonly rounds: number;
}

export const BUDGETS: Readonly<Record<Effort, EffortBudget>> = {
  none: { maxConfigs: 0, spaceFraction: 0, maxSeconds: 0, measureMs: 0, repeats: 0, rounds: 0 },
  quick: { maxConfigs: 30, spaceFraction: 0.2, maxSeconds: 120, measureMs: 150, repeats: 10, rounds: 5 },
  full: { maxConfigs: 500, spaceFraction: 1, maxSeconds: 1800, measureMs: 300, repeats: 20, rounds: 5 },
};

/** Spaces this small are searched exhaustively at any effort. */
const TINY_SPACE = 12;

export interface Plan {
  readonly name: string;
  readonly strategies: readonly Strategy[];
  readonly maxConfigs: number;
  /** The share of the wall-time budget the search may take; the rest re-times the finalists. */
  readonly searchShare: number;
}

/**
 * The search's share of the time by default: the rest (BUDGETS' rounds × ~5 finalists ×
 * measureMs, ~4 s for quick) re-times the finalists, more for kernels whose one call
 * outlasts measureMs.
 */
const SEARCH_SHARE = 0.85;

/**
 * The curated plan's share: on a CPU adapter a matmul candidate costs seconds to compile
 * and one call is a large part of measureMs, so a finalist's search-time figure is one or
 * two samples; 30% of the budget gives each of ~5 finalists several interleaved rounds.
 */
const CURATED_SEARCH_SHARE = 0.7;

/**
 * The walk's knob order for kernels with `@`: the micro-tile and blocks decide most of
 * the time, then how a and b are read; the rest fine-tunes.
 */
const DOT_WALK_ORDER = ['microTile', 'blocks.', 'broadcastA', 'stageB', 'stageA', 'vectorWidth', 'unroll', 'kChunk', 'groupM'];

export function configBudget(effort: Effort, space: SearchSpace, override?: number): number {
  if (override !== undefined) return override;
  const b = BUDGETS[effort];
  if (effort === 'none') return 0;
  if (space.size <= TINY_SPACE) return space.size;
  return Math.min(b.maxConfigs, Math.max(TINY_SPACE, Math.ceil(b.spaceFraction * space.size)));
}

/** `starts`: curated starting points (kernels with one `@`), which `quick` walks from instead of random seeds. */
export function planSearch(effort: Effort, space: SearchSpace, maxConfigs: number, strategy?: StrategyName, starts?: readonly Point[]): Plan {
  const searchShare = SEARCH_SHARE;
  if (strategy !== undefined) return { name: strategy, strategies: [named(strategy)], maxConfigs, searchShare };
  if (effort === 'none') return { name: 'none', strategies: [], maxConfigs: 0, searchShare };
  if (space.size <= maxConfigs) return { name: 'exhaustive', strategies: [exhaustive], maxConfigs, searchShare };
  if (effort === 'quick' && starts !== undefined && starts.length > 0) {
    return { name: 'starts+walk', strategies: [startPoints(starts), knobWalk({ priority: DOT_WALK_ORDER })], maxConfigs, searchShare: CURATED_SEARCH_SHARE };
  }
  if (effort === 'quick') return { name: 'seeds+pattern', strategies: [spreadSeeds(4), patternSearch()], maxConfigs, searchShare };
  const evolveGenerations = Math.max(1, Math.floor((0.6 * maxConfigs) / 16));
  return {
    name: 'seeds+random+evolution+pattern',
    strategies: [
      spreadSeeds(4),
      randomSearch(Math.ceil(0.15 * maxConfigs)),
      differentialEvolution({ generations: evolveGenerations }),
      patternSearch({ radius: 1, restarts: 3 }),
    ],
    maxConfigs,
    searchShare,
  };
}

function named(name: StrategyName): Strategy {
  switch (name) {
    case 'exhaustive': return exhaustive;
    case 'random': return randomSearch();
    case 'pattern': return patternSearch();
    case 'evolution': return differentialEvolution();
  }
}
