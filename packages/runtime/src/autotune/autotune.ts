/**
 * `kernel.autotune(args, options)`: find the fastest valid config for these arguments'
 * shapes on this adapter, check that it computes what the default config computes, and
 * remember it.
 *
 *   1. Pinned config, or a cache entry at least as thorough as asked: return it, no benchmarks.
 *   2. Random inputs of the arguments' shapes; the baseline output (default config, or a reference).
 *   3. Search the space (effort.ts picks strategies and budget); each candidate is checked,
 *      compiled, run, compared and timed (objective.ts); failures score Infinity.
 *   4. Re-time the finalists (within 10% of the best) and the default, interleaved; among
 *      those within a tie of the fastest, the default or the first in canonical order wins.
 *   5. Record the winner in the cache. A cancelled run returns the best so far and records
 *      it marked partial (unless a complete entry exists): calls use it, the next autotune
 *      searches again.
 */
import { configProblems, type ConfigInput, type KernelConfig } from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import { init } from '../init.ts';
import type { KernelArg } from '../kernel/kernel.ts';
import type { TuningEntry } from './cache/entries.ts';
import { defaultTuningCache, type TuningCache } from './cache/tuning-cache.ts';
import type { Tolerance } from './compare.ts';
import { tuningContext, type TuningContext } from './context.ts';
import { BUDGETS, configBudget, planSearch, type Effort, type StrategyName } from './effort.ts';
import { disposeInputs, randomInputs, type InputArg } from './inputs.ts';
import { tunedByOtherCompiler, type ShapeBucket } from './key.ts';
import { checkConfig, evaluateConfig, isDeviceGone, runOnce, sampleConfig, type KernelBench, type Outputs, type TunableKernel } from './objective.ts';
import { failureWarning, lookupOrWarn, recordOrWarn, warningSink } from './warnings.ts';
import { remeasureWithinBudget } from './remeasure.ts';
import { canonicalOrder, pickWinner, tieTolerance } from './winner.ts';
import { defaultProgress } from './progress-line.ts';
import { environmentSettings } from '../settings/log.ts';
import { runSearch, type Evaluation, type Trial, type TrialStatus } from './search.ts';
import type { Point } from './space.ts';
import type { KernelSpace, SpaceRestriction } from './kernel-space.ts';
import { startConfigs, untunedConfig } from './untuned.ts';

export interface AutotuneOptions {
  /**
   * `none`: the default config, nothing run. `quick` (default, or TESSERA_AUTOTUNE_EFFORT):
   * seeds + pattern search. `full`: broad search.
   */
  readonly effort?: Effort;
  /** Cancels the search; the best config so far is returned (and cached, marked partial). */
  readonly signal?: AbortSignal;
  /** Called as the search goes; when given, nothing is printed. */
  readonly onProgress?: (progress: AutotuneProgress) => void;
  /**
   * Without onProgress, a one-line progress report on stderr (Node; TESSERA_LOG=silent or
   * warn turns it off). `false` prints nothing. Default true.
   */
  readonly progress?: boolean;
  /** Where tuned configs are kept; `false` for none. Default: defaultTuningCache(). */
  readonly cache?: TuningCache | false;
  /** Tune again even when the cache has an entry (pinned entries still win for calls). */
  readonly force?: boolean;
  /** One strategy instead of the effort's plan (e.g. 'exhaustive' as a reference). */
  readonly strategy?: StrategyName;
  /** Overrides of the effort's budget. */
  readonly maxConfigs?: number;
  readonly maxSeconds?: number;
  /** Seed for the inputs and the strategies' random choices. Default 1. */
  readonly seed?: number;
  /** Tune on random inputs of the arguments' shapes (default), or on the arguments themselves. */
  readonly inputs?: 'random' | 'given';
  /** Output comparison tolerance (defaults per dtype, see compare.ts). */
  readonly tolerance?: Partial<Tolerance>;
  /**
   * What candidates' outputs must match: the default config's on this device (default),
   * or the interpreter backend's (independent of the WGSL backend; slower on big shapes).
   */
  readonly baseline?: 'default' | 'interpreter';
  /** Expected outputs for the inputs, instead of a baseline run (e.g. a CPU reference). */
  readonly reference?: (inputs: readonly KernelArg[]) => Promise<Outputs>;
  /** Shape bucketing of the cache key. Default 'pow2'. */
  readonly bucket?: ShapeBucket;
  readonly device?: Device;
  /** A config that always wins: returned as is, nothing is run (deterministic mode). */
  readonly pin?: ConfigInput;
  /**
   * Only these values of these knobs (e.g. `{ microTile: [[4, 4], [8, 8]], vectorWidth: [4] }`):
   * a smaller space, searched faster. The restriction is part of the cache key.
   */
  readonly space?: SpaceRestriction;
  /** Told of each warning (most configs failed, a cache that cannot be read or written). Default console.warn. */
  readonly onWarning?: (message: string) => void;
}

