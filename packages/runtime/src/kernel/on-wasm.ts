/**
 * Running a kernel on a wasm device: the same bound arguments and outputs as a WebGPU
 * launch, executed by the wasm backend under the same config. Timing is the wall clock
 * around whole calls (a call returns when every thread has finished its tiles).
 */
import { ConfigError, resolveWasmConfig, wasmConfigProblems, type ConfigInput, type KernelConfig, type KernelIR } from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import { DeviceError } from '../errors.ts';
import type { Tensor } from '../tensor.ts';
import type { Measurement, MeasureOptions } from '../timing.ts';
import type { BoundArgs } from './bind-args.ts';
import type { HostArray } from '../interpreter/host.ts';
import type { WasmBackend } from '../wasm/executor.ts';
import { memoConfig } from './config-memo.ts';

function backendOf(device: Device, kernel: string): WasmBackend {
  const w = device.wasm;
  if (!w) throw new DeviceError('internal', 'not a wasm device', 'This is a Tessera bug: only wasm devices reach the wasm path.', kernel, { backend: 'wasm' });
  return w;
}

function storage(t: Tensor, kernel: string): HostArray {
  const host = t.host;
  if (!host) throw new DeviceError('internal', `tensor ${t.toString()} is not in wasm memory`, 'Pass tensors created on the wasm device.', kernel, { backend: 'wasm' });
  return host;
}

/** The config for a call on wasm: defaults filled in, then checked by the wasm backend's rules (remembered per input, config-memo.ts). */
export function wasmConfig(ir: KernelIR, input: ConfigInput | undefined): KernelConfig {
  return memoConfig(ir, 'wasm', input, () => {
    const config = resolveWasmConfig(ir, input);
    const problems = wasmConfigProblems(ir, config);
    if (problems.length > 0) throw new ConfigError(ir.name, problems);
    return config;
  });
}

export async function runOnWasm(device: Device, ir: KernelIR, config: KernelConfig, bound: BoundArgs<Tensor>, outputs: readonly Tensor[]): Promise<void> {
  const w = backendOf(device, ir.name);
  device.countLaunch();
  await w.run(ir, config, {
    inputs: bound.tensors.map((t) => storage(t, ir.name)),
    outputs: outputs.map((t) => storage(t, ir.name)),
    dims: bound.dims,
    scalars: bound.scalars,
  });
}

export async function measureOnWasm(
  device: Device, ir: KernelIR, config: KernelConfig, bound: BoundArgs<Tensor>, outputs: readonly Tensor[], options: MeasureOptions,
): Promise<Measurement> {
  const warmup = options.warmup ?? 2;
  const repeats = options.repeats ?? 20;
  const maxMs = options.maxMs ?? 2000;
  for (let i = 0; i < warmup; i++) await runOnWasm(device, ir, config, bound, outputs);
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < repeats && (samples.length === 0 || performance.now() - start < maxMs)) {
    if (options.signal?.aborted) break;
    const t0 = performance.now();
    await runOnWasm(device, ir, config, bound, outputs);
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] ?? NaN : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { medianMs, minMs: sorted[0] ?? NaN, samplesMs: samples, method: 'wallclock' };
}
