/**
 * Scoring one config on the adapter, in the order that wastes least: check it against the
 * rules and limits (free), compile it, run it once and compare its output with the
 * baseline, and only then benchmark it. Any failure scores Infinity with its reason.
 */
import { ConfigError, configProblems, type ConfigInput, type DeviceLimits, type KernelConfig } from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import type { DType } from '../dtype.ts';
import { DeviceError } from '../errors.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { compareOutputs, type Tolerance } from './compare.ts';
import type { InputArg } from './inputs.ts';
import { errorText, type Evaluation } from './search.ts';
import { summarize } from './stats.ts';

export type TunableKernel = Pick<Kernel, 'kernelName' | 'def' | 'run' | 'measure' | 'resolveConfig' | 'artifact' | 'prepared' | 'ir'>;

export interface MeasureSettings {
  readonly maxMs: number;
  readonly repeats: number;
}

/** Outputs read back to the host, one array per kernel output. */
export type Outputs = readonly ArrayLike<number>[];

export interface KernelBench {
  readonly kernel: TunableKernel;
  readonly device: Device;
  readonly inputs: readonly InputArg[];
  readonly limits: DeviceLimits;
  readonly outputDtypes: readonly DType[];
  readonly tolerance?: Partial<Tolerance>;
  /** Work that may still be running after an abort (inputs must outlive it). */
  inFlight: Promise<unknown>;
}

export type Check = { readonly ok: true; readonly config: KernelConfig } | { readonly ok: false; readonly evaluation: Evaluation };

/** Rules and limits, then compilation: nothing touches the GPU yet. */
export function checkConfig(bench: KernelBench, input: ConfigInput): Check {
  let config: KernelConfig;
  try {
    config = bench.kernel.resolveConfig(input);
    const problems = configProblems(bench.kernel.prepared().ir, config, bench.limits, [...bench.device.features]);
    if (problems.length > 0) return { ok: false, evaluation: fail('invalid', problems.join('; ')) };
  } catch (error) {
    return { ok: false, evaluation: fail('invalid', errorText(error)) };
  }
  try {
    bench.kernel.artifact(input, bench.device);
  } catch (error) {
    // Workgroup memory over the limit is found while generating code: still an invalid config.
    return { ok: false, evaluation: fail(error instanceof ConfigError ? 'invalid' : 'compile-error', errorText(error)) };
  }
  return { ok: true, config };
}

/** Runs once and reads every output back. */
export async function runOnce(bench: KernelBench, config: ConfigInput): Promise<Outputs> {
  const outs = await bench.kernel.run(bench.inputs, { config, device: bench.device });
  try {
    const read: ArrayLike<number>[] = [];
    for (const o of outs) read.push(await o.read());
    return read;
  } finally {
    for (const o of outs) o.destroy();
  }
}

/**
 * The whole check-compile-run-compare-measure sequence for one config. `baseline` gives
 * the outputs to match (undefined: this candidate's outputs become the baseline).
 */
export async function evaluateConfig(
  bench: KernelBench,
  input: ConfigInput,
  baseline: () => Promise<Outputs | undefined>,
  settings: MeasureSettings,
  signal: AbortSignal | undefined,
  onOutputs?: (outputs: Outputs) => void,
): Promise<Evaluation> {
  const checked = checkConfig(bench, input);
  if (!checked.ok) return checked.evaluation;
  let outputs: Outputs;
  try {
    // The first run also pays for the driver's shader compilation, which on some
    // adapters (lavapipe: LLVM) costs far more than the kernel and grows with unrolling.
    // It is never timed: the measurement below warms up first.
    outputs = await abortable(bench, runOnce(bench, input), signal);
  } catch (error) {
    if (signal?.aborted === true || isDeviceGone(error)) throw error;
    const compile = error instanceof DeviceError && (error.kind === 'compile' || error.kind === 'pipeline');
    return fail(compile ? 'compile-error' : 'run-error', errorText(error));
  }
  const want = await baseline();
  let maxError = 0;
  if (want === undefined) onOutputs?.(outputs);
  else {
    const cmp = compareOutputs(outputs, want, bench.outputDtypes, bench.tolerance);
    if (!cmp.ok) return { ...fail('mismatch', cmp.message ?? 'output differs from the baseline'), maxError: cmp.maxError };
    maxError = cmp.maxError;
  }
  signal?.throwIfAborted();
  try {
    const m = await abortable(bench, bench.kernel.measure(bench.inputs, {
      config: input, device: bench.device, warmup: 1, repeats: settings.repeats, maxMs: settings.maxMs,
      ...(signal === undefined ? {} : { signal }),
    }), signal);
    const s = summarize(m.samplesMs);
    return { score: s.medianMs, status: 'ok', noise: s.noise, samples: s.samples, maxError, method: m.method };
  } catch (error) {
    if (signal?.aborted === true || isDeviceGone(error)) throw error;
    return fail('run-error', errorText(error));
  }
}

/** The device was lost or disposed: no later config can run either, so the search ends. */
export function isDeviceGone(error: unknown): error is DeviceError {
  return error instanceof DeviceError && (error.kind === 'lost' || error.kind === 'disposed');
}

/** Timing samples only (for the re-measurement rounds). */
export async function sampleConfig(bench: KernelBench, input: ConfigInput, settings: MeasureSettings, signal: AbortSignal | undefined): Promise<{ samples: readonly number[]; method: 'timestamp' | 'wallclock' }> {
  const m = await abortable(bench, bench.kernel.measure(bench.inputs, {
    config: input, device: bench.device, warmup: 1, repeats: settings.repeats, maxMs: settings.maxMs,
    ...(signal === undefined ? {} : { signal }),
  }), signal);
  return { samples: m.samplesMs, method: m.method };
}

function fail(status: Evaluation['status'], message: string): Evaluation {
  return { score: Infinity, status, message };
}

/**
 * Resolves with `work`, or rejects as soon as `signal` aborts. Abandoned work keeps
 * running to its end; it is recorded in `bench.inFlight` so the inputs it reads are
 * destroyed only after it settles.
 */
function abortable<T>(bench: KernelBench, work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  const settled = work.then(() => undefined, () => undefined);
  bench.inFlight = Promise.all([bench.inFlight, settled]);
  if (signal === undefined) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}