export interface TuningRow {
  readonly config: KernelConfig;
  /** Short text, e.g. `tm=4 workgroupSize=64`. */
  readonly label: string;
  readonly status: TrialStatus;
  /** Median time; Infinity when the config failed. */
  readonly ms: number;
  /** Interquartile range over the median; null when not timed. */
  readonly noise: number | null;
  readonly samples: number;
  readonly maxError: number | null;
  readonly message: string | null;
  /** Timed again in the interleaved final rounds. */
  readonly remeasured: boolean;
  readonly isDefault: boolean;
}

export interface AutotuneResult {
  readonly kernel: string;
  readonly best: KernelConfig;
  /** Median time of `best`; null when nothing was timed (cache hit without timing, effort none, all failed). */
  readonly bestMs: number | null;
  readonly defaultMs: number | null;
  /** defaultMs / bestMs. */
  readonly speedup: number | null;
  /**
   * Every config tried: `best` first, then the other re-timed finalists fastest first,
   * then the others by their search-time figure, failures last. Empty for a cache hit.
   */
  readonly results: readonly TuningRow[];
  readonly fromCache: boolean;
  readonly pinned: boolean;
  readonly aborted: boolean;
  /** Benchmarks run (timed measurements), 0 for a cache hit. */
  readonly benchmarks: number;
  /** Configs tried (compiled or run), not counting invalid ones. */
  readonly configsTried: number;
  readonly spaceSize: number;
  readonly effort: Effort;
  readonly strategy: string;
  readonly elapsedMs: number;
  readonly key: string;
  readonly method: 'timestamp' | 'wallclock' | null;
  /** What candidates' outputs were checked against. */
  readonly baseline: 'default' | 'interpreter' | 'reference' | 'first-valid' | 'none';
  /** Configs tried that failed (compile or run error, mismatch), not counting invalid ones. */
  readonly failures: number;
  /**
   * What went wrong without ending the run: most configs failed, or the cache could not
   * be read or written (the result is returned either way). Empty when all went well.
   */
  readonly warnings: readonly string[];
}

export interface AutotuneProgress {
  readonly phase: 'search' | 'remeasure' | 'done';
  /** Configs tried so far (not counting invalid ones) and the budget. */
  readonly tried: number;
  readonly budget: number;
  readonly elapsedMs: number;
  /** Rough time left; null before there is anything to go by. */
  readonly etaMs: number | null;
  readonly best: { readonly config: KernelConfig; readonly label: string; readonly ms: number } | undefined;
  /** The trial just finished (search phase). */
  readonly last?: TuningRow;
}

const EFFORT_RANK: Readonly<Record<Effort, number>> = { none: 0, quick: 1, full: 2 };

