/**
 * The finalists (configs within 10% of the best, and the default for the speed-up) are
 * timed again in interleaved rounds — A B C, B C A, C A B — so a slow patch of the
 * machine (another process, a frequency change) hits them all alike instead of deciding
 * the winner. Samples of all rounds are pooled into one median and noise figure.
 */
import { summarize, type SampleSummary } from './stats.ts';

export interface Remeasured extends SampleSummary {
  readonly method: 'timestamp' | 'wallclock';
}

export async function remeasureInterleaved<T>(
  finalists: readonly T[],
  sample: (item: T) => Promise<{ readonly samples: readonly number[]; readonly method: 'timestamp' | 'wallclock' }>,
  rounds: number,
  shouldStop: () => boolean,
  onRound?: (round: number) => void,
): Promise<Map<T, Remeasured>> {
  const pooled = new Map<T, { samples: number[]; method: 'timestamp' | 'wallclock' }>();
  for (let r = 0; r < rounds && !shouldStop(); r++) {
    for (let i = 0; i < finalists.length && !shouldStop(); i++) {
      const item = finalists[(i + r) % finalists.length];
      if (item === undefined) continue;
      try {
        const got = await sample(item);
        const entry = pooled.get(item) ?? { samples: [], method: got.method };
        entry.samples.push(...got.samples);
        pooled.set(item, entry);
      } catch {
        // A finalist ran fine during the search; a failure now (cancellation, a lost
        // device) just leaves it with its search-time figure.
        if (shouldStop()) break;
      }
    }
    onRound?.(r + 1);
  }
  const out = new Map<T, Remeasured>();
  for (const [item, { samples, method }] of pooled) if (samples.length > 0) out.set(item, { ...summarize(samples), method });
  return out;
}

export interface RemeasureBudget {
  readonly rounds: number;
  /** When the whole autotune run must end (same clock as `now`). */
  readonly deadline: number;
  /**
   * How long one sample is expected to take before any has been timed (default 0: the
   * first sample starts whenever the deadline is not past).
   */
  readonly expectedMs?: number;
  /** The clock (tests pass a fake one). Default performance.now. */
  readonly now?: () => number;
  /** Cancellation. */
  readonly cancelled?: () => boolean;
  readonly onRound?: (round: number) => void;
}

/**
 * The interleaved rounds inside the run's time budget: a sample starts only while the
 * longest one so far (at first: expectedMs) would still end by the deadline, so the
 * budget is overrun by at most one sample (one longer than all before it).
 */
export async function remeasureWithinBudget<T>(
  finalists: readonly T[],
  sample: (item: T) => Promise<{ readonly samples: readonly number[]; readonly method: 'timestamp' | 'wallclock' }>,
  budget: RemeasureBudget,
): Promise<Map<T, Remeasured>> {
  const now = budget.now ?? (() => performance.now());
  let longest = budget.expectedMs !== undefined && Number.isFinite(budget.expectedMs) ? Math.max(0, budget.expectedMs) : 0;
  const timed = async (item: T): Promise<{ readonly samples: readonly number[]; readonly method: 'timestamp' | 'wallclock' }> => {
    const t0 = now();
    try {
      return await sample(item);
    } finally {
      longest = Math.max(longest, now() - t0);
    }
  };
  return remeasureInterleaved(finalists, timed, budget.rounds, () => budget.cancelled?.() === true || now() + longest > budget.deadline, budget.onRound);
}
