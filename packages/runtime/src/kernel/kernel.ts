/**
 * The kernel object users hold: `const add = kernel\`…\`` then `await add(x, y)`.
 * It parses eagerly (the tag never throws), checks and lowers on first use, compiles one
 * WGSL artifact per config (cached), binds arguments, allocates outputs and launches.
 */
import { captureOrigin, kernelFromSource, renderTemplate, type Diagnostic, type HoleValue, type KernelDef } from 'tessera-gpu-dsl';
import {
  compileWgsl, dimsNeedingValues, specializeDims, printKernel, resolveConfig, storageRanges, validateConfig, DEFAULT_LIMITS,
  type ConfigInput, type KernelArtifact, type KernelConfig, type KernelIR,
} from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import { launch } from '../launch.ts';
import { measure, type MeasureOptions, type Measurement } from '../timing.ts';
import { Tensor } from '../tensor.ts';
import { ArgumentError, OutputCountError, UnsupportedFeatureError } from '../errors.ts';
import type { DType } from '../dtype.ts';
import { bindArgs } from './bind-args.ts';
import { checkUsableTensor } from '../validate.ts';
import { prepareKernel, type PreparedKernel } from './prepare.ts';
import { measureInterpreted, runInterpreted } from './interpreted.ts';
/**
 * The wasm backend's kernel path, loaded when a call first reaches a wasm device: the wasm
 * lowering it pulls in stays out of bundles of apps that never use that backend. Loaded
 * once: later calls take the module itself, not another import() (a dynamic import costs
 * a module-map lookup and microtask round trips on every call, a large share of a short
 * kernel's time).
 */
type OnWasm = typeof import('./on-wasm.ts');
let onWasm: OnWasm | undefined;
let onWasmLoading: Promise<OnWasm> | undefined;
const loadOnWasm = async (): Promise<OnWasm> => {
  if (onWasm !== undefined) return onWasm;
  onWasmLoading ??= import('./on-wasm.ts').then((m) => (onWasm = m), (e: unknown) => {
    // A failed load (a bundler's chunk that did not arrive) is tried again next call.
    onWasmLoading = undefined;
    throw e;
  });
  return onWasmLoading;
};
import type { AutotuneOptions, AutotuneResult } from '../autotune/autotune.ts';
import type { TuningCache } from '../autotune/cache/tuning-cache.ts';
import { makeTuner, type TuningPolicy } from '../autotune/tuner.ts';
import { printShader } from './print-shader.ts';
import { memoConfig } from './config-memo.ts';

export type KernelArg = Tensor | number;

/**
 * What a call resolves to: one Tensor for a kernel with one output (`kernel\`…\``), a
 * tuple for several (`kernel.outputs(2)\`…\`` gives `[Tensor, Tensor]`).
 */
export type KernelResult = Tensor | readonly Tensor[];

/** Any kernel, whatever its result: for code that takes kernels of every kind (tools, tuners). */
export type AnyKernel = Kernel<KernelResult>;

/** `[Tensor, Tensor, …]` with N elements (a plain array when N is not a literal). */
export type Tensors<N extends number, Acc extends Tensor[] = []> = number extends N
  ? Tensor[]
  : Acc['length'] extends N
    ? Acc
    : Acc['length'] extends 16
      ? Tensor[]
      : Tensors<N, [...Acc, Tensor]>;

export interface CallOptions {
  /**
   * The config to compile with; anything left out takes its default. Without one, the
   * kernel's tuning policy picks it (pinned, else cached, else default; see setTuning).
   */
  readonly config?: ConfigInput;
  /** Where to run; defaults to the device of the first tensor argument. */
  readonly device?: Device;
  /**
   * Where the results go, instead of tensors Tessera allocates: the tensors themselves
   * (e.g. wrapped GPUBuffers of the application), or a function that makes them from
   * each result's shape and dtype. Checked against the signature like the arguments.
   * `measure()` leaves them to the caller, holding the last timed run's results.
   */
  readonly outputs?: readonly Tensor[] | ((results: readonly OutputSpec[]) => readonly Tensor[]);
}

/** One kernel result, as CallOptions.outputs receives it. */
export interface OutputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The kernel accumulates into it (atomics), so it is zero-filled before launch. */
  readonly zeroInit: boolean;
}

/**
 * A compiled kernel. `Result` is what a call resolves to (see KernelResult); `Args` the
 * arguments it takes, `KernelArg[]` unless narrowed, e.g. `kernel<[Tensor, Tensor]>\`…\``
 * or a declaration `const add: Kernel<Tensor, [Tensor, Tensor]> = kernel\`…\``.
 */