export async function autotuneKernel(kernel: TunableKernel, args: readonly KernelArg[], options: AutotuneOptions = {}): Promise<AutotuneResult> {
  const start = performance.now();
  const effort = options.effort ?? environmentSettings().autotuneEffort ?? 'quick';
  const onProgress = options.onProgress ?? (options.progress === false ? undefined : defaultProgress(kernel.kernelName));
  options = onProgress === undefined ? options : { ...options, onProgress };
  const ctx = tuningContext(kernel, args, options.device, options.bucket ?? 'pow2', options.space);
  const sink = warningSink(options.onWarning);
  const summary = (best: KernelConfig, extra: Partial<AutotuneResult>): AutotuneResult => ({
    kernel: kernel.kernelName, best, bestMs: null, defaultMs: null, speedup: null, results: [], fromCache: false, pinned: false,
    aborted: false, benchmarks: 0, configsTried: 0, spaceSize: ctx.space.size, effort, strategy: 'none',
    elapsedMs: performance.now() - start, key: ctx.keyText, method: null, baseline: 'none', failures: 0, warnings: sink.warnings, ...extra,
  });

  if (options.pin !== undefined) return summary(kernel.resolveConfig(options.pin), { pinned: true, strategy: 'pinned' });
  const cache = options.cache === false ? undefined : options.cache ?? defaultTuningCache();
  const entry = cache === undefined ? undefined : usableEntry(kernel, ctx, await lookupOrWarn(cache, ctx.keyText, sink.warn));
  if (entry !== undefined && (entry.pinned || (options.force !== true && entry.partial !== true && EFFORT_RANK[entry.effort] >= EFFORT_RANK[effort]))) {
    return summary(kernel.resolveConfig(entry.config), {
      fromCache: true, pinned: entry.pinned, bestMs: entry.ms, defaultMs: entry.defaultMs, strategy: 'cache',
      speedup: entry.ms !== null && entry.defaultMs !== null && entry.ms > 0 ? entry.defaultMs / entry.ms : null,
    });
  }
  // What a call without a tuned config runs on this device (untuned.ts): the search starts
  // from it, checks against it, times the speed-up against it and falls back to it.
  const untuned = kernel.resolveConfig(untunedConfig(kernel.prepared().ir, ctx.device, ctx.dims));
  if (effort === 'none') return summary(untuned, { strategy: 'default' });
  // The interpreter's speed says nothing about any GPU: nothing to tune there.
  if (ctx.device.backend === 'interpreter') return summary(untuned, { strategy: 'default (interpreter backend)' });

  const inputs: readonly InputArg[] = options.inputs === 'given' ? args : randomInputs(ctx.device, kernel.prepared().ir, ctx.dims, ctx.scalars, options.seed ?? 1);
  const bench: KernelBench = {
    kernel, device: ctx.device, inputs, limits: ctx.limits,
    outputDtypes: kernel.prepared().ir.outputs.map((o) => o.dtype),
    ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
    inFlight: Promise.resolve(),
  };
  try {
    return await search(kernel, ctx, untuned, bench, effort, options, start, cache, sink, entry);
  } finally {
    if (options.inputs !== 'given') {
      // Work abandoned on cancellation may still read the inputs: free them after it.
      const inFlight = bench.inFlight;
      void inFlight.then(() => disposeInputs(inputs));
    }
  }
}

