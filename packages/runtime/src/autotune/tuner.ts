/**
 * How a kernel call without an explicit config picks one (the first-call policy):
 *
 *   1. a pinned config (setTuning({ config })) always wins — deterministic mode;
 *   2. a cache entry for the call's key (pinned entries first: they are never re-tuned);
 *   3. `firstCall: 'autotune'` tunes now (once per key, concurrent calls share it);
 *      `'cached-else-default'` (the default) uses the default config.
 *
 * The decision is memoized per key, so only a key's first call reads the cache.
 */
import { adapterDefaults, configProblems, resolveConfig, DEFAULT_LIMITS, type ConfigInput, type KernelConfig } from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import type { KernelArg } from '../kernel/kernel.ts';
import { autotuneKernel, usableEntry, type AutotuneOptions, type AutotuneProgress, type AutotuneResult } from './autotune.ts';
import { defaultTuningCache, type TuningCache } from './cache/tuning-cache.ts';
import { tuningContext } from './context.ts';
import type { Effort } from './effort.ts';
import { bucketDims, shapeText, type ShapeBucket } from './key.ts';
import { bindArgs, type BoundArgs } from '../kernel/bind-args.ts';
import { Tensor } from '../tensor.ts';
import type { TunableKernel } from './objective.ts';
import { environmentSettings } from '../settings/log.ts';

export type FirstCallPolicy = 'autotune' | 'cached-else-default';

export interface TuningPolicy {
  /** What a call does when no config is pinned or cached. Default 'cached-else-default'. */
  readonly firstCall?: FirstCallPolicy;
  /** Effort of first-call autotuning. Default TESSERA_AUTOTUNE_EFFORT, else 'quick'. */
  readonly effort?: Exclude<Effort, 'none'>;
  /** Default: defaultTuningCache(); `false` keeps nothing. */
  readonly cache?: TuningCache | false;
  /** A config every call uses, whatever the cache says (deterministic mode). */
  readonly config?: ConfigInput;
  readonly bucket?: ShapeBucket;
  /** Progress of first-call autotuning. */
  readonly onProgress?: (progress: AutotuneProgress) => void;
}

let defaultPolicy: TuningPolicy = {};

/** The policy of every kernel that has not set its own (per kernel: kernel.setTuning). */
export function setDefaultTuning(policy: TuningPolicy): void {
  defaultPolicy = policy;
  generation++;
}

/** Bumped when the default policy changes, so kernels drop decisions made under the old one. */
let generation = 0;

export interface Tuner {
  setPolicy(policy: TuningPolicy): void;
  /** The config for a call without one; undefined means the default config. */
  configFor(args: readonly KernelArg[], device: Device | undefined): Promise<ConfigInput | undefined>;
  autotune(args: readonly KernelArg[], options?: AutotuneOptions): Promise<AutotuneResult>;
  bestConfig(args: readonly KernelArg[], options?: { readonly device?: Device; readonly cache?: TuningCache | false }): Promise<KernelConfig>;
}

