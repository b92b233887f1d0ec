/**
 * The search driver every strategy runs under. It owns the budget (configs benchmarked,
 * wall time), the memo (a point is scored once), the trial log and cancellation; a
 * strategy only proposes points and reads scores. A point whose objective throws scores
 * Infinity and is logged with the error: one bad config never ends a search. An error
 * that `fatal` recognises (the device is gone) ends it: it propagates out of runSearch.
 */
import { makeRng, type Rng } from './rng.ts';
import type { Point, SearchSpace } from './space.ts';
import { cyrb53Lanes } from '../hash.ts';
import { summarize, type SampleSummary } from './stats.ts';
import { TIE_TOLERANCE, tieTolerance } from './winner.ts';

export type TrialStatus =
  /** Benchmarked; the score is its median time. */
  | 'ok'
  /** Rejected before compiling: the config breaks a rule or an adapter limit. */
  | 'invalid'
  | 'compile-error'
  | 'run-error'
  /** Ran, but its output differs from the baseline's beyond the tolerance. */
  | 'mismatch'
  /** The objective threw something unexpected. */
  | 'error';

export interface Evaluation {
  /** Lower is better (milliseconds for kernels); Infinity for any failure. */
  readonly score: number;
  readonly status: TrialStatus;
  readonly message?: string;
  /** Interquartile range over the median of the samples. */
  readonly noise?: number;
  readonly samples?: number;
  /** Largest difference from the baseline output. */
  readonly maxError?: number;
  readonly method?: 'timestamp' | 'wallclock';
}

/** Scores one point. It may watch `signal` and stop early (the driver then drops the point). */
export type Objective = (point: Point, signal: AbortSignal | undefined) => Promise<Evaluation>;

export interface Trial {
  /** 0-based order of completion. */
  readonly index: number;
  readonly point: Point;
  readonly evaluation: Evaluation;
  /** Milliseconds since the search started, when this trial finished. */
  readonly atMs: number;
}

export interface Scored {
  readonly point: Point;
  readonly score: number;
}

/** What a strategy sees of the search. */
export interface SearchHost {
  readonly space: SearchSpace;
  readonly rng: Rng;
  /** The point's score (memoized: asking again is free); Infinity once the search is done. */
  evaluate(point: Point): Promise<number>;
  /**
   * The points the strategy will evaluate next, in order: the first PREFETCH of them not
   * yet scored start compiling now (SearchOptions.prefetch), so their shaders compile
   * concurrently while the current one runs and is timed.
   */
  prefetch(points: readonly Point[]): void;
  /** The budget is spent or the search was cancelled: strategies return when they see it. */
  readonly done: boolean;
  /** Configs the budget still allows. */
  remaining(): number;
  /** The score of a point already evaluated. */
  scoreOf(point: Point): number | undefined;
  best(): Scored | undefined;
  /** Every finite-scored point so far, best first. */
  ranked(): Scored[];
  /** What the objective said of a point already evaluated (its noise and sample count). */
  evaluationOf(point: Point): Evaluation | undefined;
  /**
   * The point to go on from: the default point (else the first evaluated), replaced by a
   * later one, in the order they were evaluated, only when that one beats it (`beats`).
   * Noise that swaps two equally fast points then does not change where a search goes on.
   */
  preferred(): Promise<Scored | undefined>;
  /**
   * A random source for one decision, derived from the seed and `label` alone (e.g. the
   * point a move is made from): a decision reached again, by whatever path, draws the
   * same numbers, so timing noise earlier in a search does not reshuffle later choices.
   */
  rngFor(label: string): Rng;
  /**
   * Is `candidate` (already evaluated) faster than `incumbent` beyond the tie tolerance
   * (winner.ts tieTolerance of their timings, at least `floor`, default TIE_TOLERANCE)?
   * Where it looks faster, but by less than CONFIRM_GAIN, the two are first re-timed head
   * to head in interleaved rounds when the search can re-time (SearchOptions.retime) and
   * the budget is not spent, and those samples decide. Strategies move only on a yes:
   * noise is not progress.
   */
  beats(candidate: Point, incumbent: Point, floor?: number): Promise<boolean>;
}

export type Strategy = (host: SearchHost) => Promise<void>;