export interface Kernel<Result extends KernelResult = Tensor, Args extends readonly KernelArg[] = readonly KernelArg[]> {
  /** Runs the kernel; resolves to its output (a tuple of outputs for `kernel.outputs(n)`). */
  (...args: Args): Promise<Result>;
  readonly kernelName: string;
  readonly def: KernelDef;
  /** Warnings from the front end (errors throw on first use instead). */
  readonly warnings: readonly Diagnostic[];
  /** Runs with options (config, device); resolves to every output, in order. */
  run(args: Args, options?: CallOptions): Promise<Tensor[]>;
  /** Times the kernel on these arguments (outputs are scratch); median GPU time per call. */
  measure(args: Args, options?: CallOptions & MeasureOptions): Promise<Measurement>;
  /** The tile IR (checked, lowered, after the pass list), as readable text. */
  ir(): string;
  /** The WGSL for a config (default config when none is given). */
  wgsl(config?: ConfigInput): string;
  /** The config actually used when `config` is given (defaults filled in). */
  resolveConfig(config?: ConfigInput): KernelConfig;
  /** The launchable artifact for a config on a device (cached per config; with the call's dims, per value of the dims it must specialise). */
  artifact(config?: ConfigInput, device?: Device, dims?: Readonly<Record<string, number>>): KernelArtifact;
  /** @internal the lowered IR. */
  prepared(): PreparedKernel;
  /** Searches the config space on arguments of these shapes; remembers the winner (autotune/). */
  autotune(args: Args, options?: AutotuneOptions): Promise<AutotuneResult>;
  /** The config a call with these arguments uses now: pinned, else tuned (cached), else default. */
  bestConfig(args: Args, options?: { readonly device?: Device; readonly cache?: TuningCache | false }): Promise<KernelConfig>;
  /** How calls without a config choose one: first-call policy, pinned config, cache. */
  setTuning(policy: TuningPolicy): Kernel<Result, Args>;
}

/** A device's limits and features as artifact-key text, made once per device (both are fixed for its life). */
const deviceTexts = new WeakMap<Device, string>();
function deviceText(device: Device): string {
  let text = deviceTexts.get(device);
  if (text === undefined) deviceTexts.set(device, (text = `${JSON.stringify(device.info.limits)}|${[...device.features].join(',')}`));
  return text;
}

/**
 * Turns a parsed definition into a callable kernel. `outputs` is how many results a call
 * resolves to: undefined for one (a Tensor), a number for a tuple of that many.
 */
