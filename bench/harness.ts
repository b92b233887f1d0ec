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
  return summarize(await sampleCall(name, fn, opts));
}

/**
 * Times each implementation in `rounds` rounds, every implementation once per round with
 * a share of the time budget, and quotes the median over all its samples. An
 * implementation that throws is reported through `onError` and left out from then on.
 */
export async function timeInterleaved(
  impls: Readonly<Record<string, () => Promise<void>>>, opts: TimeOptions, rounds: number,
  onError: (name: string, e: unknown) => void,
): Promise<Record<string, Timing>> {
  const samples = new Map<string, number[]>(Object.keys(impls).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(impls)) {
      const got = samples.get(name);
      if (!got || opts.signal?.aborted) continue;
      try {
        // Warm-up once: later rounds find the pipelines and caches warm already.
        got.push(...(await sampleCall(name, fn, { ...opts, timeMs: opts.timeMs / rounds, warmupMs: round === 0 ? opts.warmupMs : 0 }, 1)));
      } catch (e) {
        samples.delete(name);
        onError(name, e);
      }
    }
  }
  const out: Record<string, Timing> = {};
  for (const [name, xs] of samples) if (xs.length > 0) out[name] = summarize(xs);
  return out;
}

function summarize(samples: readonly number[]): Timing {
  const p50 = quantile(samples, 0.5);
  return { medianMs: p50, samples: samples.length, relSpread: (quantile(samples, 0.75) - quantile(samples, 0.25)) / p50 };
}

/** One tinybench run of `fn`: its latency samples in ms. */
async function sampleCall(name: string, fn: () => Promise<void>, opts: TimeOptions, minIterations = 3): Promise<number[]> {
  const bench = new Bench({
    time: opts.timeMs,
    warmup: opts.warmupMs > 0,
    warmupTime: opts.warmupMs,
    iterations: minIterations,
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
  return [...(r.latency.samples ?? [])];
}

/** The q-quantile of `xs` (interpolated), NaN for no samples. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return (s[lo] ?? NaN) + ((s[hi] ?? NaN) - (s[lo] ?? NaN)) * (i - lo);
}