export interface SearchOptions {
  /** Most configs to try; `invalid` ones (rejected before compiling) are free. */
  readonly maxConfigs: number;
  /** Wall-time budget in milliseconds. */
  readonly maxMs: number;
  readonly signal?: AbortSignal;
  /** Seed of the strategies' random choices. Default 1. */
  readonly seed?: number;
  /** Called after every trial. */
  readonly onTrial?: (trial: Trial, host: SearchHost) => void;
  /** The clock (tests pass a fake one). Default performance.now. */
  readonly now?: () => number;
  /**
   * Errors that end the whole search instead of scoring one point Infinity (e.g. a lost
   * device: every later point would fail the same way). runSearch rethrows them.
   */
  readonly fatal?: (error: unknown) => boolean;
  /** Starts the work that evaluating `point` will wait for (compiling its pipeline); must not throw. */
  readonly prefetch?: (point: Point) => void;
  /**
   * Times an evaluated point again (no check, no compile): its samples. With it, close
   * calls in `beats` are re-timed head to head (CONFIRM_ROUNDS interleaved rounds).
   */
  readonly retime?: (point: Point, signal: AbortSignal | undefined) => Promise<{ readonly samples: readonly number[] }>;
}

/**
 * Rounds of a head-to-head re-timing in `beats` (A B, then B A): two, so a slow patch of
 * the machine during one sample hits both points alike, at the cost of ~4 samples.
 */
export const CONFIRM_ROUNDS = 2;

/**
 * Gains below this are re-timed head to head before `beats` believes them. Far more than
 * the noise within one candidate's samples: two candidates are timed at different
 * moments, and on a shared machine the load drifts in between (on a loaded 2-core
 * runner one softmax config timed 20 ms in one search and 43 ms in the next).
 */
export const CONFIRM_GAIN = 0.5;

/**
 * Points compiled ahead of their evaluation. A few: on a CPU adapter a compile shares
 * the cores with the candidate being timed. Strategies announce only points they will
 * evaluate (the seeds of a batch), never ones they may skip: a wasted compile costs as
 * much as a used one.
 */
export const PREFETCH = 3;

export interface SearchOutcome {
  readonly trials: readonly Trial[];
  readonly best: Scored | undefined;
  /** Configs tried, not counting `invalid` ones. */
  readonly tried: number;
  readonly aborted: boolean;
  readonly elapsedMs: number;
}

