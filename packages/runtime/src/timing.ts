/**
 * GPU time per dispatch of one kernel, for the autotuner and benchmarks.
 *
 * With 'timestamp-query', each dispatch gets its own compute pass whose timestampWrites
 * bracket it, all in one submit: the samples are GPU time only, free of submit latency
 * and JS. Without it, each sample is wall-clock time around submit + onSubmittedWorkDone,
 * which includes that latency (so it over-reads small kernels; compare like with like).
 */
import type { KernelArtifact } from 'tessera-gpu-compiler';
import { bindLaunch, encodeLaunch, prepareLaunch, releaseLaunch } from './bind.ts';
import type { BoundLaunch, Dims, Scalars } from './bind.ts';
import type { Device } from './device.ts';
import { DeviceError, fromGPUError } from './errors.ts';
import { copyToHost } from './readback.ts';
import type { Tensor } from './tensor.ts';
import { padded, uniformSize } from './uniform-pool.ts';

export interface MeasureOptions {
  /** Untimed dispatches first (pipeline warm-up, caches); also estimate the cost. Default 2. */
  readonly warmup?: number;
  /** Most samples to take. Default 20. */
  readonly repeats?: number;
  /** Time budget for the samples; fewer than `repeats` are taken when it would be exceeded. Default 2000. */
  readonly maxMs?: number;
  /** 'auto' (default) uses timestamps when the device has them. */
  readonly method?: 'auto' | 'timestamp' | 'wallclock';
  readonly signal?: AbortSignal;
}

export interface Measurement {
  readonly medianMs: number;
  readonly minMs: number;
  readonly samplesMs: readonly number[];
  readonly method: 'timestamp' | 'wallclock';
}

/** A query set holds at most 4096 queries, two per sample. */
const MAX_TIMESTAMP_SAMPLES = 2048;

export async function measure(
  device: Device,
  artifact: KernelArtifact,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  dims: Dims = {},
  scalars: Scalars = {},
  options: MeasureOptions = {},
): Promise<Measurement> {
  const kernel = artifact.kernelName;
  const { plan, entry } = await prepareLaunch(device, artifact, inputs, outputs, dims, scalars);
  // A private uniform buffer: samples are submitted across awaits, and a launch in
  // between would overwrite a pooled one (see uniform-pool.ts).
  const hasUniforms = artifact.uniforms.fields.length > 0;
  const size = uniformSize(plan.uniforms.byteLength);
  const uniforms = hasUniforms
    ? device.allocate({ label: `${kernel} (timing uniforms)`, size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST })
    : undefined;
  let bound: BoundLaunch | undefined;
  try {
    if (uniforms !== undefined) device.gpu.queue.writeBuffer(uniforms, 0, padded(plan.uniforms, size));
    bound = bindLaunch(device, artifact, entry, plan, inputs, outputs, uniforms);
    const estimateMs = await warmUp(device, bound, Math.max(1, options.warmup ?? 2));
    const budget = options.maxMs ?? 2000;
    const count = Math.max(1, Math.min(options.repeats ?? 20, Math.floor(budget / Math.max(estimateMs, 1e-3))));
    const method = options.method ?? 'auto';
    if (method !== 'wallclock' && device.features.has('timestamp-query')) {
      const taken = Math.min(count, MAX_TIMESTAMP_SAMPLES);
      const samples = await timestampSamples(device, bound, taken);
      // Quantized or broken timestamps read as zero or negative deltas; trust them only
      // when most samples are real.
      if (samples.length * 2 >= taken || method === 'timestamp') return summarize(samples, 'timestamp');
    }
    return summarize(await wallclockSamples(device, bound, count, options.signal), 'wallclock');
  } finally {
    if (uniforms !== undefined) device.release(uniforms);
    if (bound !== undefined) releaseLaunch(device, bound);
  }
}

/** Runs `n` validated dispatches in one submit; returns wall time per dispatch as a cost estimate. */
async function warmUp(device: Device, bound: BoundLaunch, n: number): Promise<number> {
  const gpu = device.gpu;
  const start = performance.now();
  const error = await submitScoped(device, (encoder) => {
    for (let i = 0; i < n; i++) encodeLaunch(encoder, bound);
  });
  await gpu.queue.onSubmittedWorkDone();
  if (error !== null) throw fromGPUError(error, bound.kernel);
  bound.entry.validated = true;
  return (performance.now() - start) / n;
}

async function timestampSamples(device: Device, bound: BoundLaunch, count: number): Promise<number[]> {
  const gpu = device.gpu;
  const querySet = gpu.createQuerySet({ label: `${bound.kernel} (timestamps)`, type: 'timestamp', count: 2 * count });
  const resolved = device.allocate({
    label: `${bound.kernel} (timestamps)`,
    size: 16 * count,
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  try {
    const error = await submitScoped(device, (encoder) => {
      for (let i = 0; i < count; i++) {
        encodeLaunch(encoder, bound, { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 });
      }
      encoder.resolveQuerySet(querySet, 0, 2 * count, resolved, 0);
    });
    if (error !== null) throw fromGPUError(error, bound.kernel);
    const ticks = new BigUint64Array(await copyToHost(device, resolved, 16 * count, `${bound.kernel} timestamps`, bound.kernel));
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const ns = Number((ticks[2 * i + 1] ?? 0n) - (ticks[2 * i] ?? 0n));
      if (ns > 0) samples.push(ns / 1e6);
    }
    return samples;
  } finally {
    device.release(resolved);
    querySet.destroy();
  }
}

async function wallclockSamples(device: Device, bound: BoundLaunch, count: number, signal?: AbortSignal): Promise<number[]> {
  const gpu = device.gpu;
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    signal?.throwIfAborted();
    const start = performance.now();
    const encoder = gpu.createCommandEncoder({ label: bound.kernel });
    encodeLaunch(encoder, bound);
    gpu.queue.submit([encoder.finish()]);
    await gpu.queue.onSubmittedWorkDone();
    samples.push(performance.now() - start);
  }
  device.throwPendingErrors(bound.kernel);
  return samples;
}

/** Encodes with `fill`, submits, and returns the validation/OOM error of just that work. */
function submitScoped(device: Device, fill: (encoder: GPUCommandEncoder) => void): Promise<GPUError | null> {
  const gpu = device.gpu;
  gpu.pushErrorScope('out-of-memory');
  gpu.pushErrorScope('validation');
  let thrown: { readonly error: unknown } | undefined;
  try {
    const encoder = gpu.createCommandEncoder();
    fill(encoder);
    gpu.queue.submit([encoder.finish()]);
  } catch (error) {
    thrown = { error };
  }
  // Popped synchronously after the submit, so no other work can land in these scopes.
  const popped = Promise.all([gpu.popErrorScope(), gpu.popErrorScope()]);
  if (thrown !== undefined) {
    void popped.catch(() => undefined);
    throw thrown.error;
  }
  return popped.then(([validation, memory]) => validation ?? memory);
}

function summarize(samples: readonly number[], method: Measurement['method']): Measurement {
  if (samples.length === 0) {
    throw new DeviceError('internal', 'timing produced no valid samples (timestamps did not advance)',
      "Measure with method: 'wallclock' on this adapter.");
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { medianMs, minMs: sorted[0] ?? 0, samplesMs: samples, method };
}
