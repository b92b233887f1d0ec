/**
 * The autotuner: typed knobs, search strategies, trustworthy benchmarking, a persistent
 * cache. Kernels use it through `kernel.autotune()`, `kernel.bestConfig()` and
 * `kernel.setTuning()`; the CLI and the playground also use the pieces below.
 */
export { autotuneKernel } from './autotune.ts';
export type { AutotuneOptions, AutotuneResult, AutotuneProgress, TuningRow } from './autotune.ts';
export { makeTuner, setDefaultTuning } from './tuner.ts';
export type { FirstCallPolicy, TuningPolicy, Tuner } from './tuner.ts';
export { BUDGETS, EFFORTS, STRATEGIES, configBudget, planSearch } from './effort.ts';
export type { Effort, EffortBudget, StrategyName, Plan } from './effort.ts';
export { CONFIRM_GAIN, CONFIRM_ROUNDS, runSearch } from './search.ts';
export type { Evaluation, Objective, SearchHost, SearchOptions, SearchOutcome, Scored, Strategy, Trial, TrialStatus } from './search.ts';
export { makeSpace } from './space.ts';
export type { Point, SearchSpace } from './space.ts';
export { kernelSpace } from './kernel-space.ts';
export type { SpaceRestriction } from './kernel-space.ts';
export type { KernelSpace } from './kernel-space.ts';
export { booleanKnob, choiceKnob, orderedKnob, powerOfTwoKnob, powersOfTwo } from './knobs.ts';
export type { Knob, KnobValue } from './knobs.ts';
export { makeRng } from './rng.ts';
export type { Rng } from './rng.ts';
export { exhaustive } from './strategies/exhaustive.ts';
export { randomSearch } from './strategies/random.ts';
export { patternSearch } from './strategies/pattern.ts';
export type { PatternOptions } from './strategies/pattern.ts';
export { differentialEvolution } from './strategies/evolution.ts';
export type { EvolutionOptions } from './strategies/evolution.ts';
export { spreadSeeds } from './strategies/seeds.ts';
export { startPoints } from './strategies/starts.ts';
export { knobWalk } from './strategies/walk.ts';
export type { WalkOptions } from './strategies/walk.ts';
export { remeasureInterleaved, remeasureWithinBudget } from './remeasure.ts';
export type { Remeasured, RemeasureBudget } from './remeasure.ts';
export { MAX_TIE_TOLERANCE, TIE_TOLERANCE, canonicalOrder, pickWinner, tieTolerance } from './winner.ts';
export type { Contender, TieBreak } from './winner.ts';
export { compareOutputs, defaultTolerance } from './compare.ts';
export type { Tolerance, Comparison } from './compare.ts';
export { randomInputs, disposeInputs } from './inputs.ts';
export { summarize as summarizeSamples } from './stats.ts';
export type { SampleSummary } from './stats.ts';
export { tuningContext } from './context.ts';
export type { TuningContext } from './context.ts';
export { COMPILER_FINGERPRINT, COMPILER_VERSION, keyString } from './key.ts';
export type { ShapeBucket, TuningKey } from './key.ts';
export { TuningCache, TuningsFileError, defaultTuningCache, setDefaultTuningCache } from './cache/tuning-cache.ts';
export type { FileCacheOptions } from './cache/tuning-cache.ts';
export { MemoryStore } from './cache/store.ts';
export { defaultCacheFile } from './cache/location.ts';
export type { CacheEnvironment } from './cache/location.ts';
export type { TuningStore } from './cache/store.ts';
export { IndexedDbStore } from './cache/indexeddb-store.ts';
export { parseTunings, mergeEntries, tuningsFile, TUNINGS_FORMAT, TUNINGS_VERSION } from './cache/entries.ts';
export type { TuningEntry, TuningEntries, TuningsFile } from './cache/entries.ts';