export function makeKernel(def: KernelDef): Kernel;
export function makeKernel<N extends number>(def: KernelDef, outputs: N): Kernel<Tensors<N>>;
export function makeKernel(def: KernelDef, outputs?: number): Kernel<KernelResult> {
  let prep: PreparedKernel | undefined;
  const artifacts = new Map<string, KernelArtifact>();
  const prepared = (): PreparedKernel => (prep ??= prepareKernel(def));
  const ir = (): KernelIR => prepared().ir;

  let needsDims: readonly string[] | undefined;
  /**
   * With the call's dims, a kernel whose tiles have a whole dimension of symbolic size
   * compiles with those dims made constant (compiler's specializeDims), one artifact per
   * value; without them (kernel.wgsl()) it compiles as written. A tensor larger than one
   * storage binding at the call's sizes is bound as several ranges, so the range counts
   * are part of the key too (empty, and the shader unchanged, for tensors that fit).
   */
  const artifact = (config?: ConfigInput, device?: Device, dims?: Readonly<Record<string, number>>): KernelArtifact => {
    const limits = device?.info.limits ?? DEFAULT_LIMITS;
    needsDims ??= dimsNeedingValues(ir());
    const values = dims && needsDims.length > 0 ? Object.fromEntries(needsDims.map((n) => [n, dims[n] ?? 0])) : undefined;
    const full = { ...DEFAULT_LIMITS, ...limits };
    const ranges = dims ? storageRanges(ir(), dims, full) : {};
    const key = `${JSON.stringify(memoConfig(ir(), 'webgpu', config, () => resolveConfig(ir(), config)))}|${device ? deviceText(device) : `${JSON.stringify(limits)}|`}|${values ? JSON.stringify(values) : ''}|${JSON.stringify(ranges)}`;
    let a = artifacts.get(key);
    if (!a) {
      const features = device ? [...device.features] : undefined;
      a = compileWgsl(values ? specializeDims(ir(), values) : ir(), config, full, features, { ranges });
      artifacts.set(key, a);
      if (device?.printWgsl === true) printShader(def.name, resolveConfig(ir(), config), a.wgsl);
    }
    return a;
  };

  /** Binds arguments, compiles for the device and allocates outputs: everything but the launch. */
  const setUp = (args: readonly KernelArg[], options: CallOptions) => {
    const k = ir();
    const bound = bindArgs(k, args, (v): v is Tensor => v instanceof Tensor);
    const device = options.device ?? bound.tensors[0]?.device;
    if (!device) throw new UnsupportedFeatureError('a device', `kernel '${k.name}' has no tensor arguments and no device option`, 'none');
    device.throwIfUnusable(k.name);
    // The same checks on every backend (validate.ts), before any compiling or allocating.
    const tensorParams = k.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor.name] : []));
    bound.tensors.forEach((t, i) => checkUsableTensor(device, t, tensorParams[i] ?? 'tensor', k.name));
    // WGSL only for WebGPU devices: the interpreter runs the IR itself (including
    // constructs the WGSL backend does not support), under the same config rules.
    let art: KernelArtifact | undefined;
    if (device.backend === 'webgpu') {
      art = artifact(options.config, device, bound.dims);
      for (const f of art.requiredFeatures) {
        if (!device.features.has(f)) throw new UnsupportedFeatureError(f, `kernel '${k.name}'`, device.info.name);
      }
    } else if (device.backend === 'wasm') {
      // Checked by runWith/measure once the wasm path is loaded (before anything runs).
    } else {
      validateConfig(k, options.config, { ...DEFAULT_LIMITS, ...device.info.limits }, [...device.features]);
    }
    const specs: OutputSpec[] = k.outputs.map((o) => ({
      shape: o.dims.map((d) => (d.kind === 'const' ? d.value : bound.dims[d.name] ?? 0)), dtype: o.dtype, zeroInit: o.zeroInit,
    }));
    const given = typeof options.outputs === 'function' ? options.outputs(specs) : options.outputs;
    if (given !== undefined) checkOutputs(k.name, specs, given, device);
    const outputs = given !== undefined ? [...given]
      : specs.map((o) => (o.zeroInit ? device.zeros(o.shape, o.dtype) : device.empty(o.shape, o.dtype)));
    // No tiles (a zero-size grid dim) means nothing to do: the outputs are empty.
    const empty = k.grid.some((l) => (l.dim.kind === 'const' ? l.dim.value : bound.dims[l.dim.name] ?? 0) === 0);
    return { device, art, bound, outputs, empty, ownsOutputs: given === undefined };
  };

  const runWith = async (args: readonly KernelArg[], options: CallOptions): Promise<Tensor[]> => {
    const { device, art, bound, outputs, empty, ownsOutputs } = setUp(args, options);
    try {
      const wasm = device.backend === 'wasm' ? await wasmPath(options) : undefined;
      if (empty) return outputs;
      if (art) await launch(device, art, bound.tensors, outputs, bound.dims, bound.scalars);
      else if (wasm !== undefined) await wasm.path.runOnWasm(device, ir(), wasm.config, bound, outputs);
      else runInterpreted(ir(), resolveConfig(ir(), options.config), bound, outputs);
      return outputs;
    } catch (error) {
      // A failed call frees the outputs it made; caller-given outputs stay the caller's.
      if (ownsOutputs) for (const o of outputs) o.destroy();
      throw error;
    }
  };

  /** The wasm path and the call's config checked by its rules. */
  const wasmPath = async (options: CallOptions) => {
    const path = onWasm ?? (await loadOnWasm());
    return { path, config: path.wasmConfig(ir(), options.config) };
  };

  /** An explicit config wins; otherwise the tuning policy (autotune/tuner.ts) picks one. */
  const run = async (args: readonly KernelArg[], options: CallOptions = {}): Promise<Tensor[]> => {
    if (options.config !== undefined) return runWith(args, options);
    const config = await tuner.configFor(args, options.device);
    return runWith(args, config === undefined ? options : { ...options, config });
  };

  const measureKernel = async (args: readonly KernelArg[], options: CallOptions & MeasureOptions = {}): Promise<Measurement> => {
    const { device, art, bound, outputs, ownsOutputs } = setUp(args, options);
    try {
      if (art) return await measure(device, art, bound.tensors, outputs, bound.dims, bound.scalars, options);
      if (device.backend === 'wasm') {
        const wasm = await wasmPath(options);
        return await wasm.path.measureOnWasm(device, ir(), wasm.config, bound, outputs, options);
      }
      return measureInterpreted(ir(), resolveConfig(ir(), options.config), bound, outputs, options);
    } finally {
      // Caller-given outputs stay the caller's: they hold the last timed run's results.
      if (ownsOutputs) for (const o of outputs) o.destroy();
    }
  };

  const call = async (...args: KernelArg[]): Promise<KernelResult> => {
    // Checked before anything runs: the declared results decide the call's type.
    const declared = ir().outputs.length;
    if (declared !== (outputs ?? 1)) throw new OutputCountError(def.name, declared, outputs ?? 1);
    const outs = await run(args);
    const [first] = outs;
    return outputs === undefined && first !== undefined ? first : outs;
  };

  const k = Object.assign(call, {
    kernelName: def.name,
    def,
    warnings: [] as readonly Diagnostic[],
    run,
    measure: measureKernel,
    ir: () => printKernel(ir()),
    wgsl: (config?: ConfigInput) => artifact(config).wgsl,
    resolveConfig: (config?: ConfigInput) => resolveConfig(ir(), config),
    artifact,
    prepared,
    autotune: (args: readonly KernelArg[], options?: AutotuneOptions) => tuner.autotune(args, options),
    bestConfig: (args: readonly KernelArg[], options?: { readonly device?: Device; readonly cache?: TuningCache | false }) => tuner.bestConfig(args, options),
    setTuning: (policy: TuningPolicy): Kernel<KernelResult> => {
      tuner.setPolicy(policy);
      return k;
    },
  });
  // The tuner benchmarks through k's own run/measure/artifact.
  const tuner = makeTuner(k);
  // A getter, so a kernel with errors still constructs (errors throw on first use).
  Object.defineProperty(k, 'warnings', { get: () => prepared().warnings });
  return k;
}

