/**
 * Running a kernel on an interpreter device: the same bound arguments and outputs as a
 * WebGPU launch, executed by the interpreter backend (tile IR → JavaScript) under the
 * same config, so results can be compared config by config.
 */
import type { KernelConfig, KernelIR } from 'tessera-gpu-compiler';
import { DeviceError } from '../errors.ts';
import type { Tensor } from '../tensor.ts';
import type { Measurement, MeasureOptions } from '../timing.ts';
import { compileInterpreter, type InterpretOptions, type TileTrace } from '../interpreter/index.ts';
import type { BoundArgs } from './bind-args.ts';
import { checkUsableTensor } from '../validate.ts';

function storage(t: Tensor, kernel: string) {
  const host = t.host;
  if (!host) throw new DeviceError('internal', `tensor ${t.toString()} is not in host memory`, 'Pass tensors created on the interpreter device.', kernel, { backend: 'interpreter' });
  return host;
}

export function runInterpreted(
  ir: KernelIR, config: KernelConfig, bound: BoundArgs<Tensor>, outputs: readonly Tensor[], opts: InterpretOptions = {},
): TileTrace[] | undefined {
  // Every tensor the run touches, checked as a WebGPU launch checks them (validate.ts).
  const device = outputs[0]?.device ?? bound.tensors[0]?.device;
  if (device !== undefined) {
    const names = ir.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor.name] : []));
    bound.tensors.forEach((t, i) => checkUsableTensor(device, t, names[i] ?? 'tensor', ir.name));
    outputs.forEach((t, i) => checkUsableTensor(device, t, ir.outputs[i]?.name ?? 'output', ir.name));
  }
  const compiled = compileInterpreter(ir, config);
  const result = compiled.run(
    bound.tensors.map((t) => storage(t, ir.name)),
    outputs.map((t) => storage(t, ir.name)),
    bound.dims, bound.scalars, opts,
  );
  return result.traces;
}

/** Wall-clock timing of interpreted runs (the interpreter runs synchronously). */
export function measureInterpreted(
  ir: KernelIR, config: KernelConfig, bound: BoundArgs<Tensor>, outputs: readonly Tensor[], options: MeasureOptions,
): Measurement {
  const warmup = options.warmup ?? 2;
  const repeats = options.repeats ?? 20;
  const maxMs = options.maxMs ?? 2000;
  for (let i = 0; i < warmup; i++) runInterpreted(ir, config, bound, outputs);
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < repeats && (samples.length === 0 || performance.now() - start < maxMs)) {
    if (options.signal?.aborted) break;
    const t0 = performance.now();
    runInterpreted(ir, config, bound, outputs);
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] ?? NaN : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { medianMs, minMs: sorted[0] ?? NaN, samplesMs: samples, method: 'wallclock' };
}
