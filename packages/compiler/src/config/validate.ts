/**
 * Config validation: a config that cannot work is rejected here, with the reason, before
 * any WGSL or pipeline is made.
 */
import { TesseraError } from '@tessera/dsl/errors';
import type { KernelIR } from '../ir/nodes.ts';
import type { KernelConfig } from './config.ts';

/** Device limits that bound the config space (WebGPU's defaults when unknown). */
export interface DeviceLimits {
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxStorageBufferBindingSize: number;
}

/** WebGPU's guaranteed minimums: a config valid under these runs on every adapter. */
export const DEFAULT_LIMITS: DeviceLimits = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 134217728,
};

export class ConfigError extends TesseraError {
  constructor(kernel: string, reasons: readonly string[]) {
    super('TS3001', `invalid config for kernel '${kernel}': ${reasons.join('; ')}`,
      'block sizes and the workgroup size must be powers of two within the adapter limits; see kernel.configSpace()');
  }
}

const isPow2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

export function configProblems(k: KernelIR, c: KernelConfig, limits: DeviceLimits): string[] {
  const problems: string[] = [];
  const names = new Set(k.loops.map((l) => l.name));
  for (const [name, b] of Object.entries(c.blocks)) {
    if (!names.has(name)) problems.push(`no tile loop named '${name}' (loops: ${[...names].join(', ')})`);
    else if (!isPow2(b)) problems.push(`block ${name}=${b} is not a positive power of two`);
    else if (b > 4096) problems.push(`block ${name}=${b} is larger than 4096`);
  }
  for (const loop of k.loops) {
    const given = c.blocks[loop.name];
    if (loop.fixedBlock !== undefined && given !== undefined && given !== loop.fixedBlock) {
      problems.push(`block ${loop.name} is fixed to ${loop.fixedBlock} in the kernel source (got ${given})`);
    }
  }
  const wg = c.workgroupSize;
  const maxWg = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  if (!isPow2(wg)) problems.push(`workgroupSize=${wg} is not a positive power of two`);
  else if (wg > maxWg) problems.push(`workgroupSize=${wg} exceeds the adapter's limit of ${maxWg} invocations`);
  return problems;
}
