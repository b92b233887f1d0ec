/**
 * The config a call gets when nothing is pinned, cached or tuned: the compiler's defaults
 * for this kind of adapter (adapter-defaults.ts), fitted to the call's sizes, else the
 * kernel's own defaults. The tuner's calls and the autotuner both read it from here, so
 * a search starts from, compares against and falls back to what an untuned call runs.
 */
import { adapterDefaults, configProblems, DEFAULT_LIMITS, dotStartConfigs, resolveConfig, type AdapterKind, type ConfigInput, type KernelIR } from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';

/** What the compiler's defaults may depend on: the adapter's class and subgroups, the call's sizes. */
export function adapterKind(device: Device, dims?: Readonly<Record<string, number>>): AdapterKind {
  const { subgroupMinSize: minSize, subgroupMaxSize: maxSize } = device.info.limits;
  return {
    software: device.info.software,
    ...(device.features.has('subgroups') && minSize !== undefined && maxSize !== undefined ? { subgroups: { minSize, maxSize } } : {}),
    ...(dims === undefined ? {} : { dims }),
  };
}

/**
 * Undefined means the kernel's defaults (every backend but WebGPU, and kernels without
 * adapter defaults). The adapter defaults know the adapter's class, not all its limits: one
 * this adapter cannot run (broadcastA where its subgroups are wider than a tile's row of
 * invocations, say) gives way to the kernel's defaults, which run everywhere.
 */
export function untunedConfig(ir: KernelIR, device: Device | undefined, dims?: Readonly<Record<string, number>>): ConfigInput | undefined {
  if (device?.backend !== 'webgpu') return undefined;
  const given = adapterDefaults(ir, adapterKind(device, dims));
  if (given === undefined) return undefined;
  const problems = configProblems(ir, resolveConfig(ir, given), { ...DEFAULT_LIMITS, ...device.info.limits }, [...device.features]);
  return problems.length === 0 ? given : undefined;
}

/** Curated starting configs of a quick search (compiler's dot-defaults.ts), the untuned one first; undefined where the kernel has none. */
export function startConfigs(ir: KernelIR, device: Device, dims: Readonly<Record<string, number>>): ConfigInput[] | undefined {
  return device.backend === 'webgpu' ? dotStartConfigs(ir, adapterKind(device, dims)) : undefined;
}