export function makeTuner(kernel: TunableKernel): Tuner {
  let own: TuningPolicy | undefined;
  let seen = generation;
  const decisions = new Map<string, Promise<ConfigInput | undefined>>();
  let recent = new WeakMap<Device, Map<string, Promise<ConfigInput | undefined>>>();
  const forget = (): void => {
    decisions.clear();
    recent = new WeakMap();
  };
  const policy = (): TuningPolicy => {
    if (seen !== generation) {
      forget();
      seen = generation;
    }
    return own ?? defaultPolicy;
  };
  const bindQuietly = (args: readonly KernelArg[]): BoundArgs<Tensor> | undefined => {
    try {
      return bindArgs(kernel.prepared().ir, args, (v): v is Tensor => v instanceof Tensor);
    } catch {
      return undefined;
    }
  };
  const cacheOf = (p: TuningPolicy, override?: TuningCache | false): TuningCache | undefined => {
    const c = override ?? p.cache;
    return c === false ? undefined : c ?? defaultTuningCache();
  };

  const lookup = async (args: readonly KernelArg[], device: Device | undefined, p: TuningPolicy, cache: TuningCache | undefined): Promise<ConfigInput | undefined> => {
    if (cache === undefined) return undefined;
    const ctx = tuningContext(kernel, args, device, p.bucket ?? 'pow2');
    return usableEntry(kernel, ctx, await cache.lookup(ctx.keyText))?.config;
  };
  /**
   * Nothing tuned: the defaults for this kind of adapter (compiler's adapter-defaults.ts),
   * else the kernel's. Those defaults know the kind of adapter, not its limits: one this
   * adapter cannot run (broadcastA where its subgroups are wider than a tile's row of
   * invocations) gives way to the kernel's defaults, which run everywhere.
   */
  const untuned = (dev: Device | undefined): ConfigInput | undefined => {
    if (dev?.backend !== 'webgpu') return undefined;
    const ir = kernel.prepared().ir;
    const given = adapterDefaults(ir, { software: dev.info.software });
    if (given === undefined) return undefined;
    const problems = configProblems(ir, resolveConfig(ir, given), { ...DEFAULT_LIMITS, ...dev.info.limits }, [...dev.features]);
    return problems.length === 0 ? given : undefined;
  };

  return {
    setPolicy(next) {
      own = next;
      forget();
    },

    async configFor(args, device) {
      const p = policy();
      if (p.config !== undefined) return p.config;
      // Fast path for repeated calls: per device, by bucketed shape (the rest of the key
      // is fixed for one kernel on one device).
      const bound = bindQuietly(args);
      const dev = device ?? bound?.tensors[0]?.device;
      if (bound === undefined || dev === undefined) return undefined;
      const shape = shapeText(bucketDims(bound.dims, p.bucket ?? 'pow2'));
      let byShape = recent.get(dev);
      if (byShape === undefined) recent.set(dev, (byShape = new Map()));
      const known = byShape.get(shape);
      if (known !== undefined) return known;
      let ctx;
      try {
        ctx = tuningContext(kernel, args, dev, p.bucket ?? 'pow2');
      } catch {
        // Bad arguments: the launch reports that itself, with its own message.
        return undefined;
      }
      let decision = decisions.get(ctx.keyText);
      if (decision === undefined) {
        const cache = cacheOf(p);
        decision = (async () => {
          const cached = await lookup(args, device, p, cache).catch(() => undefined);
          if (cached !== undefined) return cached;
          if (p.firstCall !== 'autotune') return untuned(dev);
          const result = await autotuneKernel(kernel, args, {
            effort: p.effort ?? environmentSettings().autotuneEffort ?? 'quick', cache: cache ?? false, bucket: p.bucket ?? 'pow2',
            ...(device === undefined ? {} : { device }),
            ...(p.onProgress === undefined ? {} : { onProgress: p.onProgress }),
          });
          return result.best;
        })();
        decisions.set(ctx.keyText, decision);
      }
      byShape.set(shape, decision);
      return decision;
    },

    async autotune(args, options = {}) {
      const p = policy();
      const result = await autotuneKernel(kernel, args, {
        ...(p.config === undefined ? {} : { pin: p.config }),
        ...(p.bucket === undefined ? {} : { bucket: p.bucket }),
        ...(p.cache === undefined ? {} : { cache: p.cache }),
        ...options,
      });
      // Calls with this key use the new winner from now on.
      if (!result.aborted) {
        decisions.set(result.key, Promise.resolve(result.best));
        recent = new WeakMap();
      }
      return result;
    },

    async bestConfig(args, options = {}) {
      const p = policy();
      if (p.config !== undefined) return kernel.resolveConfig(p.config);
      const cached = await lookup(args, options.device, p, cacheOf(p, options.cache));
      // What a call uses when nothing is tuned (configFor), so the answer matches the call.
      return kernel.resolveConfig(cached ?? untuned(options.device ?? bindQuietly(args)?.tensors[0]?.device));
    },
  };
}
