/**
 * How every implementation is timed: as a user sees one call — submit, then wait until
 * the device is idle — with tinybench (warm-up, then samples until a time budget), and
 * the median quoted. Tessera and its peers are measured the same way, in one process, on
 * one adapter, so their ratio means something even on a noisy shared machine.
 */
import { Bench } from 'tinybench';

export interface Timing {
  readonly medianMs: number;
  readonly samples: number;
  /** Interquartile range over the median: how noisy the samples were. */
  readonly relSpread: number;
}

export interface TimeOptions {
  readonly timeMs: number;
  readonly warmupMs: number;
  readonly signal?: AbortSignal;
}

export async function timeCall(name: string, fn: () => Promise<void>, opts: TimeOptions): Promise<Timing> {
  const bench = new Bench({
    time: opts.timeMs,
    warmupTime: opts.warmupMs,
    iterations: 3,
    warmupIterations: 2,
  });
  // tinybench's own signal option adds a listener per task run; checking it here instead.
  if (opts.signal?.aborted) throw new Error('interrupted');
  bench.add(name, fn);
  await bench.run();
  const task = bench.tasks[0];
  const r = task?.result;
  if (!r || !('latency' in r)) {
    const why = r && 'error' in r ? String((r as { error?: unknown }).error) : 'no result';
    throw new Error(`${name}: ${why}`);
  }
  const lat = r.latency;
  const p50 = lat.p50 ?? NaN;
  const q1 = quantile(lat.samples ?? [], 0.25);
  const q3 = quantile(lat.samples ?? [], 0.75);
  return { medianMs: p50, samples: lat.samples?.length ?? 0, relSpread: (q3 - q1) / p50 };
}

function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return (s[lo] ?? NaN) + ((s[hi] ?? NaN) - (s[lo] ?? NaN)) * (i - lo);
}