/** Outputs passed by the caller: one per result, of its shape and dtype, on the launch's device. */
function checkOutputs(kernelName: string, specs: readonly OutputSpec[], given: readonly Tensor[], device: Device): void {
  const where = `kernel '${kernelName}'`;
  if (!Array.isArray(given) || given.length !== specs.length) {
    throw new ArgumentError('outputs', `${specs.length} tensor(s), one per result`, Array.isArray(given) ? `${given.length}` : typeof given,
      'Pass one output tensor per kernel result, in order.', where);
  }
  specs.forEach((spec, i) => {
    const t = given[i];
    const expected = `${spec.dtype}[${spec.shape.join(', ')}]`;
    if (!(t instanceof Tensor)) throw new ArgumentError(`outputs[${i}]`, `a tensor ${expected}`, typeof t, 'Pass Tessera tensors (device.wrap() makes one from a GPUBuffer).', where);
    if (t.device !== device) throw new ArgumentError(`outputs[${i}]`, `a tensor on device '${device.info.name}'`, 'a tensor of another device', 'Create output tensors on the device the kernel runs on.', where);
    if (t.dtype !== spec.dtype || t.shape.length !== spec.shape.length || t.shape.some((d, j) => d !== spec.shape[j])) {
      throw new ArgumentError(`outputs[${i}]`, `a tensor ${expected}`, t.toString(), 'Pass output tensors of the result\'s shape and dtype.', where);
    }
  });
}

/** This package's folder: frames in it are skipped when finding the caller's file. */
const OWN_DIR = new URL('..', import.meta.url).pathname;

/** The tag for kernels with several outputs: `kernel.outputs(2)\`fn stats(…) -> (f32[1], i32[1]) {…}\``. */
export type KernelsTag<N extends number> = <Args extends readonly KernelArg[] = readonly KernelArg[]>(
  strings: TemplateStringsArray, ...values: HoleValue[]
) => Kernel<Tensors<N>, Args>;

export interface KernelTag {
  /** kernel`fn name(…) -> f32[…] { … }`: a kernel with one output; a call resolves to a Tensor. */
  <Args extends readonly KernelArg[] = readonly KernelArg[]>(strings: TemplateStringsArray, ...values: HoleValue[]): Kernel<Tensor, Args>;
  /**
   * A tag for kernels with `count` outputs: a call resolves to a tuple of that many
   * Tensors (checked against the kernel's declared results on first call).
   */
  outputs<N extends number>(count: N): KernelsTag<N>;
}

function definition(strings: TemplateStringsArray, values: readonly HoleValue[]): KernelDef {
  const stack = new Error().stack?.split('\n').filter((l) => !l.includes(OWN_DIR)).join('\n');
  return kernelFromSource(renderTemplate(strings), [...values], captureOrigin(stack));
}

/** The `kernel` tag: kernel`fn name(…) -> … { … }`; kernel.outputs(n)`…` for n results. */
export const kernel: KernelTag = Object.assign(
  <Args extends readonly KernelArg[] = readonly KernelArg[]>(strings: TemplateStringsArray, ...values: HoleValue[]): Kernel<Tensor, Args> =>
    makeKernel(definition(strings, values)),
  {
    outputs: <N extends number>(count: N): KernelsTag<N> => {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`kernel.outputs(count): count must be a positive integer, got ${String(count)}`);
      return <Args extends readonly KernelArg[] = readonly KernelArg[]>(strings: TemplateStringsArray, ...values: HoleValue[]): Kernel<Tensors<N>, Args> =>
        makeKernel(definition(strings, values), count);
    },
  },
);
