/** Robust summaries of timing samples: median and the spread around it. */

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export function median(samples: readonly number[]): number {
  return quantile([...samples].sort((a, b) => a - b), 0.5);
}

export interface SampleSummary {
  readonly medianMs: number;
  readonly minMs: number;
  /** Interquartile range over the median: 0.05 means the middle half spans 5% of the time. */
  readonly noise: number;
  readonly samples: number;
}

export function summarize(samples: readonly number[]): SampleSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const med = quantile(sorted, 0.5);
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  return {
    medianMs: med,
    minMs: sorted[0] ?? NaN,
    noise: sorted.length < 2 || !(med > 0) ? 0 : iqr / med,
    samples: sorted.length,
  };
}
