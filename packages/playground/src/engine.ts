/**
 * Where kernels run, behind one small interface, so the page never cares which backend it
 * has: tessera-gpu-runtime's `init()` gives a WebGPU device on `navigator.gpu`, or, where the
 * browser has no WebGPU, its interpreter backend (CPU); both run kernels through the same
 * `run`/`measure` calls. Autotuning is the runtime's own (`kernel.autotune`: the kernel's
 * whole config space, output checks, interleaved re-timing) with the runtime's default
 * tuning cache, which in a browser is IndexedDB: what the page tunes, the library uses.
 */
import {
  defaultTuningCache, init, tuningContext,
  type AutotuneProgress, type AutotuneResult, type Device, type Kernel, type KernelArg, type Tensor, type TuningEntry,
} from 'tessera-gpu-runtime';
import type { ConfigInput, KernelConfig } from 'tessera-gpu-compiler';
import type { ScalarType } from 'tessera-gpu-dsl';
import type { Signature } from './analyze.ts';
import { errorText } from './errors.ts';

export type HostData = Float32Array | Int32Array | Uint32Array | Uint8Array;

export type HostArg =
  | { readonly kind: 'tensor'; readonly name: string; readonly dtype: ScalarType; readonly shape: readonly number[]; readonly data: HostData }
  | { readonly kind: 'scalar'; readonly name: string; readonly value: number };

export interface MeasureSettings {
  readonly repeats: number;
  readonly maxMs: number;
  readonly signal?: AbortSignal;
}

/** How hard to search: the runtime's efforts, `few` being `quick` held to a handful of configs. */
export const TUNE_EFFORTS = { few: { effort: 'quick', maxConfigs: 6 }, quick: { effort: 'quick' }, full: { effort: 'full' } } as const;
export type TuneEffort = keyof typeof TUNE_EFFORTS;

export interface TuneOptions {
  readonly effort: TuneEffort;
  readonly signal: AbortSignal;
  readonly onProgress: (p: AutotuneProgress) => void;
}

export interface Engine {
  readonly backend: Device['backend'];
  /** What runs the kernels, short: the adapter's name. */
  readonly name: string;
  /** One line of detail: software or hardware, features, limits. */
  readonly details: string;
  /** The largest tensor this engine can hold, in bytes (its buffer and binding limits). */
  readonly maxBufferBytes: number;
  /** The config this engine would compile, or a thrown ConfigError/UnsupportedError saying why not. */
  validate(kernel: Kernel, config: ConfigInput): KernelConfig;
  /** The WGSL this engine would run for a config (throws like `validate`). */
  wgsl(kernel: Kernel, config: ConfigInput): string;
  /** Runs once; the outputs, in result order, read back to the host. */
  run(kernel: Kernel, args: readonly HostArg[], config: ConfigInput): Promise<HostData[]>;
  /** Median milliseconds per call. */
  measure(kernel: Kernel, args: readonly HostArg[], config: ConfigInput, settings: MeasureSettings): Promise<number>;
  /** The runtime's autotune on inputs of these shapes; the winner goes to the tuning cache. */
  autotune(kernel: Kernel, args: readonly HostArg[], options: TuneOptions): Promise<AutotuneResult>;
  /** What the tuning cache holds for this kernel, shape and adapter. */
  tuned(kernel: Kernel, args: readonly HostArg[]): Promise<TuningEntry | undefined>;
  /** Where tuned configs are kept, e.g. `indexeddb:tessera-autotune/autotune`. */
  cacheLocation(): Promise<string>;
}

export type EngineStatus = { readonly ok: true; readonly engine: Engine } | { readonly ok: false; readonly reason: string };

/** The runtime's device for `backend` (default: WebGPU when the browser has it, else the interpreter). */
export async function openEngine(backend?: Device['backend']): Promise<EngineStatus> {
  try {
    // The page shows and tunes WGSL, so by default it takes any WebGPU adapter, software
    // ones included; the backends panel asks for wasm and the interpreter by name.
    return { ok: true, engine: deviceEngine(await init(backend === undefined ? { cpuBackend: 'interpreter' } : { backend })) };
  } catch (error) {
    return { ok: false, reason: errorText(error) };
  }
}

function deviceEngine(device: Device): Engine {
  const cache = defaultTuningCache();
  /** Uploads the inputs, runs `body`, and frees every buffer it made, whatever happens. */
  const withArgs = async <T>(args: readonly HostArg[], body: (a: KernelArg[], made: Tensor[]) => Promise<T>): Promise<T> => {
    const made: Tensor[] = [];
    try {
      const kernelArgs = args.map((a): KernelArg => {
        if (a.kind === 'scalar') return a.value;
        const t = device.tensor(a.data, a.shape, a.dtype);
        made.push(t);
        return t;
      });
      return await body(kernelArgs, made);
    } finally {
      for (const t of made) t.destroy();
    }
  };
  return {
    backend: device.backend,
    name: adapterName(device),
    details: device.describe(),
    maxBufferBytes: Math.min(device.info.limits.maxBufferSize, device.info.limits.maxStorageBufferBindingSize),
    validate: (kernel, config) => {
      kernel.artifact(config, device);
      return kernel.resolveConfig(config);
    },
    wgsl: (kernel, config) => kernel.artifact(config, device).wgsl,
    run: (kernel, args, config) =>
      withArgs(args, async (a, made) => {
        const outs = await kernel.run(a, { config, device });
        made.push(...outs);
        return Promise.all(outs.map((o) => o.read()));
      }),
    measure: (kernel, args, config, s) =>
      withArgs(args, async (a) => {
        const m = await kernel.measure(a, { config, device, repeats: s.repeats, maxMs: s.maxMs, ...(s.signal ? { signal: s.signal } : {}) });
        return m.medianMs;
      }),
    autotune: (kernel, args, o) =>
      withArgs(args, (a) => kernel.autotune(a, {
        ...TUNE_EFFORTS[o.effort], device, cache, signal: o.signal, onProgress: o.onProgress,
      })),
    // The key autotune records under (same bucketing): a reload finds what was tuned.
    tuned: (kernel, args) => withArgs(args, (a) => cache.lookup(tuningContext(kernel, a, device, 'pow2').keyText)),
    cacheLocation: () => cache.location(),
  };
}

/** The runtime's name is the driver description, often empty in browsers ("google"): add the architecture. */
function adapterName(device: Device): string {
  if (device.backend === 'interpreter') return 'Tessera interpreter (CPU)';
  const { name, vendor, architecture, software } = device.info;
  const base = name === vendor && architecture !== '' ? `${vendor} ${architecture}` : name;
  return software ? `${base} (software)` : base;
}

// ---------------------------------------------------------------------------- config text

/**
 * A config as `name=value` words: `tm=16 tn=16 workgroupSize=256 microTile=4x4`. Against a
 * base (the default config), only the knobs that differ: what tells two tuned configs apart.
 */
export function configText(c: ConfigInput, base?: ConfigInput): string {
  const words = configWords(c);
  if (base === undefined) return words.join(' ') || 'default';
  const shared = new Set(configWords(base));
  return words.filter((w) => !shared.has(w)).join(' ') || 'default';
}

function configWords(c: ConfigInput): string[] {
  const words = Object.entries(c.blocks ?? {}).map(([n, v]) => `${n}=${v}`);
  for (const [name, value] of Object.entries(c)) {
    if (name === 'blocks' || value === undefined) continue;
    words.push(`${name}=${Array.isArray(value) ? value.join('x') : String(value)}`);
  }
  return words;
}
