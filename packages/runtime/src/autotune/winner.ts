/**
 * Picking the winner among the re-timed finalists so that timing noise does not decide
 * it. Configs whose median is within the tie tolerance of the fastest one are taken as
 * equally fast (TIE_TOLERANCE, wider where the samples were noisy: tieTolerance); among them the default wins when it is one of them (nothing to gain by
 * leaving it), else the one first in the space's canonical order. Two runs that re-time
 * the same near-best configs then pick the same one even when a sample's noise swaps
 * their order; the price is at most TIE_TOLERANCE of speed.
 */
import type { Point, SearchSpace } from './space.ts';

/**
 * Relative gap below which two medians count as a tie. Above the run-to-run spread of the
 * interleaved medians on a quiet GPU (about 1%), well below the 10% that `quick` is
 * allowed to lose to the exhaustive best.
 */
export const TIE_TOLERANCE = 0.03;

/** The widest tie: the most `quick` may lose to the exhaustive best. */
export const MAX_TIE_TOLERANCE = 0.1;

/**
 * Three standard errors of the difference of two medians, relative: a median of n samples
 * whose interquartile range is `noise` × the median has a standard error of about
 * 1.25σ/√n with σ ≈ IQR/1.35, so 0.93·noise/√n, and a difference of two such medians √2
 * times that. Medians closer than this are not told apart by the samples. Three, not
 * two: with two, one pick in twenty between two equally fast configs is left to the
 * noise, and the same search would name different winners run to run.
 */
const NOISE_FACTOR = 3 * Math.SQRT2 * 0.93;

/**
 * The tie tolerance for contenders with these noise figures (IQR/median) and sample
 * counts: TIE_TOLERANCE on a quiet machine, wider as the noise grows (up to
 * MAX_TIE_TOLERANCE), so a loaded machine's jitter does not pick between equals. The
 * typical (median) noise and sample count of the contenders decide it.
 */
export function tieTolerance(contenders: readonly { readonly noise?: number | null; readonly samples?: number }[]): number {
  const noises = contenders.flatMap((c) => (typeof c.noise === 'number' && Number.isFinite(c.noise) ? [c.noise] : []));
  const counts = contenders.flatMap((c) => (c.samples !== undefined && c.samples > 0 ? [c.samples] : []));
  if (noises.length === 0 || counts.length === 0) return TIE_TOLERANCE;
  const wide = (NOISE_FACTOR * median(noises)) / Math.sqrt(median(counts));
  return Math.min(MAX_TIE_TOLERANCE, Math.max(TIE_TOLERANCE, wide));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export interface Contender<T> {
  readonly item: T;
  /** Median time; Infinity for a failed config (never a winner). */
  readonly ms: number;
}

export interface TieBreak<T> {
  /** Negative when `a` comes first: the order among tied contenders. */
  readonly order: (a: T, b: T) => number;
  readonly isDefault?: (item: T) => boolean;
  /** Default TIE_TOLERANCE (autotune.ts passes tieTolerance of the finalists). */
  readonly tolerance?: number;
}

/** The winner, or undefined when no contender has a finite time. */
export function pickWinner<T>(contenders: readonly Contender<T>[], tie: TieBreak<T>): T | undefined {
  const finite = contenders.filter((c) => Number.isFinite(c.ms));
  if (finite.length === 0) return undefined;
  const fastest = Math.min(...finite.map((c) => c.ms));
  const tied = finite.filter((c) => c.ms <= fastest * (1 + (tie.tolerance ?? TIE_TOLERANCE))).map((c) => c.item);
  const def = tie.isDefault === undefined ? undefined : tied.find(tie.isDefault);
  if (def !== undefined) return def;
  return [...tied].sort(tie.order)[0];
}

/**
 * The space's canonical order: by each knob's position in its list of values, the first
 * knob most significant (the order `enumerate()` visits points in). It depends on the
 * points only, never on the order a search happened to try them in.
 */
export function canonicalOrder(space: SearchSpace): (a: Point, b: Point) => number {
  return (a, b) => {
    for (const [i, knob] of space.knobs.entries()) {
      const values = knob.values();
      const d = values.indexOf(a[i] ?? knob.default()) - values.indexOf(b[i] ?? knob.default());
      if (d !== 0) return d;
    }
    return 0;
  };
}
