/**
 * The interpreter backend: runs a kernel's tile IR on the CPU with WGSL's semantics, under
 * the same config (block sizes) as the WGSL path, so the two can be compared config by
 * config. The correctness oracle of tests and the autotuner.
 *
 * The IR is compiled, once per (IR, config), to JavaScript source (kernel.ts) turned into
 * a function by `new Function`: tile statements become plain loops with the element
 * expression inlined, so no closure runs per element. A traced variant, which records
 * every store per tile, is generated separately on first use, so the fast path pays
 * nothing for tracing.
 *
 * Numbers follow WGSL: f32 values are rounded after every operation (Math.fround), f16
 * values to half precision, i32 wraps, u32 wraps, integer division by zero gives the
 * dividend (remainder 0), float → int conversions saturate (NaN → 0), `round` ties to
 * even, erf uses the WGSL backend's Abramowitz-Stegun formula. Host arrays: see HostArray.
 */
import { ALL_KNOBS, blockOf, describeConfig, type KernelConfig, type KernelIR } from 'tessera-gpu-compiler';
import { InternalCompilerError, TesseraError } from 'tessera-gpu-dsl/errors';
import { InterpreterArgumentError } from './errors.ts';
import { checkArguments, TraceRecorder, type HostArray, type TileTrace } from './host.ts';
import { emitKernelSource } from './kernel.ts';
import { RUNTIME, type Runtime } from './numeric.ts';

export { InterpreterArgumentError, InterpreterUnsupportedError } from './errors.ts';
export { hostArray, type HostArray, type TileTrace, type TileWrite } from './host.ts';

export interface InterpretOptions {
  /** Record every store, per tile (a debugging aid; slower). */
  readonly trace?: boolean;
  /** Most writes recorded in all (default 10000); tiles after the limit are not recorded. */
  readonly traceLimit?: number;
}

export interface InterpretResult {
  /** Present when `trace` was requested. */
  readonly traces?: TileTrace[];
}

export interface InterpretedKernel {
  /** The generated JavaScript of the fast path, for debugging. */
  readonly source: string;
  /**
   * Runs the kernel. `inputs`: tensor parameters in parameter order; `outputs`:
   * preallocated arrays in return order (outputs marked zeroInit are zero-filled here);
   * `dims`: every symbolic dim; `scalars`: scalar parameters by name.
   */
  run(
    inputs: readonly HostArray[],
    outputs: readonly HostArray[],
    dims: Readonly<Record<string, number>>,
    scalars?: Readonly<Record<string, number>>,
    opts?: InterpretOptions,
  ): InterpretResult;
}

type RunFn = (
  inputs: readonly HostArray[],
  outputs: readonly HostArray[],
  dims: readonly number[],
  scalars: readonly number[],
  tr: TraceRecorder | undefined,
) => void;

/** Compiled kernels per IR object, then per config. */
const cache = new WeakMap<KernelIR, Map<string, InterpretedKernel>>();

function guarded<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TesseraError) throw e;
    throw new InternalCompilerError(what, e);
  }
}

function instantiate(source: string): RunFn {
  // The generated module is a function of the helper table, returning `run`.
  const factory = new Function('rt', source) as (rt: Runtime) => RunFn;
  return factory(RUNTIME);
}

/**
 * Any positive integer block runs here (WGSL-only knobs and limits, such as powers of two
 * or workgroup memory, are the WGSL backend's to check), so one config drives both.
 */
function checkBlocks(ir: KernelIR, config: KernelConfig): void {
  for (const loop of ir.loops) {
    const b = blockOf(config, loop);
    if (!Number.isSafeInteger(b) || b < 1) {
      throw new InterpreterArgumentError(ir.name, `block ${loop.name}=${b} is not a positive integer`, 'give every tile loop a positive integer block size');
    }
  }
}

export function compileInterpreter(ir: KernelIR, config: KernelConfig): InterpretedKernel {
  checkBlocks(ir, config);
  const key = describeConfig(ir, config, ALL_KNOBS);
  let perConfig = cache.get(ir);
  if (!perConfig) {
    perConfig = new Map();
    cache.set(ir, perConfig);
  }
  const hit = perConfig.get(key);
  if (hit) return hit;

  const source = guarded(`generating interpreter code for kernel '${ir.name}'`, () => emitKernelSource(ir, config, false));
  const fast = guarded(`compiling interpreter code for kernel '${ir.name}'`, () => instantiate(source));
  let traced: RunFn | undefined;
  const tracedRun = (): RunFn => {
    traced ??= guarded(`compiling traced interpreter code for kernel '${ir.name}'`, () => instantiate(emitKernelSource(ir, config, true)));
    return traced;
  };

  const kernel: InterpretedKernel = {
    source,
    run(inputs, outputs, dims, scalars = {}, opts = {}) {
      const values = checkArguments(ir, inputs, outputs, dims, scalars);
      ir.outputs.forEach((o, i) => {
        if (o.zeroInit) outputs[i]?.fill(0);
      });
      const recorder = opts.trace ? new TraceRecorder(opts.traceLimit ?? 10000) : undefined;
      const fn = recorder ? tracedRun() : fast;
      guarded(`running kernel '${ir.name}' in the interpreter`, () => {
        try {
          fn(inputs, outputs, values.dims, values.scalars, recorder);
        } catch (e) {
          // Tile buffers are sized by blocks × dims: a huge shape fails to allocate one.
          if (e instanceof RangeError && /typed array length|allocation failed|Invalid array buffer length/i.test(e.message)) {
            throw new InterpreterArgumentError(ir.name, `a tile buffer for these dims (${Object.keys(dims).map((k) => `${k}=${String(dims[k])}`).join(', ')}) is too large for host memory`,
              'use smaller blocks (config) or smaller inputs');
          }
          throw e;
        }
      });
      return recorder ? { traces: recorder.traces } : {};
    },
  };
  perConfig.set(key, kernel);
  return kernel;
}
