/**
 * Where kernels run, behind one small interface, so the page never cares which backend it
 * has: tessera-gpu-runtime's `init()` gives a WebGPU device on `navigator.gpu`, or, where the
 * browser has no WebGPU, its interpreter backend (CPU); both run kernels through the same
 * `run`/`measure` calls. The autotuner plugs in here too: replace `candidateConfigs` with
 * the kernel's own config space and `autotune`'s loop with the runtime's search; the page
 * only sees `TuneTrial`s.
 */
import { init, type Device, type Kernel, type KernelArg, type Tensor } from 'tessera-gpu-runtime';
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

export interface Engine {
  readonly backend: 'webgpu' | 'interpreter' | 'wasm';
  /** What runs the kernels, short: the adapter's name. */
  readonly name: string;
  /** One line of detail: software or hardware, features, limits. */
  readonly details: string;
  /** The config this engine would compile, or a thrown ConfigError/UnsupportedError saying why not. */
  validate(kernel: Kernel, config: ConfigInput): KernelConfig;
  /** The WGSL this engine would run for a config (throws like `validate`). */
  wgsl(kernel: Kernel, config: ConfigInput): string;
  /** Runs once; the outputs, in result order, read back to the host. */
  run(kernel: Kernel, args: readonly HostArg[], config: ConfigInput): Promise<HostData[]>;
  /** Median milliseconds per call. */
  measure(kernel: Kernel, args: readonly HostArg[], config: ConfigInput, settings: MeasureSettings): Promise<number>;
}

export type EngineStatus = { readonly ok: true; readonly engine: Engine } | { readonly ok: false; readonly reason: string };

export async function openEngine(): Promise<EngineStatus> {
  try {
    return { ok: true, engine: deviceEngine(await init()) };
  } catch (error) {
    return { ok: false, reason: errorText(error) };
  }
}

function deviceEngine(device: Device): Engine {
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
  };
}

/** The runtime's name is the driver description, often empty in browsers ("google"): add the architecture. */
function adapterName(device: Device): string {
  if (device.backend === 'interpreter') return 'Tessera interpreter (CPU)';
  const { name, vendor, architecture, software } = device.info;
  const base = name === vendor && architecture !== '' ? `${vendor} ${architecture}` : name;
  return software ? `${base} (software)` : base;
}

// ---------------------------------------------------------------------------- autotune

/** How many configs a tuning run tries at most. */
export const TUNE_BUDGETS = { quick: 4, normal: 24, wide: 96 } as const;
export type TuneBudget = keyof typeof TUNE_BUDGETS;

export interface TuneTrial {
  /** The config as tried: only the knobs the search set (the rest take their defaults). */
  readonly config: ConfigInput;
  /** Median ms; undefined when the config failed (its error says why). */
  readonly ms: number | undefined;
  readonly error?: string;
}

export interface TuneProgress {
  readonly done: number;
  readonly total: number;
  readonly trial: TuneTrial;
}

export interface TuneResult {
  readonly best: TuneTrial | undefined;
  readonly trials: readonly TuneTrial[];
  /** Candidates the engine rejected before running (too much workgroup memory, …). */
  readonly skipped: number;
  readonly cancelled: boolean;
}

const pow2Range = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let v = lo; v <= hi; v *= 2) out.push(v);
  return out;
};

/**
 * A hand-made config space: around the default block of each tunable loop (×¼ … ×4, and
 * square tiles for 2-D grids), times a few workgroup sizes; nearest the default first,
 * so a small budget still tries the likeliest configs. Some may be invalid for a kernel
 * (knobs constrain each other); `autotune` skips those before counting the budget.
 */
export function candidateConfigs(sig: Signature, kernel: Kernel): ConfigInput[] {
  const base = kernel.resolveConfig();
  const grid = sig.loops.filter((l) => l.level === 'grid');
  const square = grid.length === 2; // tm = tn: a 2-D grid tuned along its diagonal
  const axes: { names: string[]; values: number[] }[] = [];
  for (const [i, loop] of sig.loops.entries()) {
    if (square && loop === grid[1]) continue;
    const d = base.blocks[loop.name] ?? 1;
    const values = pow2Range(Math.max(1, d / 4), Math.min(4096, d * 4));
    const names = square && loop === grid[0] ? grid.map((g) => g.name) : [loop.name];
    axes[i] = { names, values };
  }
  type Candidate = { readonly blocks: Readonly<Record<string, number>>; readonly workgroupSize: number };
  let configs: Candidate[] = [{ blocks: {}, workgroupSize: 0 }];
  for (const axis of axes.filter((a) => a !== undefined)) {
    configs = configs.flatMap((c) => axis.values.map((v) => {
      const blocks: Record<string, number> = { ...c.blocks };
      for (const n of axis.names) blocks[n] = v;
      return { ...c, blocks };
    }));
  }
  configs = configs.flatMap((c) => [64, 128, 256].map((workgroupSize) => ({ ...c, workgroupSize })));
  const distance = (c: Candidate): number =>
    Math.abs(Math.log2(c.workgroupSize / base.workgroupSize)) +
    Object.entries(c.blocks).reduce((s, [n, v]) => s + Math.abs(Math.log2(v / (base.blocks[n] ?? v))), 0);
  return configs.sort((a, b) => distance(a) - distance(b));
}

export interface TuneOptions {
  readonly budget: TuneBudget;
  readonly measure: MeasureSettings;
  readonly onProgress: (p: TuneProgress) => void;
  readonly signal: AbortSignal;
}

/** Tries each candidate (a failing one scores no time), fastest wins. */
export async function autotune(engine: Engine, kernel: Kernel, sig: Signature, args: readonly HostArg[], o: TuneOptions): Promise<TuneResult> {
  const valid: ConfigInput[] = [];
  let skipped = 0;
  for (const c of candidateConfigs(sig, kernel)) {
    if (valid.length === TUNE_BUDGETS[o.budget]) break;
    try {
      engine.validate(kernel, c);
      valid.push(c);
    } catch {
      skipped++;
    }
  }
  const trials: TuneTrial[] = [];
  for (const config of valid) {
    if (o.signal.aborted) break;
    let trial: TuneTrial;
    try {
      trial = { config, ms: await engine.measure(kernel, args, config, { ...o.measure, signal: o.signal }) };
    } catch (error) {
      trial = { config, ms: undefined, error: errorText(error) };
    }
    trials.push(trial);
    o.onProgress({ done: trials.length, total: valid.length, trial });
  }
  return { best: fastest(trials), trials, skipped, cancelled: o.signal.aborted };
}

export function fastest(trials: readonly TuneTrial[]): TuneTrial | undefined {
  let best: TuneTrial | undefined;
  for (const t of trials) if (t.ms !== undefined && (best?.ms === undefined || t.ms < best.ms)) best = t;
  return best;
}

/** `tm=16 tn=16 wg=256`, then any other knob the config sets (`unroll=4`). */
export function configText(c: ConfigInput): string {
  const parts = Object.entries(c.blocks ?? {}).map(([n, v]) => `${n}=${v}`);
  if (c.workgroupSize !== undefined) parts.push(`wg=${c.workgroupSize}`);
  for (const [name, value] of Object.entries(c)) {
    if (name === 'blocks' || name === 'workgroupSize' || value === undefined) continue;
    parts.push(`${name}=${Array.isArray(value) ? value.join('x') : String(value)}`);
  }
  return parts.join(' ') || 'default';
}
