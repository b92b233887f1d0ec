/**
 * The kernel object users hold: `const add = kernel\`…\`` then `await add(x, y)`.
 * It parses eagerly (the tag never throws), checks and lowers on first use, compiles one
 * WGSL artifact per config (cached), binds arguments, allocates outputs and launches.
 */
import { captureOrigin, kernelFromSource, renderTemplate, type Diagnostic, type HoleValue, type KernelDef } from 'tessera-gpu-dsl';
import {
  compileWgsl, printKernel, resolveConfig, validateConfig, DEFAULT_LIMITS,
  type ConfigInput, type KernelArtifact, type KernelConfig, type KernelIR,
} from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import { launch } from '../launch.ts';
import { measure, type MeasureOptions, type Measurement } from '../timing.ts';
import { Tensor } from '../tensor.ts';
import { ArgumentError, UnsupportedFeatureError } from '../errors.ts';
import type { DType } from '../dtype.ts';
import { bindArgs } from './bind-args.ts';
import { prepareKernel, type PreparedKernel } from './prepare.ts';
import { measureInterpreted, runInterpreted } from './interpreted.ts';
import type { AutotuneOptions, AutotuneResult } from '../autotune/autotune.ts';
import type { TuningCache } from '../autotune/cache/tuning-cache.ts';
import { makeTuner, type TuningPolicy } from '../autotune/tuner.ts';

export type KernelArg = Tensor | number;

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

export interface Kernel {
  /** Runs the kernel; resolves to its output (or outputs, for several results). */
  (...args: KernelArg[]): Promise<Tensor | Tensor[]>;
  readonly kernelName: string;
  readonly def: KernelDef;
  /** Warnings from the front end (errors throw on first use instead). */
  readonly warnings: readonly Diagnostic[];
  /** Runs with options (config, device). */
  run(args: readonly KernelArg[], options?: CallOptions): Promise<Tensor[]>;
  /** Times the kernel on these arguments (outputs are scratch); median GPU time per call. */
  measure(args: readonly KernelArg[], options?: CallOptions & MeasureOptions): Promise<Measurement>;
  /** The tile IR (checked, lowered, after the pass list), as readable text. */
  ir(): string;
  /** The WGSL for a config (default config when none is given). */
  wgsl(config?: ConfigInput): string;
  /** The config actually used when `config` is given (defaults filled in). */
  resolveConfig(config?: ConfigInput): KernelConfig;
  /** The launchable artifact for a config on a device (cached per config). */
  artifact(config?: ConfigInput, device?: Device): KernelArtifact;
  /** @internal the lowered IR. */
  prepared(): PreparedKernel;
  /** Searches the config space on arguments of these shapes; remembers the winner (autotune/). */
  autotune(args: readonly KernelArg[], options?: AutotuneOptions): Promise<AutotuneResult>;
  /** The config a call with these arguments uses now: pinned, else tuned (cached), else default. */
  bestConfig(args: readonly KernelArg[], options?: { readonly device?: Device; readonly cache?: TuningCache | false }): Promise<KernelConfig>;
  /** How calls without a config choose one: first-call policy, pinned config, cache. */
  setTuning(policy: TuningPolicy): Kernel;
}

/** Turns a parsed definition into a callable kernel. */
export function makeKernel(def: KernelDef): Kernel {
  let prep: PreparedKernel | undefined;
  const artifacts = new Map<string, KernelArtifact>();
  const prepared = (): PreparedKernel => (prep ??= prepareKernel(def));
  const ir = (): KernelIR => prepared().ir;

  const artifact = (config?: ConfigInput, device?: Device): KernelArtifact => {
    const limits = device?.info.limits ?? DEFAULT_LIMITS;
    const features = device ? [...device.features] : undefined;
    const key = `${JSON.stringify(resolveConfig(ir(), config))}|${JSON.stringify(limits)}|${features?.join(',') ?? ''}`;
    let a = artifacts.get(key);
    if (!a) {
      a = compileWgsl(ir(), config, { ...DEFAULT_LIMITS, ...limits }, features);
      artifacts.set(key, a);
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
    // WGSL only for WebGPU devices: the interpreter runs the IR itself (including
    // constructs the WGSL backend does not support), under the same config rules.
    let art: KernelArtifact | undefined;
    if (device.backend === 'webgpu') {
      art = artifact(options.config, device);
      for (const f of art.requiredFeatures) {
        if (!device.features.has(f)) throw new UnsupportedFeatureError(f, `kernel '${k.name}'`, device.info.name);
      }
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
    return { device, art, bound, outputs, empty };
  };

  const runWith = async (args: readonly KernelArg[], options: CallOptions): Promise<Tensor[]> => {
    const { device, art, bound, outputs, empty } = setUp(args, options);
    if (empty) return outputs;
    if (art) await launch(device, art, bound.tensors, outputs, bound.dims, bound.scalars);
    else runInterpreted(ir(), resolveConfig(ir(), options.config), bound, outputs);
    return outputs;
  };

  /** An explicit config wins; otherwise the tuning policy (autotune/tuner.ts) picks one. */
  const run = async (args: readonly KernelArg[], options: CallOptions = {}): Promise<Tensor[]> => {
    if (options.config !== undefined) return runWith(args, options);
    const config = await tuner.configFor(args, options.device);
    return runWith(args, config === undefined ? options : { ...options, config });
  };

  const measureKernel = async (args: readonly KernelArg[], options: CallOptions & MeasureOptions = {}): Promise<Measurement> => {
    const { device, art, bound, outputs } = setUp(args, options);
    try {
      if (art) return await measure(device, art, bound.tensors, outputs, bound.dims, bound.scalars, options);
      return measureInterpreted(ir(), resolveConfig(ir(), options.config), bound, outputs, options);
    } finally {
      for (const o of outputs) o.destroy();
    }
  };

  const call = async (...args: KernelArg[]): Promise<Tensor | Tensor[]> => {
    const outs = await run(args);
    return outs.length === 1 && outs[0] ? outs[0] : outs;
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
    setTuning: (policy: TuningPolicy): Kernel => {
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

/** The `kernel` tag: kernel`fn name(…) -> … { … }`. */
export function kernel(strings: TemplateStringsArray, ...values: HoleValue[]): Kernel {
  const stack = new Error().stack?.split('\n').filter((l) => !l.includes(OWN_DIR)).join('\n');
  return makeKernel(kernelFromSource(renderTemplate(strings), values, captureOrigin(stack)));
}