/** Runs the strategies in order on one shared memo and budget. */
export async function runSearch(space: SearchSpace, objective: Objective, strategies: readonly Strategy[], options: SearchOptions): Promise<SearchOutcome> {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const memo = new Map<string, number>();
  const prefetched = new Set<string>();
  const trials: Trial[] = [];
  let tried = 0;
  // Points rejected before compiling are free, but not unlimited: a strategy stuck on
  // invalid points must still end.
  let free = 0;
  let stopped = false;
  const freeLimit = Math.max(64, 4 * options.maxConfigs);
  const aborted = (): boolean => options.signal?.aborted === true;
  const spent = (): boolean =>
    tried >= options.maxConfigs || now() - start >= options.maxMs || free >= freeLimit || memo.size >= space.size;

  const seed = options.seed ?? 1;
  const evaluations = new Map<string, Evaluation>();
  const confirmed = new Map<string, boolean>();
  const host: SearchHost = {
    space,
    rng: makeRng(seed),
    get done() {
      return stopped || aborted() || spent();
    },
    remaining: () => Math.max(0, options.maxConfigs - tried),
    scoreOf: (point) => memo.get(space.key(point)),
    prefetch(points) {
      const start = options.prefetch;
      if (!start) return;
      let n = 0;
      for (const point of points) {
        if (n >= Math.min(PREFETCH, host.remaining()) || host.done) return;
        const key = space.key(point);
        if (memo.has(key)) continue;
        n++;
        if (prefetched.has(key)) continue;
        prefetched.add(key);
        start(point);
      }
    },
    best: () => host.ranked()[0],
    ranked() {
      const out: Scored[] = [];
      const seen = new Set<string>();
      for (const t of trials) {
        const key = space.key(t.point);
        if (Number.isFinite(t.evaluation.score) && !seen.has(key)) {
          seen.add(key);
          out.push({ point: t.point, score: t.evaluation.score });
        }
      }
      return out.sort((a, b) => a.score - b.score);
    },
    evaluationOf: (point) => evaluations.get(space.key(point)),
    async preferred() {
      const def = space.key(space.defaultPoint());
      const seen = new Set<string>();
      const scored: Scored[] = [];
      for (const t of trials) {
        const key = space.key(t.point);
        if (!Number.isFinite(t.evaluation.score) || seen.has(key)) continue;
        seen.add(key);
        scored.push({ point: t.point, score: t.evaluation.score });
      }
      const at = scored.findIndex((s) => space.key(s.point) === def);
      const order = at < 0 ? scored : [scored[at], ...scored.slice(0, at), ...scored.slice(at + 1)];
      let held: Scored | undefined;
      for (const s of order) if (s !== undefined && (held === undefined || (await host.beats(s.point, held.point)))) held = s;
      return held;
    },
    rngFor: (label) => makeRng(cyrb53Lanes(`${seed}:${label}`)[0] >>> 0),
    async beats(candidate, incumbent, floor = TIE_TOLERANCE) {
      const a = evaluations.get(space.key(candidate));
      const b = evaluations.get(space.key(incumbent));
      if (a === undefined || !Number.isFinite(a.score)) return false;
      if (b === undefined || !Number.isFinite(b.score)) return true;
      if (!(a.score < b.score)) return false;
      const tolerance = (figures: readonly Pick<Evaluation, 'noise' | 'samples'>[]): number => Math.max(floor, tieTolerance(figures));
      // Faster by more than any drift of the machine: no need to look again.
      if (a.score * (1 + Math.max(floor, CONFIRM_GAIN)) < b.score) return true;
      const retime = options.retime;
      // A pair is re-timed once: asked again (a repeated step, a restart), the answer stands.
      const pair = `${space.key(candidate)} < ${space.key(incumbent)}`;
      const settled = confirmed.get(pair);
      if (settled !== undefined) return settled;
      if (retime !== undefined && !host.done) {
        const [ca, cb] = await confirm(retime, [candidate, incumbent]);
        if (ca !== undefined && cb !== undefined) {
          const verdict = ca.medianMs * (1 + tolerance([ca, cb])) < cb.medianMs;
          confirmed.set(pair, verdict);
          return verdict;
        }
      }
      return a.score * (1 + tolerance([a, b])) < b.score;
    },
    async evaluate(point) {
      const key = space.key(point);
      const known = memo.get(key);
      if (known !== undefined) return known;
      if (host.done) return Infinity;
      let evaluation: Evaluation;
      try {
        evaluation = await objective(point, options.signal);
      } catch (error) {
        if (aborted()) return Infinity;
        if (options.fatal?.(error) === true) {
          stopped = true;
          throw error;
        }
        evaluation = { score: Infinity, status: 'error', message: errorText(error) };
      }
      // A candidate cut short by cancellation is not a result: drop it, keep the rest.
      if (aborted()) return Infinity;
      memo.set(key, evaluation.score);
      evaluations.set(key, evaluation);
      if (evaluation.status === 'invalid') free++;
      else tried++;
      const trial: Trial = { index: trials.length, point, evaluation, atMs: now() - start };
      trials.push(trial);
      options.onTrial?.(trial, host);
      return evaluation.score;
    },
  };

  /** Both points re-timed in interleaved rounds (A B, B A); undefined entries when cut short. */
  const confirm = async (
    retime: NonNullable<SearchOptions['retime']>, points: readonly Point[],
  ): Promise<(SampleSummary | undefined)[]> => {
    const samples: number[][] = points.map(() => []);
    for (let r = 0; r < CONFIRM_ROUNDS; r++) {
      for (let j = 0; j < points.length; j++) {
        // Checked before each sample: the budget is overrun by one sample at most.
        if (host.done) return points.map(() => undefined);
        const i = (j + r) % points.length;
        const point = points[i];
        if (point === undefined) continue;
        try {
          samples[i]?.push(...(await retime(point, options.signal)).samples);
        } catch {
          // It ran during its evaluation: a failure now (cancellation) leaves the call to those figures.
          return points.map(() => undefined);
        }
      }
    }
    return samples.map((s) => (s.length > 0 ? summarize(s) : undefined));
  };

  for (const strategy of strategies) {
    if (host.done) break;
    await strategy(host);
  }
  return { trials, best: host.best(), tried, aborted: aborted(), elapsedMs: now() - start };
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // First line only: a table row is no place for a multi-line WGSL error.
  return text.split('\n')[0] ?? text;
}