async function search(
  kernel: TunableKernel, ctx: TuningContext, untuned: KernelConfig, bench: KernelBench, effort: Effort,
  options: AutotuneOptions, start: number, cache: TuningCache | undefined, sink: ReturnType<typeof warningSink>,
  existing: TuningEntry | undefined,
): Promise<AutotuneResult> {
  const budget = BUDGETS[effort];
  // The untuned config is the space's default point: where strategies start, what wins a
  // tie. (Where a restriction leaves it out, the nearest point the space has.)
  const defaultPoint = ctx.space.fromConfig(untuned);
  const space: KernelSpace = { ...ctx.space, defaultPoint: () => defaultPoint };
  const maxConfigs = configBudget(effort, space, options.maxConfigs);
  const starts = startConfigs(kernel.prepared().ir, ctx.device, ctx.dims)?.map((c) => space.fromConfig(kernel.resolveConfig(c)));
  const plan = planSearch(effort, space, maxConfigs, options.strategy, starts);
  const settings = { maxMs: budget.measureMs, repeats: budget.repeats };
  const signal = options.signal;

  // The baseline: a reference, else the default config's outputs, else (the default
  // failed) the first candidate that runs.
  let baselineKind: AutotuneResult['baseline'] = 'none';
  let baseline: Promise<Outputs | undefined> | undefined;
  let firstValid: Outputs | undefined;
  const getBaseline = async (): Promise<Outputs | undefined> => {
    baseline ??= (async () => {
      if (options.reference !== undefined) {
        baselineKind = 'reference';
        return options.reference(bench.inputs);
      }
      if (options.baseline === 'interpreter') {
        baselineKind = 'interpreter';
        return interpreterOutputs(kernel, bench.inputs);
      }
      const input = untuned;
      if (!checkConfig(bench, input).ok) return undefined;
      try {
        const out = await runOnce(bench, input);
        baselineKind = 'default';
        return out;
      } catch {
        return undefined;
      }
    })();
    const b = await baseline;
    if (b === undefined && firstValid !== undefined) baselineKind = 'first-valid';
    return b ?? firstValid;
  };

  const rows = new Map<string, { point: Point; evaluation: Evaluation; remeasured: boolean }>();
  const row = (point: Point, evaluation: Evaluation, remeasured: boolean): TuningRow => ({
    config: kernel.resolveConfig(space.toConfig(point)),
    label: space.describe(point),
    status: evaluation.status,
    ms: evaluation.score,
    noise: evaluation.noise ?? null,
    samples: evaluation.samples ?? 0,
    maxError: evaluation.maxError ?? null,
    message: evaluation.message ?? null,
    remeasured,
    isDefault: space.key(point) === space.key(defaultPoint),
  });
  const bestNow = (): AutotuneProgress['best'] => {
    let best: { point: Point; ms: number } | undefined;
    for (const r of rows.values()) if (Number.isFinite(r.evaluation.score) && (best === undefined || r.evaluation.score < best.ms)) best = { point: r.point, ms: r.evaluation.score };
    return best === undefined ? undefined : { config: kernel.resolveConfig(space.toConfig(best.point)), label: space.describe(best.point), ms: best.ms };
  };
  let benchmarks = 0;
  let tried = 0;
  const rounds = budget.rounds;
  const finalistsGuess = 4;
  const remeasureEstimate = rounds * finalistsGuess * settings.maxMs;

  const onTrial = (trial: Trial): void => {
    rows.set(space.key(trial.point), { point: trial.point, evaluation: trial.evaluation, remeasured: false });
    if (trial.evaluation.status === 'ok') benchmarks++;
    if (trial.evaluation.status !== 'invalid') tried++;
    const elapsed = performance.now() - start;
    const perConfig = tried > 0 ? elapsed / tried : null;
    const leftMs = (options.maxSeconds ?? budget.maxSeconds) * 1000 - elapsed;
    const eta = perConfig === null ? null : Math.max(0, Math.min(leftMs, perConfig * Math.max(0, maxConfigs - tried))) + remeasureEstimate;
    options.onProgress?.({ phase: 'search', tried, budget: maxConfigs, elapsedMs: elapsed, etaMs: eta, best: bestNow(), last: row(trial.point, trial.evaluation, false) });
  };

  // One wall-time budget for the whole run: the search stops starting candidates when its
  // share is spent, and the re-measurement keeps the rest, starting a sample only when the
  // longest one so far still fits (so the budget is overrun by at most one candidate).
  const deadline = start + (options.maxSeconds ?? budget.maxSeconds) * 1000;
  const searchMs = Math.max(0, deadline - performance.now()) * (rounds > 0 ? plan.searchShare : 1);
  const outcome = await runSearch(space, (point, sig) => evaluateConfig(bench, space.toConfig(point), getBaseline, settings, sig, (o) => {
    firstValid ??= o;
  }), plan.strategies, {
    maxConfigs,
    maxMs: searchMs,
    seed: options.seed ?? 1,
    onTrial,
    // A lost device ends the search with its DeviceError: no later config could run.
    fatal: isDeviceGone,
    // On a CPU adapter a compile ahead takes the cores from the candidate being timed
    // (measured on lavapipe, 2 cores: a quick matmul search took ~72 s with it, ~49 s
    // without); on a GPU the compile is CPU work beside GPU work, so it overlaps.
    ...(bench.device.info.software ? {} : { prefetch: (point: Point) => prefetchPipeline(bench, space.toConfig(point), ctx.dims) }),
    // Apparent gains of the walk and the pattern search are re-timed head to head (search.ts
    // beats): a move decided by one noisy figure sends two runs down different paths.
    retime: (point: Point, sig: AbortSignal | undefined) => {
      benchmarks++;
      return sampleConfig(bench, space.toConfig(point), settings, sig);
    },
    ...(signal === undefined ? {} : { signal }),
  });
  // Settles what the candidates were checked against (nothing more runs once cancelled).
  if (!outcome.aborted) await getBaseline();

  // Finalists: within 10% of the best (at most 5), plus the default for the speed-up.
  const ranked = [...rows.values()].filter((r) => Number.isFinite(r.evaluation.score)).sort((a, b) => a.evaluation.score - b.evaluation.score);
  const bestScore = ranked[0]?.evaluation.score ?? Infinity;
  const finalists = ranked.filter((r) => r.evaluation.score <= 1.1 * bestScore).slice(0, 5);
  const def = rows.get(space.key(defaultPoint));
  if (def !== undefined && Number.isFinite(def.evaluation.score) && !finalists.includes(def)) finalists.push(def);
  let method: AutotuneResult['method'] = ranked[0]?.evaluation.method ?? null;
  if (!outcome.aborted && finalists.length > 1 && rounds > 0) {
    const remeasured = await remeasureWithinBudget(
      finalists,
      (r) => {
        benchmarks++;
        return sampleConfig(bench, space.toConfig(r.point), settings, signal);
      },
      {
        rounds, deadline,
        // One sample: a warm-up call, then calls until measureMs (overshooting by one).
        expectedMs: settings.maxMs + 2 * Math.max(...finalists.map((r) => r.evaluation.score)),
        cancelled: () => signal?.aborted === true,
        onRound: () => options.onProgress?.({ phase: 'remeasure', tried, budget: maxConfigs, elapsedMs: performance.now() - start, etaMs: null, best: bestNow() }),
      },
    );
    for (const [r, m] of remeasured) {
      rows.set(space.key(r.point), { point: r.point, evaluation: { ...r.evaluation, score: m.medianMs, noise: m.noise, samples: m.samples, method: m.method }, remeasured: true });
      method = m.method;
    }
  }

  // The re-timing swallows failures (a finalist keeps its search figure); a device lost
  // meanwhile still ends the run: its figures cannot be trusted, nor the device reused.
  if (!outcome.aborted) ctx.device.throwIfUnusable(kernel.kernelName);

  // The finalists re-timed head to head come first: a config timed once during the
  // search cannot beat them on one lucky sample. Then the rest, then the failures.
  const sorted = [...rows.values()].map((r) => ({ r, row: row(r.point, r.evaluation, r.remeasured) }))
    .sort((a, b) => Number(b.row.remeasured) - Number(a.row.remeasured) || (a.row.ms === b.row.ms ? 0 : a.row.ms < b.row.ms ? -1 : 1));
  // The winner: among the re-timed finalists (else every row) within a tie of the
  // fastest, the default or the first in canonical order (winner.ts), and first in the table.
  const pool = sorted.some((s) => s.row.remeasured) ? sorted.filter((s) => s.row.remeasured) : sorted;
  const order = canonicalOrder(space);
  const tolerance = tieTolerance(pool.filter((s) => Number.isFinite(s.row.ms)).map((s) => s.row));
  const picked = pickWinner(pool.map((s) => ({ item: s, ms: s.row.ms })), { order: (a, b) => order(a.r.point, b.r.point), isDefault: (s) => s.row.isDefault, tolerance });
  const table = [...(picked === undefined ? [] : [picked.row]), ...sorted.filter((s) => s !== picked).map((s) => s.row)];
  const winner = picked?.row;
  const defaultRow = table.find((r) => r.isDefault && Number.isFinite(r.ms));
  const aborted = outcome.aborted || signal?.aborted === true;
  const failure = aborted ? undefined : failureWarning(table.map((r) => r.status));
  if (failure !== undefined) sink.warn(`autotuning kernel '${kernel.kernelName}': ${failure}`);
  const result: AutotuneResult = {
    kernel: kernel.kernelName,
    best: winner?.config ?? untuned,
    bestMs: winner?.ms ?? null,
    defaultMs: defaultRow?.ms ?? null,
    speedup: winner !== undefined && defaultRow !== undefined && winner.ms > 0 ? defaultRow.ms / winner.ms : null,
    results: table,
    fromCache: false,
    pinned: false,
    aborted,
    benchmarks,
    configsTried: tried,
    spaceSize: space.size,
    effort,
    strategy: plan.name,
    elapsedMs: performance.now() - start,
    key: ctx.keyText,
    method,
    baseline: baselineKind,
    failures: table.filter((r) => r.status !== 'ok' && r.status !== 'invalid').length,
    warnings: sink.warnings,
  };
  // A cancelled search keeps its best so far, but never over a complete entry.
  const keep = !aborted || existing === undefined || existing.partial === true;
  if (keep && winner !== undefined && cache !== undefined && (effort === 'quick' || effort === 'full')) {
    const entry: TuningEntry = {
      key: ctx.key, config: winner.config, ms: winner.ms, defaultMs: defaultRow?.ms ?? null, effort,
      configsTried: tried, tunedAt: new Date().toISOString(), pinned: false,
      ...(aborted ? { partial: true } : {}),
    };
    await recordOrWarn(cache, ctx.keyText, entry, sink.warn);
  }
  options.onProgress?.({
    phase: 'done', tried, budget: maxConfigs, elapsedMs: result.elapsedMs, etaMs: 0,
    best: winner === undefined ? undefined : { config: winner.config, label: winner.label, ms: winner.ms },
  });
  return result;
}

/** The default config's outputs on the interpreter backend, for the same inputs. */
async function interpreterOutputs(kernel: TunableKernel, inputs: readonly InputArg[]): Promise<Outputs> {
  const device = await init({ backend: 'interpreter' });
  try {
    const args: KernelArg[] = [];
    for (const a of inputs) args.push(typeof a === 'number' ? a : device.tensor(await a.read(), a.shape, a.dtype));
    const outs = await kernel.run(args, { config: kernel.resolveConfig(undefined), device });
    const read: ArrayLike<number>[] = [];
    for (const o of outs) read.push(await o.read());
    return read;
  } finally {
    device.dispose();
  }
}

/** A cache entry whose config is still valid for this kernel on this adapter, and tuned by this compiler (or pinned). */
export function usableEntry(kernel: TunableKernel, ctx: TuningContext, entry: TuningEntry | undefined): TuningEntry | undefined {
  if (entry === undefined) return undefined;
  // Measured with other lowering code: its winner may no longer be the fastest.
  if (!entry.pinned && tunedByOtherCompiler(entry.key)) return undefined;
  try {
    const config = kernel.resolveConfig(entry.config);
    if (configProblems(kernel.prepared().ir, config, ctx.limits, [...ctx.device.features]).length > 0) return undefined;
    kernel.artifact(entry.config, ctx.device);
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * Starts compiling a candidate's pipeline (createComputePipelineAsync, through the
 * device's pipeline cache, which its evaluation then finds pending or ready). Invalid
 * configs are skipped; a failure is left for the evaluation to report.
 */
function prefetchPipeline(bench: KernelBench, input: ConfigInput, dims: Readonly<Record<string, number>>): void {
  if (bench.device.backend !== 'webgpu' || !checkConfig(bench, input).ok) return;
  try {
    bench.device.pipelines.get(bench.kernel.artifact(input, bench.device, dims)).catch(() => undefined);
  } catch {
    // Reported when the candidate is evaluated.
  }
}
